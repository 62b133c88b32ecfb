import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from './logger.server'
import { createTenantRegistry } from './tenant-registry.server'

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
})
