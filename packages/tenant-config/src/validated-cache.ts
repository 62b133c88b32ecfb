import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deserialize, serialize } from 'node:v8'
import type { TenantConfig } from './schema'

/**
 * Tenant files already validated, kept on disk between runs the way a build
 * tool keeps its cache (docs/decisions/012-validated-tenant-file-cache.md).
 * An entry is the configuration one file's text validated to, found by the
 * sha256 of the text (its content version) inside a folder named by the
 * fingerprint of the code that validated it. So a changed file has another
 * key, and changed validating code (the schema, the meaning checks, zod,
 * js-yaml) reads another folder: neither can meet a stale entry. Only valid
 * files are kept; a file with problems is always checked again, so its
 * problems are reported with their lines as before.
 *
 * Entries are written with `v8.serialize` (what `structuredClone` keeps, so
 * a configuration comes back exactly as validated, defaults included) to a
 * temporary name and renamed into place, so a reader meets a whole entry or
 * none. An entry that cannot be read or deserialized is a miss; a folder
 * that cannot be written (a read-only deployment) only makes every load a
 * cold one.
 */
export interface ValidatedTenantCache {
  /** The configuration a text with this content version validated to, if kept. */
  get(contentVersion: string): Promise<TenantConfig | undefined>
  set(contentVersion: string, config: TenantConfig): Promise<void>
}

/**
 * The cache in `directory` for the code that is running (or, for tests, an
 * explicit fingerprint). Folders of other fingerprints are removed: their
 * entries can never be read again.
 */
export async function openValidatedCache(directory: string, fingerprint?: string): Promise<ValidatedTenantCache> {
  const code = fingerprint ?? (await validatingCodeFingerprint())
  const folder = join(directory, code)
  const entryOf = (contentVersion: string) => join(folder, `${contentVersion}.v8`)
  await removeOtherFingerprints(directory, code)
  let folderMade: Promise<unknown> | undefined
  return {
    async get(contentVersion) {
      try {
        return deserialize(await readFile(entryOf(contentVersion))) as TenantConfig
      } catch {
        return undefined
      }
    },
    async set(contentVersion, config) {
      const entry = entryOf(contentVersion)
      const partial = `${entry}.${randomUUID()}.tmp`
      try {
        folderMade ??= mkdir(folder, { recursive: true })
        await folderMade
        await writeFile(partial, serialize(config))
        await rename(partial, entry)
      } catch {
        await rm(partial, { force: true }).catch(() => {})
      }
    },
  }
}

async function removeOtherFingerprints(directory: string, kept: string): Promise<void> {
  const folders = await readdir(directory).catch(() => [])
  await Promise.all(
    folders
      .filter((name) => name !== kept)
      .map((name) => rm(join(directory, name), { recursive: true, force: true }).catch(() => {})),
  )
}

const require = createRequire(import.meta.url)

/**
 * What the validation result depends on besides the file: this package's and
 * the workflow package's code (every source file, tests aside, when run from
 * source; the bundle that holds them when built into the server), the
 * installed zod and js-yaml (their resolved folders name version and patch),
 * and Node's version (v8.serialize's format). Computed once per process.
 */
export function validatingCodeFingerprint(): Promise<string> {
  fingerprintOnce ??= computeFingerprint()
  return fingerprintOnce
}
let fingerprintOnce: Promise<string> | undefined

async function computeFingerprint(): Promise<string> {
  const hash = createHash('sha256').update(process.version)
  for (const dependency of ['zod', 'js-yaml']) {
    hash.update(await realpath(require.resolve(dependency)).catch(() => `${dependency} bundled`))
  }
  for (const file of await validatingCodeFiles()) hash.update(file).update(await readFile(file))
  return hash.digest('hex').slice(0, 32)
}

/** The files holding the validating code: the package sources, or the bundle this module was compiled into. */
export async function validatingCodeFiles(): Promise<string[]> {
  const here = fileURLToPath(import.meta.url)
  if (!here.endsWith('.ts')) return [here]
  const workflowSources = dirname(await realpath(require.resolve('@desk/workflow')))
  const files = await Promise.all([dirname(here), workflowSources].map(sourceFilesIn))
  return files.flat()
}

async function sourceFilesIn(directory: string): Promise<string[]> {
  const names = await readdir(directory, { recursive: true })
  return names
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .sort()
    .map((name) => join(directory, name))
}
