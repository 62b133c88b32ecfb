import { readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseTenantSource } from './load'
import type { FormField, TenantConfig } from './schema'
import {
  answerViews,
  dateFormat,
  formatAnswer,
  formatDate,
  formatDateTime,
  formatFileSize,
  formatList,
  formatQuantity,
  numberFormat,
  tokyoDay,
  tokyoTimestamp,
} from './value-display'

const yen = { ja: '円', en: 'yen' }

describe('value display', () => {
  it('writes amounts with the locale grouping and the field unit', () => {
    expect(formatQuantity(3000000, yen.ja, 'ja')).toBe('3,000,000円')
    expect(formatQuantity(3000000, yen.en, 'en')).toBe('3,000,000 yen')
    expect(formatQuantity(1234.5, undefined, 'en')).toBe('1,234.5')
  })

  it('writes calendar dates in words, the same day wherever the reader is', () => {
    expect(formatDate('2026-12-06', 'ja')).toBe('2026年12月6日')
    expect(formatDate('2026-12-06', 'en')).toBe('6 December 2026')
    // 23:30 UTC on the 5th is the 6th in Japan: the page shows Japan's day.
    expect(formatDate(new Date('2026-12-05T23:30:00Z'), 'ja')).toBe('2026年12月6日')
    expect(formatDateTime(new Date('2026-12-05T23:30:00Z'), 'en')).toBe('6 December 2026 at 08:30')
    expect(formatDateTime('2026-12-05T23:30:00Z', 'ja')).toBe('2026年12月6日 8:30')
  })

  it('writes sizes in MB or KB, never in bytes', () => {
    expect(formatFileSize(10485760, 'ja')).toBe('10 MB')
    expect(formatFileSize(1572864, 'en')).toBe('1.5 MB')
    expect(formatFileSize(2048, 'en')).toBe('2 kB')
    expect(formatFileSize(10, 'ja')).toBe('1 KB')
  })

  it('joins lists the way each language does', () => {
    expect(formatList(['防災', '観光', '健康'], 'ja')).toBe('防災、観光、健康')
    expect(formatList(['Disaster prevention', 'Tourism', 'Health'], 'en')).toBe(
      'Disaster prevention, Tourism and Health',
    )
    expect(formatList(['Tourism'], 'en')).toBe('Tourism')
  })

  it('exports instants in ISO 8601 with Japan’s offset, so the day matches the page', () => {
    expect(tokyoTimestamp(new Date('2026-12-05T23:30:00Z'))).toBe('2026-12-06T08:30:00+09:00')
    expect(tokyoTimestamp('2026-12-06T00:00:00.000Z')).toBe('2026-12-06T09:00:00+09:00')
    expect(tokyoDay(new Date('2026-12-05T15:00:00Z'))).toBe('2026-12-06')
  })

  it('shows answers by their labels, never their codes', () => {
    const fields = {
      pick: {
        id: 'goals',
        type: 'multi_select',
        label: { ja: 'SDGs', en: 'SDGs' },
        required: false,
        options: [
          { value: 'goal_08', label: { ja: '働きがいも経済成長も', en: 'Decent work and economic growth' } },
          {
            value: 'goal_11',
            label: { ja: '住み続けられるまちづくりを', en: 'Sustainable cities and communities' },
          },
        ],
      },
      one: {
        id: 'field',
        type: 'select',
        label: { ja: '分野', en: 'Field' },
        required: false,
        options: [{ value: 'snow', label: { ja: '雪対策', en: 'Snow' } }],
      },
      cost: {
        id: 'cost',
        type: 'number',
        label: { ja: '費用', en: 'Cost' },
        required: false,
        integer: true,
        unit: yen,
      },
      start: { id: 'start', type: 'date', label: { ja: '開始', en: 'Start' }, required: false },
      files: {
        id: 'docs',
        type: 'file',
        label: { ja: '資料', en: 'Documents' },
        required: false,
        accept: ['application/pdf'],
        maxBytes: 10485760,
        maxFiles: 3,
      },
    } satisfies Record<string, FormField>
    expect(formatAnswer(fields.pick, ['goal_08', 'goal_11'], 'ja', 'ja')).toBe(
      '働きがいも経済成長も、住み続けられるまちづくりを',
    )
    expect(formatAnswer(fields.pick, ['goal_08', 'goal_11'], 'en', 'ja')).toBe(
      'Decent work and economic growth and Sustainable cities and communities',
    )
    expect(formatAnswer(fields.one, 'snow', 'en', 'ja')).toBe('Snow')
    expect(formatAnswer(fields.cost, 3000000, 'ja', 'ja')).toBe('3,000,000円')
    expect(formatAnswer(fields.cost, 3000000, 'en', 'ja')).toBe('3,000,000 yen')
    expect(formatAnswer(fields.start, '2026-12-06', 'ja', 'ja')).toBe('2026年12月6日')
    expect(formatAnswer(fields.start, '2026-12-06', 'en', 'ja')).toBe('6 December 2026')
    expect(
      formatAnswer(
        fields.files,
        [{ name: 'plan.pdf', mimeType: 'application/pdf', bytes: 2097152 }],
        'ja',
        'ja',
      ),
    ).toBe('plan.pdf (2 MB)')
  })
})

describe('answerViews', () => {
  let config: TenantConfig
  beforeAll(async () => {
    const source = await readFile(new URL('./fixtures/minimal.yaml', import.meta.url), 'utf8')
    const result = parseTenantSource(source, 'minimal.yaml')
    if (!result.ok) throw new Error('fixture invalid')
    config = result.tenant.config
  })

  it('lists the given answers in form order with labels in the reader’s language', () => {
    const views = answerViews(
      config,
      'free',
      { budget: 5000, title: '除雪の実証', field: 'disaster', documents: [] },
      'en',
    )
    expect(views.map((view) => [view.label, view.value])).toEqual([
      ['Subject', '除雪の実証'],
      ['Estimated cost', '5,000'],
      ['Field', 'Disaster prevention'],
    ])
  })
})

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
