import { readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseTenantSource } from './load'
import { buildProposalFormSchema } from './proposal-form'
import type { TenantConfig } from './schema'

let config: TenantConfig

beforeAll(async () => {
  const result = parseTenantSource(await readFile(new URL('./fixtures/minimal.yaml', import.meta.url), 'utf8'), 'minimal.yaml')
  if (!result.ok) throw new Error('fixture invalid')
  config = result.tenant.config
})

const messagesOf = (result: { success: boolean; error?: { issues: { path: (string | number)[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]))

describe('buildProposalFormSchema', () => {
  it('accepts answers within the limits, leaving optional fields out', () => {
    const schema = buildProposalFormSchema(config, 'free')
    expect(schema.safeParse({ title: '除雪の実証', budget: 0, field: 'disaster', documents: [] }).success).toBe(true)
    expect(schema.safeParse({ title: '除雪の実証', budget: '', field: null }).success).toBe(true)
  })

  it('reports each broken rule on its field, in Japanese by default', () => {
    const result = buildProposalFormSchema(config, 'free').safeParse({
      title: 'x'.repeat(101),
      budget: -1,
      field: 'tourism',
      documents: [{ name: 'a.zip', mimeType: 'application/zip', bytes: 10 }],
    })
    expect(messagesOf(result)).toEqual({
      title: '「件名」は100文字以内で入力してください。',
      budget: '「概算費用」には0以上の値を入力してください。',
      field: '「分野」に「tourism」という選択肢はありません。選択肢から選んでください。',
      'documents.0': '「資料」に添付できるファイルの種類は application/pdf です。',
    })
  })

  it('reports in English on request, including a missing required answer and an unknown one', () => {
    const result = buildProposalFormSchema(config, 'free', 'en').safeParse({
      budget: 200000000,
      documents: [{ name: 'a.pdf', mimeType: 'application/pdf', bytes: 2000000 }],
      extra: 'x',
    })
    expect(messagesOf(result)).toMatchObject({
      title: 'Please fill in "Subject".',
      budget: '"Estimated cost" must be at most 100,000,000.',
      'documents.0': 'Each file of "Documents" must be at most 977 kB.',
    })
    expect(result.error?.issues.some((issue) => issue.code === 'unrecognized_keys')).toBe(true)
  })

  it('refuses an unknown proposal type', () => {
    expect(() => buildProposalFormSchema(config, 'nonexistent')).toThrow('Unknown proposal type "nonexistent"')
  })
})
