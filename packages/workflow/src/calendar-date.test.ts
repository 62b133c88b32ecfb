import { describe, expect, it } from 'vitest'
import { isCalendarDate, isoDateSchema } from './requirements'

/** Issue 17, finding 8: impossible dates are refused by the schema, never passed on to PostgreSQL or Date. */
describe('the one date schema', () => {
  it.each(['2026-02-28', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2026-12-31'])(
    'accepts %s',
    (value) => {
      expect(isCalendarDate(value)).toBe(true)
      expect(isoDateSchema.safeParse(value).success).toBe(true)
    },
  )

  it.each([
    '2026-13-01',
    '2026-02-30',
    '2026-02-29',
    '1900-02-29',
    '0000-00-00',
    '0000-01-01',
    '9999-99-99',
    '2026-04-31',
    '2026-00-10',
    '2026-01-00',
    '2026-1-1',
    '',
    'x',
  ])('refuses %s without throwing', (value) => {
    expect(() => isCalendarDate(value)).not.toThrow()
    expect(isCalendarDate(value)).toBe(false)
    expect(isoDateSchema.safeParse(value).success).toBe(false)
  })
})
