import { describe, expect, it } from 'vitest'
import { dateFormat, numberFormat } from './intl-formats'

describe('kept Intl formatters', () => {
  it('gives the same formatter for the same locale and options, and formats as a new one would', () => {
    const options = { dateStyle: 'medium', timeZone: 'Asia/Tokyo' } as const
    expect(dateFormat('ja', options)).toBe(dateFormat('ja', { ...options }))
    const at = new Date('2026-12-06T20:30:00Z')
    expect(dateFormat('ja', options).format(at)).toBe(new Intl.DateTimeFormat('ja', options).format(at))
    expect(dateFormat('ja', options).format(at)).toBe('2026/12/07')
    expect(numberFormat('en')).toBe(numberFormat('en', {}))
    expect(numberFormat('en').format(12345.5)).toBe('12,345.5')
  })

  it('keeps locales and options apart', () => {
    expect(dateFormat('en', { dateStyle: 'medium', timeZone: 'Asia/Tokyo' })).not.toBe(
      dateFormat('ja', { dateStyle: 'medium', timeZone: 'Asia/Tokyo' }),
    )
    expect(numberFormat('ja', { style: 'percent' }).format(0.25)).toBe('25%')
    expect(numberFormat('ja').format(0.25)).toBe('0.25')
  })

  it('stops keeping past its bound (a new formatter each time), and still formats', () => {
    // 105 distinct options (21 × 5): more than are kept.
    for (let n = 0; n < 105; n++)
      numberFormat('en', { minimumIntegerDigits: (n % 21) + 1, maximumFractionDigits: n % 5 })
    const beyond = { minimumIntegerDigits: 21, useGrouping: false }
    expect(numberFormat('en', beyond)).not.toBe(numberFormat('en', beyond))
    expect(numberFormat('en', beyond).format(7)).toBe('7'.padStart(21, '0'))
    // What was kept before the bound still is.
    expect(numberFormat('en')).toBe(numberFormat('en'))
  })
})
