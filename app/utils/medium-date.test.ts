import { describe, expect, it } from 'vitest'
import { mediumDate, mediumDays } from './medium-date'

describe('mediumDays', () => {
  it('formats each instant as its own day in Japan, across midnight there (15:00 UTC) and in both locales', () => {
    const instants = [
      '2026-12-06T14:59:59.999Z',
      '2026-12-06T15:00:00.000Z',
      '2026-12-06T23:30:00.000Z',
      '2026-12-07T00:10:00.000Z',
      '2026-12-31T15:00:00.000Z',
      '2026-12-06T14:00:00.000Z',
    ]
    for (const locale of ['ja', 'en']) {
      const day = mediumDays(locale)
      for (const instant of instants) expect(day(instant)).toBe(mediumDate(locale).format(new Date(instant)))
    }
    expect(mediumDays('ja')('2026-12-06T15:00:00.000Z')).toBe('2026/12/07')
  })
})
