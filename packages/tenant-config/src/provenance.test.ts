import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { arrangementOf, hasNoAgreementOutcome } from './arrangement'
import { loadTenantDirectory, parseTenantSource } from './load'
import { formatProblem } from './problems'
import { formFieldPath, isPlatformDefault, platformDefaultEntries, resolveProvenancePath } from './provenance'
import { repositoryRoot, tenantsDirectory } from './repository'
import type { TenantConfig } from './schema'

const FIXTURE = join(repositoryRoot, 'e2e/fixtures/tenants/fictional-village.yaml')
let village: { source: string; config: TenantConfig }
let aomori: TenantConfig
let komatsu: TenantConfig

function parse(source: string, file = 'village.yaml') {
  return parseTenantSource(source, file)
}
const lineOf = (text: string, needle: string) =>
  text.split('\n').findIndex((line) => line.includes(needle)) + 1

beforeAll(async () => {
  const source = await readFile(FIXTURE, 'utf8')
  const result = parse(source)
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  village = { source, config: result.tenant.config }
  const { tenants } = await loadTenantDirectory(tenantsDirectory)
  aomori = tenants.find((tenant) => tenant.config.slug === 'aomori')!.config
  komatsu = tenants.find((tenant) => tenant.config.slug === 'komatsu')!.config
})

describe('provenance paths into lists', () => {
  it('Aomori: the form fields beyond 件名・内容 (guideline line 363) are platform defaults, those two are not', () => {
    const fields = aomori.forms.find((form) => form.id === 'proposal')!.fields
    const marked = fields.filter((field) => isPlatformDefault(aomori, formFieldPath('proposal', field.id)))
    expect(marked.map((field) => field.label.ja)).toEqual([
      '期待される効果',
      '市に求める協力内容',
      '分野',
      '実施希望時期',
      '概算事業費',
      '添付資料',
    ])
    expect(fields.filter((field) => !marked.includes(field)).map((field) => field.label.ja)).toEqual([
      '件名',
      '内容',
    ])
    // The desk's own division is the guideline's (line 343); the others are placeholders.
    expect(isPlatformDefault(aomori, 'departments[partnership_promotion]')).toBe(false)
    expect(isPlatformDefault(aomori, 'departments[welfare]')).toBe(true)
  })

  it('a path marks what is under it; a list item is named by its id, an option by its value', () => {
    expect(isPlatformDefault(komatsu, formFieldPath('proposal', 'title'))).toBe(true) // `forms` marks every field
    const option = resolveProvenancePath(village.config, 'forms[proposal].fields[sdg_goals].options[13]')
    expect(option).toEqual({
      ok: true,
      value: { value: 13, label: { ja: '目標13 気候変動に具体的な対策を' } },
    })
    expect(platformDefaultEntries(village.config)).toContainEqual({
      path: 'forms[proposal].fields[scale]',
      label: { ja: '事業の規模' },
      value: null,
      count: null,
    })
  })

  it('a path that names no item is refused with its line, saying which part is wrong', () => {
    const source = village.source.replace(
      '  - forms[proposal].fields[scale]',
      '  - forms[proposal].fields[budget]',
    )
    const result = parse(source)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.map(formatProblem)).toEqual([
      `village.yaml:${lineOf(source, 'fields[budget]')} platformDefaults[3]: "forms[proposal].fields[budget]": forms[proposal].fields has no item with the id or value "budget"; expected the path of a value set in the file, list items by id: forms[proposal].fields[expected_effect]`,
    ])
    const notAList = parse(village.source.replace('  - forms[proposal].fields[scale]', '  - identity[name]'))
    expect(notAList.ok || notAList.problems.map((problem) => problem.message)).toEqual([
      '"identity[name]": identity is not a list, so [name] names nothing',
    ])
  })
})

describe('the no-agreement outcome', () => {
  it('is the arrangement of a method with neither an agreement kind nor a public call, worded by the file', () => {
    expect(arrangementOf(village.config, 'without_agreement')).toEqual({
      arrangement: 'no_agreement',
      agreementKinds: [],
    })
    expect(arrangementOf(village.config, 'with_agreement')).toEqual({
      arrangement: 'agreement',
      agreementKinds: ['cooperation'],
    })
    expect(arrangementOf(village.config, null)).toBeUndefined()
    expect(village.config.noAgreement?.label.ja).toBe('協定を結ばない協働')
    // Both real guidelines word it (Komatsu lines 126 and 184, Aomori line 186).
    expect(komatsu.noAgreement?.label.ja).toBe('協定を伴わない連携')
    expect(arrangementOf(komatsu, 'other')?.arrangement).toBe('no_agreement')
    expect(aomori.noAgreement?.description?.ja).toBe(
      '※ 連携協定によらないで個別に事業を実施する場合があります。',
    )
    expect(hasNoAgreementOutcome(aomori)).toBe(true)
  })

  it('is refused where no method leads to it, and a transition asking agreement details for it alone', () => {
    const withoutMethod = village.source
      .replace(
        '  - id: without_agreement\n    label: { ja: 協定によらない協働 }\n    description: { ja: 協定を結ばずに協働します。 }\n',
        '',
      )
      .replace('methods: [without_agreement]', 'methods: [with_agreement]')
    const first = parse(withoutMethod)
    expect(first.ok || first.problems.map(formatProblem)).toEqual([
      `village.yaml:${lineOf(withoutMethod, 'noAgreement:')} noAgreement: the file words the no-agreement outcome, but every collaboration method concludes an agreement or goes to a public call; expected a collaboration method with neither agreementKind nor viaPublicCall, or no noAgreement section`,
    ])
    const detailsForNone = village.source.replace(
      '        methods: [without_agreement]\n        requires: [decision, collaboration_method]',
      '        methods: [without_agreement]\n        requires: [decision, collaboration_method, agreement]',
    )
    const second = parse(detailsForNone)
    expect(second.ok || second.problems.map((problem) => problem.message)).toEqual([
      'transition "decide_without_agreement" asks for agreement details, but its methods (without_agreement) conclude no agreement',
    ])
  })
})

describe('the fixture city uses every schema addition', () => {
  it('requirement criteria, the no-agreement outcome, numeric and code options, no role matrix, Japanese only', () => {
    const { config } = village
    expect(config.locales).toEqual(['ja'])
    expect(config.roleMatrix).toBeUndefined()
    expect(
      config.eligibility.criteria
        .filter((criterion) => criterion.kind === 'requirement')
        .map((c) => c.decidedBy),
    ).toEqual(['intake', 'desk'])
    expect(config.noAgreement).toBeDefined()
    const fields = config.forms[0]!.fields
    const sdg = fields.find((field) => field.id === 'sdg_goals')
    expect(sdg?.type === 'multi_select' && sdg.options.map((option) => option.value)).toEqual(
      Array.from({ length: 17 }, (_, index) => index + 1),
    )
    const scale = fields.find((field) => field.id === 'scale')
    expect(scale?.type === 'select' && scale.options.map((option) => option.value)).toEqual(['S-1', 'S-2'])
  })
})
