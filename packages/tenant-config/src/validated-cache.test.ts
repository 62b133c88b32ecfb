import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { computeContentVersion, loadTenantDirectory } from './load'
import { formatProblem } from './problems'
import { tenantsDirectory } from './repository'
import { openValidatedCache, validatingCodeFiles, type ValidatedTenantCache } from './validated-cache'

let scratch: string
let tenantFolder: string
let cacheFolder: string
let minimal: string

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'validated-cache-'))
  tenantFolder = join(scratch, 'tenants')
  cacheFolder = join(scratch, 'cache')
  minimal = await readFile(new URL('./fixtures/minimal.yaml', import.meta.url), 'utf8')
  await mkdir(tenantFolder)
})

afterEach(async () => {
  await rm(scratch, { recursive: true, force: true })
})

/** The cache, counting the entries it hands out. */
function counting(cache: ValidatedTenantCache): ValidatedTenantCache & { hits: number } {
  const counted = {
    hits: 0,
    get: async (contentVersion: string) => {
      const config = await cache.get(contentVersion)
      if (config) counted.hits++
      return config
    },
    set: (contentVersion: string, config: Parameters<ValidatedTenantCache['set']>[1]) =>
      cache.set(contentVersion, config),
  }
  return counted
}

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

/** As if last written or used `by` milliseconds ago. */
async function makeOlder(path: string, by: number): Promise<void> {
  const then = new Date(Date.now() - by)
  await utimes(path, then, then)
}

/** A process of its own that opens the cache and writes `key`'s entry `times` times (the configuration of tenants/aomori.yaml). */
function writeRepeatedly(directory: string, fingerprint: string, key: string, times: number): Promise<void> {
  const here = (name: string) => fileURLToPath(new URL(name, import.meta.url))
  const script = `
    const { openValidatedCache } = await import(${JSON.stringify(here('./validated-cache.ts'))})
    const { loadTenantFile } = await import(${JSON.stringify(here('./load.ts'))})
    const loaded = await loadTenantFile(${JSON.stringify(join(tenantsDirectory, 'aomori.yaml'))})
    const cache = await openValidatedCache(${JSON.stringify(directory)}, ${JSON.stringify(fingerprint)})
    for (let time = 0; time < ${times}; time++) await cache.set(${JSON.stringify(key)}, loaded.tenant.config)
  `
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
      stdio: 'inherit',
    })
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited with ${code}`))))
  })
}

const slugsOf = (result: Awaited<ReturnType<typeof loadTenantDirectory>>) =>
  result.tenants.map((tenant) => tenant.config.slug)

describe('the validated-file cache', () => {
  it('gives back exactly what checking the real tenant files gives, defaults included', async () => {
    const checked = await loadTenantDirectory(tenantsDirectory)
    const cold = counting(await openValidatedCache(cacheFolder, 'code'))
    expect(await loadTenantDirectory(tenantsDirectory, { cache: cold })).toStrictEqual(checked)
    expect(cold.hits).toBe(0)
    const warm = counting(await openValidatedCache(cacheFolder, 'code'))
    expect(await loadTenantDirectory(tenantsDirectory, { cache: warm })).toStrictEqual(checked)
    expect(warm.hits).toBe(checked.tenants.length)
  })

  it('uses an entry only for the same text checked by the same code', async () => {
    await writeFile(join(tenantFolder, 'city.yaml'), minimal)
    // A planted entry stands for a result an older schema gave: it must be read only under its own fingerprint and text.
    const planted = await openValidatedCache(cacheFolder, 'old-code')
    const checked = await loadTenantDirectory(tenantFolder)
    const config = checked.tenants[0]!.config
    await planted.set(computeContentVersion(minimal), { ...config, slug: 'from-the-cache' })

    expect(slugsOf(await loadTenantDirectory(tenantFolder, { cache: planted }))).toEqual(['from-the-cache'])

    const changedText = minimal.replace('earlyAnswerTargetDays: 30', 'earlyAnswerTargetDays: 31')
    await writeFile(join(tenantFolder, 'city.yaml'), changedText)
    const afterEdit = await loadTenantDirectory(tenantFolder, { cache: planted })
    expect(slugsOf(afterEdit)).toEqual(['sample-city'])
    expect(afterEdit.tenants[0]?.config.earlyAnswerTargetDays).toBe(31)

    await writeFile(join(tenantFolder, 'city.yaml'), minimal)
    const newCode = await openValidatedCache(cacheFolder, 'new-code')
    expect(slugsOf(await loadTenantDirectory(tenantFolder, { cache: newCode }))).toEqual(['sample-city'])
  })

  it("removes another fingerprint's folder once nothing has opened it for a day, not sooner, and nothing else", async () => {
    await writeFile(join(tenantFolder, 'city.yaml'), minimal)
    // The server's bundle and its job workers' are two fingerprints sharing the folder: neither may clear the other's.
    const [server, worker] = ['a'.repeat(32), 'b'.repeat(32)]
    await loadTenantDirectory(tenantFolder, { cache: await openValidatedCache(cacheFolder, server) })
    await loadTenantDirectory(tenantFolder, { cache: await openValidatedCache(cacheFolder, worker) })
    expect((await readdir(cacheFolder)).sort()).toEqual([server, worker])

    await makeOlder(join(cacheFolder, server), 2 * DAY)
    await openValidatedCache(cacheFolder, server)
    await openValidatedCache(cacheFolder, worker)
    expect((await readdir(cacheFolder)).sort()).toEqual([server, worker])

    // What is not a fingerprint's folder was put there by someone else (TENANT_CACHE_DIR names a folder): it stays.
    await mkdir(join(cacheFolder, 'notes'))
    await writeFile(join(cacheFolder, 'README'), 'kept')
    for (const name of [server, 'notes', 'README']) await makeOlder(join(cacheFolder, name), 2 * DAY)
    await openValidatedCache(cacheFolder, worker)
    expect((await readdir(cacheFolder)).sort()).toEqual(['README', worker, 'notes'].sort())
  })

  it('checks a file again once it has changed, and reports its problems, though its old text was cached', async () => {
    await writeFile(join(tenantFolder, 'city.yaml'), minimal)
    const cache = await openValidatedCache(cacheFolder, 'code')
    await loadTenantDirectory(tenantFolder, { cache })
    await writeFile(
      join(tenantFolder, 'city.yaml'),
      minimal.replace('earlyAnswerTargetDays: 30', 'earlyAnswerTargetDays: thirty'),
    )
    const result = await loadTenantDirectory(tenantFolder, { cache })
    expect(result.tenants).toEqual([])
    expect(result.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/city\.yaml:131 earlyAnswerTargetDays: is a text; expected a number$/),
    ])
    // Only valid files are kept: the broken text has no entry.
    expect(await readdir(join(cacheFolder, 'code'))).toEqual([`${computeContentVersion(minimal)}.v8`])
  })

  it('treats an entry it cannot read as missing, and writes it again', async () => {
    await writeFile(join(tenantFolder, 'city.yaml'), minimal)
    const cache = counting(await openValidatedCache(cacheFolder, 'code'))
    const entry = join(cacheFolder, 'code', `${computeContentVersion(minimal)}.v8`)
    await loadTenantDirectory(tenantFolder, { cache })
    await writeFile(entry, 'half an entr')
    expect(slugsOf(await loadTenantDirectory(tenantFolder, { cache }))).toEqual(['sample-city'])
    expect(cache.hits).toBe(0)
    expect(slugsOf(await loadTenantDirectory(tenantFolder, { cache }))).toEqual(['sample-city'])
    expect(cache.hits).toBe(1)
  })

  it('after a whole folder is loaded, keeps every entry that load used however old, and removes those unused for a day', async () => {
    const city = join(tenantFolder, 'city.yaml')
    const versions = [
      'earlyAnswerTargetDays: 31',
      'earlyAnswerTargetDays: 32',
      'earlyAnswerTargetDays: 33',
    ].map((days) => minimal.replace('earlyAnswerTargetDays: 30', days))
    await writeFile(
      join(tenantFolder, 'other.yaml'),
      minimal
        .replace('slug: sample-city', 'slug: other-city')
        .replace(/referenceCodePrefix: .*/, 'referenceCodePrefix: OTH'),
    )
    for (const version of versions) {
      await writeFile(city, version)
      await loadTenantDirectory(tenantFolder, { cache: await openValidatedCache(cacheFolder, 'code') })
    }
    const folder = join(cacheFolder, 'code')
    const entryOf = (text: string) => join(folder, `${computeContentVersion(text)}.v8`)
    const [oldest, older, current] = versions.map(entryOf) as [string, string, string]
    const otherCity = entryOf(
      minimal
        .replace('slug: sample-city', 'slug: other-city')
        .replace(/referenceCodePrefix: .*/, 'referenceCodePrefix: OTH'),
    )
    expect((await readdir(folder)).sort()).toEqual(
      [oldest, older, current, otherCity].map((entry) => basename(entry)).sort(),
    )
    // Written two days ago: the entries this load uses (an unchanged city, and the city's current text), an old version of
    // the city, and what a crashed writer left. The city's other old version was written an hour ago (another process).
    const leftByACrash = `${oldest}.0000.tmp`
    await writeFile(leftByACrash, 'half')
    for (const path of [oldest, current, otherCity, leftByACrash]) await makeOlder(path, 2 * DAY)
    await makeOlder(older, HOUR)

    const opened = await openValidatedCache(cacheFolder, 'code')
    const cache = counting(opened)
    await loadTenantDirectory(tenantFolder, { cache })
    expect(cache.hits).toBe(2)
    const pruned = await opened.prune()

    expect((await readdir(folder)).sort()).toEqual(
      [older, current, otherCity].map((entry) => basename(entry)).sort(),
    )
    expect(pruned).toEqual({ kept: 3, removed: 2 })
    // The entries in use are marked as used now, so a day without a load does not remove them either.
    for (const path of [current, otherCity])
      expect(Date.now() - (await stat(path)).mtimeMs).toBeLessThan(HOUR)
    const warm = counting(await openValidatedCache(cacheFolder, 'code'))
    await loadTenantDirectory(tenantFolder, { cache: warm })
    expect(warm.hits).toBe(2)
  })

  it('several processes writing the same entries at once: a reader never meets a partial entry nor misses a written one', async () => {
    const config = (await loadTenantDirectory(tenantsDirectory)).tenants.find((tenant) =>
      tenant.file.endsWith('aomori.yaml'),
    )!.config
    const key = 'same-text'
    await (await openValidatedCache(cacheFolder, 'code')).set(key, config)
    const writers = Array.from({ length: 3 }, () => writeRepeatedly(cacheFolder, 'code', key, 40))
    const reader = await openValidatedCache(cacheFolder, 'code')
    let reads = 0
    let running = true
    const finished = Promise.all(writers).finally(() => {
      running = false
    })
    while (running) {
      expect(await reader.get(key)).toStrictEqual(config)
      reads++
    }
    await finished
    expect(reads).toBeGreaterThan(10)
    expect(await readdir(join(cacheFolder, 'code'))).toEqual([`${key}.v8`])
  }, 60_000)

  it('fingerprints every source file of the schema, the loader and the meaning checks, in both packages', async () => {
    const names = (await validatingCodeFiles()).map(
      (file) => `${basename(join(file, '..', '..'))}/${basename(file)}`,
    )
    expect(names).toEqual(
      expect.arrayContaining([
        'tenant-config/schema.ts',
        'tenant-config/load.ts',
        'tenant-config/problems.ts',
        'tenant-config/cross-references.ts',
        'tenant-config/localization.ts',
        'workflow/definition.ts',
        'workflow/validate.ts',
        'workflow/track.ts',
      ]),
    )
    expect(names.filter((name) => name.endsWith('.test.ts'))).toEqual([])
  })
})
