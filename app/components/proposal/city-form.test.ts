import { readFile } from 'node:fs/promises'
import { answerViews, buildProposalFormSchema, formatProblem, parseTenantSource, type TenantConfig } from '@desk/tenant-config'
import { beforeAll, describe, expect, it } from 'vitest'
import { answersFromForm, cityFormView, fieldName } from './city-form'

let config: TenantConfig

beforeAll(async () => {
  const minimal = await readFile(new URL('../../../packages/tenant-config/src/fixtures/minimal.yaml', import.meta.url), 'utf8')
  const source = minimal.replace(
    '      - id: documents\n',
    `      - id: sdgs
        type: multi_select
        label: { ja: 関連するSDGs, en: Related SDGs }
        options:
          - { value: 1, label: { ja: 目標1 貧困をなくそう, en: Goal 1 No poverty } }
          - { value: 13, label: { ja: 目標13 気候変動に具体的な対策を, en: Goal 13 Climate action } }
      - id: documents\n`,
  )
  const result = parseTenantSource(source, 'numeric.yaml')
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'))
  config = result.tenant.config
})

/** What the proposal page does with one city's posted form: read the answers, validate them, show them. */
function submit(checked: string[], locale: string) {
  const view = cityFormView(config, locale, 'corporation', [])
  const fields = view.forms[view.formOfType.free ?? ''] ?? []
  const formData = new FormData()
  formData.set(fieldName(config.slug, 'title'), '脱炭素の実証')
  for (const value of checked) formData.append(fieldName(config.slug, 'sdgs'), value)
  return { fields, parsed: buildProposalFormSchema(config, 'free', locale).safeParse(answersFromForm(fields, formData, () => [])) }
}

describe('a choice whose options are numbers, through the proposal form', () => {
  it('offers the numbers as form values, stores the checked ones as numbers and shows them by label in ja and en', () => {
    const { fields, parsed } = submit(['13', '1'], 'ja')
    expect(fields.find((field) => field.id === 'sdgs')?.options).toEqual([
      { value: '1', label: '目標1 貧困をなくそう' },
      { value: '13', label: '目標13 気候変動に具体的な対策を' },
    ])
    expect(parsed.success && parsed.data.sdgs).toEqual([13, 1])
    const stored = parsed.success ? parsed.data : {}
    const shown = (locale: string) => answerViews(config, 'free', stored, locale).find((view) => view.id === 'sdgs')?.value
    expect(shown('ja')).toBe('目標13 気候変動に具体的な対策を、目標1 貧困をなくそう')
    expect(shown('en')).toBe('Goal 13 Climate action and Goal 1 No poverty')
  })

  it('refuses a number that is not an option, saying so in the proposer\'s language', () => {
    const ja = submit(['18'], 'ja').parsed
    expect(ja.success).toBe(false)
    expect(ja.error?.issues.map((issue) => issue.message)).toEqual([
      '「関連するSDGs」に「18」という選択肢はありません。選択肢から選んでください。',
    ])
    expect(submit(['18'], 'en').parsed.error?.issues.map((issue) => issue.message)).toEqual([
      '"18" is not one of the options of "Related SDGs". Please choose from the options.',
    ])
  })
})
