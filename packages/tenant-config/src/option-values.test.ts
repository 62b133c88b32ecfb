import { readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseTenantSource } from './load'
import { formatProblem } from './problems'
import { buildProposalFormSchema, readFormIssue } from './proposal-form'
import type { TenantConfig } from './schema'
import { answerViews } from './value-display'

/** The fixture city with two more fields: SDG goals stored as numbers, and a choice stored as codes. */
const sdgFields = `      - id: sdgs
        type: multi_select
        label: { ja: 関連するSDGs, en: Related SDGs }
        options:
          - { value: 1, label: { ja: 目標1 貧困をなくそう, en: Goal 1 No poverty } }
          - { value: 11, label: { ja: 目標11 住み続けられるまちづくりを, en: Goal 11 Sustainable cities and communities } }
          - { value: 13, label: { ja: 目標13 気候変動に具体的な対策を, en: Goal 13 Climate action } }
      - id: main_goal
        type: select
        label: { ja: 主な目標, en: Main goal }
        options:
          - { value: SDG-13.1, label: { ja: ターゲット13.1, en: Target 13.1 } }
          - { value: 7, label: { ja: 目標7, en: Goal 7 } }
`

let source: string
let config: TenantConfig

/** The 1-based line of a file's text that contains `needle`. */
function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1
}

function withSdgFields(base: string, fields = sdgFields): string {
  return base.replace('      - id: documents\n', `${fields}      - id: documents\n`)
}

beforeAll(async () => {
  source = await readFile(new URL('./fixtures/minimal.yaml', import.meta.url), 'utf8')
  const result = parseTenantSource(withSdgFields(source), 'numeric.yaml')
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  config = result.tenant.config
})

const issuesOf = (result: { success: boolean; error?: { issues: { path: (string | number)[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join('.'), readFormIssue(issue.message) ?? issue.message]))

describe('choice options stored as numbers or codes', () => {
  it('loads a file whose options are numbers and codes, keeping each value as written', () => {
    const fields = config.forms[0]?.fields ?? []
    const sdgs = fields.find((field) => field.id === 'sdgs')
    const mainGoal = fields.find((field) => field.id === 'main_goal')
    expect(sdgs?.type === 'multi_select' && sdgs.options.map((option) => option.value)).toEqual([1, 11, 13])
    expect(mainGoal?.type === 'select' && mainGoal.options.map((option) => option.value)).toEqual(['SDG-13.1', 7])
  })

  it('refuses a value used twice in a field, 13 beside "13" included, with file and line', () => {
    const twice = sdgFields.replace('{ value: 11,', '{ value: 1,').replace('{ value: 7,', '{ value: "SDG-13.1",')
    const file = withSdgFields(source, twice)
    const result = parseTenantSource(file, 'numeric.yaml')
    expect(result.ok).toBe(false)
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      `numeric.yaml:${lineOf(file, '目標11')} forms[0].fields[3].options[1].value: duplicate option value 1; expected option values unique within the field (13 and "13" count as the same)`,
      `numeric.yaml:${lineOf(file, '目標7')} forms[0].fields[4].options[1].value: duplicate option value "SDG-13.1"; expected option values unique within the field (13 and "13" count as the same)`,
    ])
    const asText = withSdgFields(source, sdgFields.replace('{ value: 11,', '{ value: "13",'))
    const sameAsText = parseTenantSource(asText, 'numeric.yaml')
    expect(sameAsText.ok ? [] : sameAsText.problems.map(formatProblem)).toEqual([
      expect.stringMatching(new RegExp(`^numeric\\.yaml:${lineOf(asText, '目標13')} .*options\\[2\\]\\.value: duplicate option value 13;`)),
    ])
  })

  it('refuses a value that is neither a number nor a code, with file and line', () => {
    const file = withSdgFields(source, sdgFields.replace('{ value: 13,', '{ value: "目標 13",'))
    const result = parseTenantSource(file, 'numeric.yaml')
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      `numeric.yaml:${lineOf(file, '"目標 13"')} forms[0].fields[3].options[2].value: "目標 13" is not valid; expected a number or a code of letters, digits, "_", "." and "-" such as 13 or "sdg_13"`,
    ])
  })

  it('stores a chosen number as a number, whether posted as "13" or sent as 13', () => {
    const schema = buildProposalFormSchema(config, 'free')
    const parsed = schema.safeParse({ title: '脱炭素の実証', sdgs: ['13', 1], main_goal: '7' })
    expect(parsed.success && parsed.data).toMatchObject({ sdgs: [13, 1], main_goal: 7 })
    const code = schema.safeParse({ title: '脱炭素の実証', main_goal: 'SDG-13.1' })
    expect(code.success && code.data).toMatchObject({ main_goal: 'SDG-13.1' })
  })

  it('refuses a number that is not an option, naming it (the app words it in the reader\'s language)', () => {
    const answers = { title: '脱炭素の実証', sdgs: ['18'], main_goal: 13 }
    expect(issuesOf(buildProposalFormSchema(config, 'free').safeParse(answers))).toEqual({
      'sdgs.0': { key: 'notAnOption', field: 'sdgs', detail: '18' },
      main_goal: { key: 'notAnOption', field: 'main_goal', detail: '13' },
    })
    expect(issuesOf(buildProposalFormSchema(config, 'free').safeParse({ title: 'x', main_goal: true }))).toEqual({
      main_goal: { key: 'notAnOption', field: 'main_goal' },
    })
  })

  it('shows stored numbers and codes by their labels in the reader\'s language', () => {
    const answers = { title: '脱炭素の実証', sdgs: [13, 1], main_goal: 'SDG-13.1' }
    const shown = (locale: string) =>
      Object.fromEntries(answerViews(config, 'free', answers, locale).map((view) => [view.label, view.value]))
    expect(shown('ja')).toMatchObject({
      関連するSDGs: '目標13 気候変動に具体的な対策を、目標1 貧困をなくそう',
      主な目標: 'ターゲット13.1',
    })
    expect(shown('en')).toMatchObject({
      'Related SDGs': 'Goal 13 Climate action and Goal 1 No poverty',
      'Main goal': 'Target 13.1',
    })
  })
})
