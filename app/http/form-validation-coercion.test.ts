import type * as ConformZod from '@conform-to/zod'
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'

// The coercion conform applies, counted: a schema is made ready for form values once, however often it reads.
vi.mock('@conform-to/zod', async (original) => {
  const conform = await original<typeof ConformZod>()
  return { ...conform, unstable_coerceFormValue: vi.fn(conform.unstable_coerceFormValue) }
})

const { unstable_coerceFormValue: coerceFormValue } = await import('@conform-to/zod')
const { parseSubmission, readQuery } = await import('./form-validation.server')

describe('a schema made ready for form values', () => {
  it('once per schema, for queries and forms alike, and read as conform reads them', () => {
    const schema = z.object({
      page: z.number().int().optional(),
      done: z.boolean().optional(),
      q: z.string().optional(),
    })
    const coerced = vi.mocked(coerceFormValue)
    coerced.mockClear()
    expect(readQuery(new URLSearchParams('page=2&done=on&q='), schema).value).toEqual({ page: 2, done: true })
    expect(readQuery(new URLSearchParams('page=3'), schema).value).toEqual({ page: 3 })
    const form = new FormData()
    form.set('page', '4')
    expect(parseSubmission(form, schema)).toEqual({ page: 4 })
    expect(coerced).toHaveBeenCalledTimes(1)
    readQuery(new URLSearchParams('page=1'), z.object({ page: z.number().optional() }))
    expect(coerced).toHaveBeenCalledTimes(2)
  })
})
