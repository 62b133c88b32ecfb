import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
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
    set: (contentVersion: string, config: Parameters<ValidatedTenantCache['set']>[1]) => cache.set(contentVersion, config),
  }
  return counted
}

const slugsOf = (result: Awaited<ReturnType<typeof loadTenantDirectory>>) => result.tenants.map((tenant) => tenant.config.slug)

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
    expect(await readdir(cacheFolder)).toEqual(['new-code'])
  })

  it('checks a file again once it has changed, and reports its problems, though its old text was cached', async () => {
    await writeFile(join(tenantFolder, 'city.yaml'), minimal)
    const cache = await openValidatedCache(cacheFolder, 'code')
    await loadTenantDirectory(tenantFolder, { cache })
    await writeFile(join(tenantFolder, 'city.yaml'), minimal.replace('earlyAnswerTargetDays: 30', 'earlyAnswerTargetDays: thirty'))
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

  it('fingerprints every source file of the schema, the loader and the meaning checks, in both packages', async () => {
    const names = (await validatingCodeFiles()).map((file) => `${basename(join(file, '..', '..'))}/${basename(file)}`)
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
