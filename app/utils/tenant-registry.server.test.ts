import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { computeContentVersion } from '@desk/tenant-config'
import { openValidatedCache } from '@desk/tenant-config/validated-cache'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from './logger.server'
import { createTenantRegistry, type AppliedTenants } from './tenant-registry.server'

const logger = createLogger('silent')
const realTenantFile = path.resolve('tenants/komatsu.yaml')
let directory: string

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'registry-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

describe('tenant registry', () => {
  it('loads every valid file and finds it by slug', async () => {
    await writeFile(path.join(directory, 'komatsu.yaml'), await readFile(realTenantFile, 'utf8'))
    const registry = await createTenantRegistry({ directory, logger, watch: false })
    expect(registry.list().map((tenant) => tenant.slug)).toEqual(['komatsu'])
    expect(registry.get('komatsu')?.config.identity.referenceCodePrefix).toBeTruthy()
    expect(registry.has('nowhere')).toBe(false)
  })

  it('keeps serving the last good configuration when a file becomes invalid, and reports the problem', async () => {
    const file = path.join(directory, 'komatsu.yaml')
    const source = await readFile(realTenantFile, 'utf8')
    await writeFile(file, source)
    const registry = await createTenantRegistry({ directory, logger, watch: false })
    const before = registry.get('komatsu')!

    await writeFile(file, source.replace(/accentColor: .*/, 'accentColor: "blue"'))
    const report = await registry.reload()
    expect(report.rejected).toHaveLength(1)
    expect(report.rejected[0]!.problems.join('\n')).toMatch(/identity\.accentColor/)
    expect(registry.get('komatsu')).toBe(before)
  })

  it('rejects an invalid file it never served without affecting the others', async () => {
    await writeFile(path.join(directory, 'komatsu.yaml'), await readFile(realTenantFile, 'utf8'))
    await writeFile(path.join(directory, 'broken.yaml'), 'slug: [unclosed')
    const registry = await createTenantRegistry({ directory, logger, watch: false })
    expect(registry.list().map((tenant) => tenant.slug)).toEqual(['komatsu'])
  })

  it('picks up a changed file on reload with a new version', async () => {
    const file = path.join(directory, 'komatsu.yaml')
    const source = await readFile(realTenantFile, 'utf8')
    await writeFile(file, source)
    const registry = await createTenantRegistry({ directory, logger, watch: false })
    const firstVersion = registry.get('komatsu')!.version
    await writeFile(file, source.replace(/earlyAnswerTargetDays: \d+/, 'earlyAnswerTargetDays: 21'))
    await registry.reload()
    expect(registry.get('komatsu')!.version).not.toBe(firstVersion)
    expect(registry.get('komatsu')!.config.earlyAnswerTargetDays).toBe(21)
  })

  it('validates on reload only the files and applied files whose text changed', async () => {
    const source = await readFile(realTenantFile, 'utf8')
    const aomori = await readFile(path.resolve('tenants/aomori.yaml'), 'utf8')
    await writeFile(path.join(directory, 'komatsu.yaml'), source)
    await writeFile(path.join(directory, 'aomori.yaml'), aomori)
    let appliedSource = source.replace(/earlyAnswerTargetDays: \d+/, 'earlyAnswerTargetDays: 22')
    const applied: AppliedTenants = {
      stamp: async () => 'stamp',
      rows: async () => [{ slug: 'komatsu', status: 'live', configFile: 'komatsu.yaml', configSource: appliedSource }],
    }
    const registry = await createTenantRegistry({ directory, logger, watch: false, applied })
    const before = { aomori: registry.get('aomori')!, komatsu: registry.get('komatsu')! }
    expect(before.komatsu.config.earlyAnswerTargetDays).toBe(22)

    // Unchanged: the configuration served is the one validated before, not a new one.
    await registry.reload()
    expect(registry.get('aomori')!.config).toBe(before.aomori.config)
    expect(registry.get('komatsu')!.config).toBe(before.komatsu.config)

    // Changed, in the folder and in the database: validated again, and a broken text is still refused.
    await writeFile(path.join(directory, 'aomori.yaml'), aomori.replace(/earlyAnswerTargetDays: \d+/, 'earlyAnswerTargetDays: 23'))
    appliedSource = source.replace(/earlyAnswerTargetDays: \d+/, 'earlyAnswerTargetDays: 24')
    await registry.reload()
    expect(registry.get('aomori')!.config.earlyAnswerTargetDays).toBe(23)
    expect(registry.get('komatsu')!.config.earlyAnswerTargetDays).toBe(24)
    appliedSource = source.replace(/earlyAnswerTargetDays: \d+/, 'earlyAnswerTargetDays: soon')
    const report = await registry.reload()
    expect(report.rejected.flatMap((rejected) => rejected.problems).join('\n')).toMatch(/earlyAnswerTargetDays: is a text/)
    expect(registry.get('komatsu')!.config.earlyAnswerTargetDays).toBe(24)
  })

  it('starts from the texts an earlier start validated (folder and applied files), and prunes what it did not use', async () => {
    const cacheDirectory = await mkdtemp(path.join(tmpdir(), 'registry-cache-'))
    try {
      const aomori = await readFile(path.resolve('tenants/aomori.yaml'), 'utf8')
      const komatsu = await readFile(realTenantFile, 'utf8')
      await writeFile(path.join(directory, 'aomori.yaml'), aomori)
      const applied: AppliedTenants = {
        stamp: async () => 'stamp',
        rows: async () => [{ slug: 'komatsu', status: 'live', configFile: 'komatsu.yaml', configSource: komatsu }],
      }
      const first = await createTenantRegistry({ directory, logger, watch: false, applied, cacheDirectory })
      await first.close()
      const [fingerprint, ...others] = await readdir(cacheDirectory)
      expect(others).toEqual([])
      const entryOf = (text: string) => path.join(cacheDirectory, fingerprint!, `${computeContentVersion(text)}.v8`)
      const used = [entryOf(aomori), entryOf(komatsu)]
      expect((await readdir(path.join(cacheDirectory, fingerprint!))).sort()).toEqual(
        used.map((entry) => path.basename(entry)).sort(),
      )

      // Entries planted with a value no file has stand for what the first start validated: the next start must take them.
      const cache = await openValidatedCache(cacheDirectory)
      for (const tenant of [first.get('aomori')!, first.get('komatsu')!]) {
        await cache.set(tenant.version, { ...tenant.config, earlyAnswerTargetDays: 99 })
      }
      const stale = aomori.replace(/earlyAnswerTargetDays: \d+/, 'earlyAnswerTargetDays: 5')
      await cache.set(computeContentVersion(stale), first.get('aomori')!.config)
      const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000)
      for (const entry of [...used, entryOf(stale)]) await utimes(entry, twoDaysAgo, twoDaysAgo)

      const second = await createTenantRegistry({ directory, logger, watch: false, applied, cacheDirectory })
      expect(second.get('aomori')!.config.earlyAnswerTargetDays).toBe(99)
      expect(second.get('komatsu')!.config.earlyAnswerTargetDays).toBe(99)
      await second.close()
      expect((await readdir(path.join(cacheDirectory, fingerprint!))).sort()).toEqual(
        used.map((entry) => path.basename(entry)).sort(),
      )
    } finally {
      await rm(cacheDirectory, { recursive: true, force: true })
    }
  })

  it('is ready before a cold start has written its entries, which close() waits for', async () => {
    const cacheDirectory = await mkdtemp(path.join(tmpdir(), 'registry-cache-'))
    try {
      await writeFile(path.join(directory, 'komatsu.yaml'), await readFile(realTenantFile, 'utf8'))
      const registry = await createTenantRegistry({ directory, logger, watch: false, cacheDirectory })
      // Read at once, before any I/O completes: the start resolved without writing an entry.
      const [fingerprint] = readdirSync(cacheDirectory)
      const entries = () => (fingerprint && existsSync(path.join(cacheDirectory, fingerprint)) ? readdirSync(path.join(cacheDirectory, fingerprint)) : [])
      expect(entries().filter((name) => name.endsWith('.v8'))).toEqual([])
      expect(registry.get('komatsu')).toBeDefined()
      await registry.close()
      expect(readdirSync(path.join(cacheDirectory, readdirSync(cacheDirectory)[0]!))).toEqual([
        `${registry.get('komatsu')!.version}.v8`,
      ])
    } finally {
      await rm(cacheDirectory, { recursive: true, force: true })
    }
  })

  it('starts with every file checked when the cache folder cannot be made', async () => {
    const file = path.join(directory, 'komatsu.yaml')
    await writeFile(file, await readFile(realTenantFile, 'utf8'))
    // Under a file, no folder can be made, even by root.
    const registry = await createTenantRegistry({ directory, logger, watch: false, cacheDirectory: path.join(file, 'cache') })
    expect(registry.list().map((tenant) => tenant.slug)).toEqual(['komatsu'])
    expect((await registry.reload()).rejected).toEqual([])
    await registry.close()
  })
})
