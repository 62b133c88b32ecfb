import { readFile } from 'node:fs/promises'
import { answerViews, buildProposalFormSchema, formatProblem, parseTenantSource, type TenantConfig } from '@desk/tenant-config'
import { beforeAll, describe, expect, it } from 'vitest'
import { getFixedT } from '~/utils/i18n.server'
import type { Locale } from '~/i18n'
import { answersFromForm, cityFormView, fieldName, wordFormIssue } from './city-form'

let config: TenantConfig

beforeAll(async () => {
  const minimal = await readFile(new URL('../../packages/tenant-config/src/fixtures/minimal.yaml', import.meta.url), 'utf8')
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
  return { fields, parsed: buildProposalFormSchema(config, 'free').safeParse(answersFromForm(fields, formData, () => [])) }
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

  it('refuses a number that is not an option, saying so in the proposer\'s language', async () => {
    const worded = async (locale: Locale) => {
      const t = await getFixedT(locale)
      const { parsed } = submit(['18'], locale)
      expect(parsed.success).toBe(false)
      return parsed.error?.issues.map((issue) =>
        wordFormIssue(issue.message, { config, proposalTypeId: 'free', locale, t }),
      )
    }
    expect(await worded('ja')).toEqual(['「関連するSDGs」に「18」という選択肢はありません。選択肢から選んでください。'])
    expect(await worded('en')).toEqual([
      '"18" is not one of the options of "Related SDGs". Please choose from the options.',
    ])
  })
})

/** Each refusal of the minimal city's form, worded by the app in the reader's language. */
async function wordedIssues(answers: Record<string, unknown>, locale: Locale) {
  const t = await getFixedT(locale)
  const result = buildProposalFormSchema(config, 'free').safeParse(answers)
  return Object.fromEntries(
    (result.error?.issues ?? []).map((issue) => [
      issue.path.join('.'),
      wordFormIssue(issue.message, { config, proposalTypeId: 'free', locale, t }),
    ]),
  )
}

describe('the city form\'s refusals, from the locale files in the reader\'s language', () => {
  it('names the field by its label and the limit as the reader reads it, in Japanese', async () => {
    expect(
      await wordedIssues(
        {
          title: 'x'.repeat(101),
          budget: -1,
          field: 'tourism',
          documents: [{ name: 'a.zip', mimeType: 'application/zip', bytes: 10 }],
        },
        'ja',
      ),
    ).toEqual({
      title: '「件名」は100文字以内で入力してください。',
      budget: '「概算費用」には0以上の値を入力してください。',
      field: '「分野」に「tourism」という選択肢はありません。選択肢から選んでください。',
      'documents.0': '「資料」に添付できるファイルの種類は PDF です。',
    })
  })

  it('and in English, including a missing required answer', async () => {
    expect(
      await wordedIssues(
        { budget: 200000000, documents: [{ name: 'a.pdf', mimeType: 'application/pdf', bytes: 2000000 }] },
        'en',
      ),
    ).toEqual({
      title: 'Please fill in "Subject".',
      budget: '"Estimated cost" must be at most 100,000,000.',
      'documents.0': 'Each file of "Documents" must be at most 977 kB.',
    })
  })

  it('leaves a message that is not a form issue as it is', async () => {
    const t = await getFixedT('ja')
    expect(wordFormIssue('already worded', { config, proposalTypeId: 'free', locale: 'ja', t })).toBe('already worded')
  })
})
