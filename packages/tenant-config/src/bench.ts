/**
 * Benchmark: loading and validating 1,000 tenant files, generated as
 * variations of the real ones (own slug, prefix, colour and texts), must take
 * under 2 s. Usage: pnpm exec tsx packages/tenant-config/src/bench.ts [--cache DIR] [--files DIR]
 *
 * With `--cache DIR` the files are loaded through the validated-file cache
 * kept in DIR (validated-cache.ts): run it with an empty DIR for the cold
 * load (every file checked and its entry written), again for the warm one
 * (what `tenants:check` or a restart costs when nothing changed; the
 * generated files are the same on every run). Without it every file is read
 * and checked. With `--files DIR` the generated files are written to DIR and
 * kept, for measuring what else loads them (the server's start: TENANTS_DIR=DIR).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadTenantDirectory, type LoadOptions } from './load'
import { tenantsDirectory } from './repository'
import { openValidatedCache } from './validated-cache'

const FILE_COUNT = 1000
const TARGET_MILLISECONDS = 2000

/** Three capital letters unique to `index` (26³ combinations). */
function prefixFor(index: number): string {
  return [676, 26, 1].map((base) => String.fromCharCode(65 + (Math.floor(index / base) % 26))).join('')
}

function variation(source: string, index: number): string {
  return source
    .replace(/^slug: .*$/m, `slug: city-${index}`)
    .replace(/referenceCodePrefix: .*$/m, `referenceCodePrefix: ${prefixFor(index)}`)
    .replace(/accentColor: "#[0-9A-Fa-f]{6}"/, `accentColor: "#${(index * 2654435).toString(16).padStart(6, '0').slice(-6)}"`)
    .replace(/earlyAnswerTargetDays: \d+/, `earlyAnswerTargetDays: ${14 + (index % 30)}`)
    .replaceAll('en: We look forward', `en: (${index}) We look forward`)
}

const templateNames = (await readdir(tenantsDirectory)).filter((name) => name.endsWith('.yaml')).sort()
const templates = await Promise.all(templateNames.map((name) => readFile(join(tenantsDirectory, name), 'utf8')))
const flag = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined)
const kept = flag('--files')
const directory = kept ?? (await mkdtemp(join(tmpdir(), 'tenant-bench-')))
try {
  await mkdir(directory, { recursive: true })
  await Promise.all(
    Array.from({ length: FILE_COUNT }, (_, index) =>
      writeFile(join(directory, `city-${index}.yaml`), variation(templates[index % templates.length] ?? '', index)),
    ),
  )
  await measure(flag('--cache'))
} finally {
  if (!kept) await rm(directory, { recursive: true, force: true })
}

async function measure(cacheDirectory: string | undefined): Promise<void> {
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  let hits = 0
  const cache = cacheDirectory && (await openValidatedCache(cacheDirectory))
  const options: LoadOptions = cache
    ? {
        cache: {
          get: async (contentVersion) => {
            const config = await cache.get(contentVersion)
            if (config) hits++
            return config
          },
          set: (contentVersion, config) => cache.set(contentVersion, config),
        },
      }
    : {}
  const { tenants, problems } = await loadTenantDirectory(directory, options)
  const elapsed = performance.now() - started
  // CPU time shows the cost apart from other load on a shared machine.
  const cpu = process.cpuUsage(cpuBefore)
  const cpuMilliseconds = (cpu.user + cpu.system) / 1000
  if (problems.length > 0 || tenants.length !== FILE_COUNT) {
    console.error(`Generated files did not all validate: ${problems.length} problem(s), first: ${problems[0]?.message}`)
    process.exit(1)
  }
  const verdict = elapsed < TARGET_MILLISECONDS ? 'within' : 'OVER'
  console.log(
    `${cache ? `cache ${cacheDirectory} (${hits} hits)` : 'no cache'}: loaded and validated ${tenants.length} tenant files in ${elapsed.toFixed(0)} ms (${(elapsed / FILE_COUNT).toFixed(2)} ms per file, ${cpuMilliseconds.toFixed(0)} ms CPU); ${verdict} the ${TARGET_MILLISECONDS} ms target`,
  )
  if (verdict === 'OVER') process.exitCode = 1
  if (cache) {
    // What a start pays after its load, apart from it (the server's registry prunes in the background).
    const pruneBefore = process.cpuUsage()
    const { kept, removed } = await cache.prune()
    const pruneCpu = process.cpuUsage(pruneBefore)
    console.log(`prune: ${kept} entries kept, ${removed} removed, ${((pruneCpu.user + pruneCpu.system) / 1000).toFixed(0)} ms CPU`)
  }
}
