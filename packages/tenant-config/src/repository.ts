import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root, found from this file so the CLIs work from any working directory. */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** Where the tenant files live: `tenants/<slug>.yaml`. */
export const tenantsDirectory = resolve(repositoryRoot, 'tenants')
