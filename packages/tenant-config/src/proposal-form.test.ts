import { readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseTenantSource } from './load'
import { buildProposalFormSchema, readFormIssue } from './proposal-form'
import type { TenantConfig } from './schema'

let config: TenantConfig

beforeAll(async () => {
  const result = parseTenantSource(await readFile(new URL('./fixtures/minimal.yaml', import.meta.url), 'utf8'), 'minimal.yaml')
  if (!result.ok) throw new Error('fixture invalid')
  config = result.tenant.config
})

/** Each refusal as the schema reports it: a key and values (the app words them in the reader's language). */
const issuesOf = (result: { success: boolean; error?: { issues: { path: (string | number)[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join('.'), readFormIssue(issue.message) ?? issue.message]))

describe('buildProposalFormSchema', () => {
  it('accepts answers within the limits, leaving optional fields out', () => {
    const schema = buildProposalFormSchema(config, 'free')
    expect(schema.safeParse({ title: '除雪の実証', budget: 0, field: 'disaster', documents: [] }).success).toBe(true)
    expect(schema.safeParse({ title: '除雪の実証', budget: '', field: null }).success).toBe(true)
  })

  it('reports each broken rule on its field as a key, the field and the limit it missed — no words of any language', () => {
    const result = buildProposalFormSchema(config, 'free').safeParse({
      title: 'x'.repeat(101),
      budget: -1,
      field: 'tourism',
      documents: [{ name: 'a.zip', mimeType: 'application/zip', bytes: 10 }],
    })
    expect(issuesOf(result)).toEqual({
      title: { key: 'tooLong', field: 'title', limit: { kind: 'count', value: 100 } },
      budget: { key: 'tooSmall', field: 'budget', limit: { kind: 'quantity', value: 0 } },
      field: { key: 'notAnOption', field: 'field', detail: 'tourism' },
      'documents.0': { key: 'fileTypeNotAccepted', field: 'documents', limit: { kind: 'types', value: ['application/pdf'] } },
    })
  })

  it('reports a missing required answer, limits of size and quantity, and an unknown answer', () => {
    const result = buildProposalFormSchema(config, 'free').safeParse({
      budget: 200000000,
      documents: [{ name: 'a.pdf', mimeType: 'application/pdf', bytes: 2000000 }],
      extra: 'x',
    })
    expect(issuesOf(result)).toMatchObject({
      title: { key: 'required', field: 'title' },
      budget: { key: 'tooLarge', field: 'budget', limit: { kind: 'quantity', value: 100000000 } },
      'documents.0': { key: 'fileTooLarge', field: 'documents', limit: { kind: 'bytes', value: 1000000 } },
    })
    expect(result.error?.issues.some((issue) => issue.code === 'unrecognized_keys')).toBe(true)
  })

  it('refuses an unknown proposal type', () => {
    expect(() => buildProposalFormSchema(config, 'nonexistent')).toThrow('Unknown proposal type "nonexistent"')
  })
})
