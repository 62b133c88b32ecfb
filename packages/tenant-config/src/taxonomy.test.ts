import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { loadTenantDirectory, parseTenantSource } from './load'
import { formatProblem } from './problems'
import { tenantsDirectory } from './repository'
import { checkFieldMapping, loadTaxonomy, parseTaxonomySource, platformFieldsOf, type Taxonomy } from './taxonomy'

const minimalPath = new URL('./fixtures/minimal.yaml', import.meta.url)

async function platformTaxonomy(): Promise<Taxonomy> {
  const result = await loadTaxonomy(tenantsDirectory)
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  return result.taxonomy
}

describe('the platform taxonomy', () => {
  it('is valid, labelled in ja and en, and names the usual municipal fields', async () => {
    const taxonomy = await platformTaxonomy()
    const ids = taxonomy.fields.map((field) => field.id)
    expect(ids).toEqual(expect.arrayContaining(['disaster_prevention', 'childcare', 'tourism', 'transport', 'dx', 'environment', 'welfare_health', 'education', 'industry', 'urban_development']))
    expect(new Set(ids).size).toBe(ids.length)
    for (const field of taxonomy.fields) {
      expect(field.label.ja.length).toBeGreaterThan(0)
      expect(field.label.en.length).toBeGreaterThan(0)
      for (const goal of field.sdgs) expect(goal).toBeGreaterThanOrEqual(1)
    }
  })

  it('maps every field of every city file in tenants/ to a field of the taxonomy', async () => {
    const taxonomy = await platformTaxonomy()
    const { tenants } = await loadTenantDirectory(tenantsDirectory)
    expect(tenants.length).toBeGreaterThanOrEqual(2)
    for (const tenant of tenants) {
      const report = checkFieldMapping(tenant.config, await readFile(tenant.file, 'utf8'), tenant.file, taxonomy)
      expect([...report.errors, ...report.unmapped].map(formatProblem)).toEqual([])
    }
  })

  it('reports a repeated id, a label missing its English and a goal out of range, each at its line', () => {
    const source = [
      'schemaVersion: 1',
      'fields:',
      '  - id: dx',
      '    label: { ja: DX, en: DX }',
      '  - id: dx',
      '    label: { ja: 防災 }',
      '    sdgs: [18]',
    ].join('\n')
    const result = parseTaxonomySource(source, 'taxonomy.yaml')
    expect(result.ok).toBe(false)
    const lines = result.ok ? [] : result.problems.map(formatProblem)
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^taxonomy\.yaml:6 fields\[1\]\.label/),
        expect.stringMatching(/^taxonomy\.yaml:7 fields\[1\]\.sdgs\[0\]: .*a goal from 1 to 17/),
      ]),
    )
    const repeated = parseTaxonomySource(source.replace('    label: { ja: 防災 }\n    sdgs: [18]', '    label: { ja: 防災, en: Disaster }'), 'taxonomy.yaml')
    expect(repeated.ok ? [] : repeated.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^taxonomy\.yaml:5 fields\[1\]\.id: .*an id no other field uses/),
    ])
  })

  it('reports a city field left unmapped (a warning) and an unknown platform field (an error) with file:line', async () => {
    const taxonomy = await platformTaxonomy()
    const source = (await readFile(minimalPath, 'utf8')).replace(
      '  - { id: childcare, label: { ja: 子育て, en: Childcare } }',
      [
        '  - { id: childcare, label: { ja: 子育て, en: Childcare } }',
        '  - { id: roads, label: { ja: 道路, en: Roads }, platformField: highways }',
        '  - { id: bousai, label: { ja: 防災, en: Disaster prevention }, platformField: disaster_prevention }',
      ].join('\n'),
    )
    const loaded = parseTenantSource(source, 'city.yaml')
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'))
    const report = checkFieldMapping(loaded.tenant.config, source, 'city.yaml', taxonomy)
    expect(report.unmapped.map(formatProblem)).toEqual([
      expect.stringMatching(/^city\.yaml:133 fieldsOfActivity\[0\]: "childcare" is not mapped to the platform taxonomy/),
    ])
    expect(report.errors.map(formatProblem)).toEqual([
      expect.stringMatching(/^city\.yaml:134 fieldsOfActivity\[1\]\.platformField: "highways" is not a field of the platform taxonomy/),
    ])
    expect(platformFieldsOf(loaded.tenant.config, ['childcare', 'bousai', 'unknown'])).toEqual(['disaster_prevention'])
  })
})

