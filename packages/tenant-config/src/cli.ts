/**
 * `pnpm tenants:check [files or folders…]`: validates the given tenant files
 * (a folder: its *.yaml files), or every file in tenants/, printing one line
 * per problem (`file:LINE path: what is wrong; expected …`) and exiting 1 on
 * any problem. It checks what `tenants:apply` checks without a database: a
 * file outside tenants/ must not take a reference-code prefix of a city there.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { findClashesWithCities, loadTenantDirectory, loadTenantFiles } from './load'
import { formatProblem } from './problems'
import { tenantsDirectory } from './repository'

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
const { tenants, problems } =
  files.length > 0 ? await loadTenantFiles(files) : await loadTenantDirectory(tenantsDirectory)
if (files.length > 0) {
  const cities = (await loadTenantDirectory(tenantsDirectory)).tenants
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
