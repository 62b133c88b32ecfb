/**
 * `pnpm tenants:check [files…]`: validates the given tenant files, or every
 * file in tenants/, printing one line per problem
 * (`file:LINE path: what is wrong; expected …`) and exiting 1 on any problem.
 */
import { loadTenantDirectory, loadTenantFiles } from './load'
import { formatProblem } from './problems'
import { tenantsDirectory } from './repository'

const files = process.argv.slice(2)
const { tenants, problems } = files.length > 0 ? await loadTenantFiles(files) : await loadTenantDirectory(tenantsDirectory)

if (problems.length > 0) {
  for (const problem of problems) console.error(formatProblem(problem))
  const failedFiles = new Set(problems.map((problem) => problem.file)).size
  console.error(`${problems.length} problem(s) in ${failedFiles} tenant file(s)`)
  process.exit(1)
}
if (tenants.length === 0) {
  console.error('No tenant files found')
  process.exit(1)
}
console.log(`OK: ${tenants.length} tenant file(s) valid (${tenants.map((tenant) => tenant.config.slug).join(', ')})`)
