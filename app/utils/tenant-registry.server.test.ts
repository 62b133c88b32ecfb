import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
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
})
