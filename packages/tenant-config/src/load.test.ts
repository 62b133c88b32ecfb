import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findCityNames, forbiddenWordsOf } from './city-names'
import { computeContentVersion, loadTenantDirectory, loadTenantFile } from './load'
import { formatProblem } from './problems'
import { repositoryRoot } from './repository'

const minimalPath = new URL('./fixtures/minimal.yaml', import.meta.url)

describe('loadTenantDirectory', () => {
  it('loads every file, versions each by content, and rejects a slug used twice', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tenants-'))
    try {
      const source = await readFile(minimalPath, 'utf8')
      await cp(minimalPath, join(directory, 'a.yaml'))
      await writeFile(join(directory, 'b.yaml'), source.replace('referenceCodePrefix: SMP', 'referenceCodePrefix: SMQ'))
      await writeFile(join(directory, 'notes.txt'), 'not a tenant file')
      const { tenants, problems } = await loadTenantDirectory(directory)
      expect(tenants.map((tenant) => tenant.contentVersion)).toEqual([
        computeContentVersion(source),
        computeContentVersion(source.replace('SMP', 'SMQ')),
      ])
      expect(tenants[0]?.contentVersion).toMatch(/^[0-9a-f]{64}$/)
      expect(problems.map(formatProblem)).toEqual([
        expect.stringMatching(/b\.yaml:4 slug: "sample-city" is already used by .*a\.yaml; expected a value no other city uses$/),
      ])
    } finally {
      await rm(directory, { recursive: true, force: true })
    }
  })
})

describe('city-name lint', () => {
  it('derives the names from a tenant file and finds them in sources, skipping tests and fixtures', async () => {
    const words = forbiddenWordsOf('slug: minato\nidentity:\n  name: { ja: 港市, en: Minato City }\n  alsoKnownAs: [みなと]\n')
    // A one-character stem (港) would match ordinary words, so only the full name 港市 is searched.
    expect(words.sort()).toEqual(['Minato', 'Minato City', 'minato', 'みなと', '港市'].sort())
    const root = await mkdtemp(join(tmpdir(), 'sources-'))
    try {
      await writeFile(join(root, 'routing.ts'), "const home = '/'\nif (slug === 'MINATO') {}\n")
      await writeFile(join(root, 'routing.test.ts'), "expect(slug).toBe('minato')\n")
      await writeFile(join(root, 'seed.sql'), "-- 港市の初期データ\n")
      const hits = await findCityNames([root], words, root)
      expect(hits.map((hit) => `${hit.file}:${hit.line}`).sort()).toEqual(['routing.ts:2', 'seed.sql:1'])
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })
})

describe('docs/tenant-template.yaml', () => {
  it('is itself a valid tenant file, so the template cannot drift from the schema', async () => {
    const result = await loadTenantFile(join(repositoryRoot, 'docs/tenant-template.yaml'))
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([])
  })
})
