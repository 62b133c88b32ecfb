/**
 * `pnpm tenants:check [files or folders…]`: validates the given tenant files
 * (a folder: its *.yaml files), or every file in tenants/, printing one line
 * per problem (`file:LINE path: what is wrong; expected …`) and exiting 1 on
 * any problem. It checks what `tenants:apply` checks without a database: a
 * file outside tenants/ must not take a reference-code prefix of a city there.
 * It also checks the platform taxonomy (tenants/platform/taxonomy.yaml) and
 * each city's mapping to it: an unknown platform field is a problem, a field
 * left unmapped a warning (`file:LINE`).
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { findClashesWithCities, loadTenantDirectory, loadTenantFiles } from './load'
import { formatProblem, type TenantFileProblem } from './problems'
import { repositoryRoot, tenantsDirectory } from './repository'
import { checkFieldMapping, loadTaxonomy } from './taxonomy'
import { openValidatedCache } from './validated-cache'

const args = process.argv.slice(2)
const files = (
  await Promise.all(
    args.map(async (arg) =>
      (await stat(arg)).isDirectory()
        ? (await readdir(arg))
            .filter((name) => /\.ya?ml$/.test(name))
            .sort()
            .map((name) => join(arg, name))
        : [arg],
    ),
  )
).flat()
// Files this code has validated before are not checked again (validated-cache.ts; .cache is not committed).
const cache = await openValidatedCache(join(repositoryRoot, '.cache', 'tenant-files'))
const { tenants, problems } =
  files.length > 0 ? await loadTenantFiles(files, { cache }) : await loadTenantDirectory(tenantsDirectory, { cache })
if (files.length > 0) {
  const cities = (await loadTenantDirectory(tenantsDirectory, { cache })).tenants
  for (const tenant of tenants) {
    if (resolve(tenant.file).startsWith(`${tenantsDirectory}/`)) continue
    const others = cities.map((city) => ({
      slug: city.config.slug,
      referenceCodePrefix: city.config.identity.referenceCodePrefix,
      name: city.file,
    }))
    problems.push(...findClashesWithCities(tenant, await readFile(tenant.file, 'utf8'), others))
  }
}
// Every file of tenants/ was loaded through the cache: what no load has used for a day goes.
await cache.prune()

// The platform taxonomy is checked like a city file; each city's fields of activity against it.
const taxonomy = await loadTaxonomy(tenantsDirectory)
const unmapped: TenantFileProblem[] = []
if (!taxonomy.ok) problems.push(...taxonomy.problems)
else {
  for (const tenant of tenants) {
    const report = checkFieldMapping(tenant.config, await readFile(tenant.file, 'utf8'), tenant.file, taxonomy.taxonomy)
    problems.push(...report.errors)
    unmapped.push(...report.unmapped)
  }
}
// An unmapped field is reported but does not fail the check: the city's content in it is simply not found by field across cities.
for (const problem of unmapped) console.warn(`warning: ${formatProblem(problem)}`)

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
console.log(
  `OK: ${tenants.length} tenant file(s) valid (${tenants.map((tenant) => tenant.config.slug).join(', ')})`,
)
