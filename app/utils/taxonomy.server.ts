import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { formatProblem, loadTaxonomy, TAXONOMY_FILE, type Taxonomy } from '@desk/tenant-config'

/** Where the repository keeps it, for a TENANTS_DIR of city files only (a bench's or a test's). */
const REPOSITORY_TENANTS_DIR = 'tenants'

/**
 * The platform taxonomy (tenants/platform/taxonomy.yaml) for a running server:
 * `<TENANTS_DIR>/platform/taxonomy.yaml`, else the repository's. An invalid
 * file stops the start, as it would fail `tenants:check`.
 */
export async function loadPlatformTaxonomy(tenantsDir: string): Promise<Taxonomy> {
  const dir = await access(join(tenantsDir, TAXONOMY_FILE)).then(
    () => tenantsDir,
    () => REPOSITORY_TENANTS_DIR,
  )
  const result = await loadTaxonomy(dir)
  if (!result.ok) throw new Error(`invalid platform taxonomy:\n${result.problems.map(formatProblem).join('\n')}`)
  return result.taxonomy
}
