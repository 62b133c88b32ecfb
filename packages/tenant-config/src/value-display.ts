import { localize } from './localization'
import type { FormField, OptionValue, TenantConfig } from './schema'

/**
 * Values as a reader reads them, in their language: a chosen option by its
 * label from the tenant file (never its code), numbers with the locale's
 * grouping and the field's unit, dates as 2026年12月6日 / 6 December 2026,
 * sizes in MB, lists joined the locale's way. Pure and shared by the server
 * (pages, CSV, mail) and the browser, so every page shows a value the same way.
 */

/** The Intl locale for one of the platform's languages: Japanese as written in Japan, English as in Britain (day month year). */
export function intlLocale(locale: string): string {
  if (locale === 'ja') return 'ja-JP'
  if (locale === 'en') return 'en-GB'
  return locale
}

/** The city's clock: every date and time the platform shows or exports is Japan time. */
export const displayTimeZone = 'Asia/Tokyo'

/**
 * Intl formatters, made once per locale and kind: constructing one costs far more than
 * formatting with it (a desk page formats dozens of dates; docs/performance.md). They hold
 * no state between calls, so sharing them is safe. Bounded: a caller passing locales that are
 * not the platform's gets a new one each time rather than a growing map.
 */
const formatters = new Map<string, { format: (value: never) => string }>()
function formatter<F extends { format: (value: never) => string }>(key: string, make: () => F): F {
  let made = formatters.get(key) as F | undefined
  if (!made) {
    made = make()
    if (formatters.size < 64) formatters.set(key, made)
  }
  return made
}

/** An `Intl.DateTimeFormat` for exactly these locale and options, kept (the app's other dates and times). */
export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return formatter(
    `date|${locale}|${JSON.stringify(options)}`,
    () => new Intl.DateTimeFormat(locale, options),
  )
}

/** An `Intl.NumberFormat` for exactly these locale and options, kept (the dashboard's figures). */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return formatter(
    `number|${locale}|${JSON.stringify(options)}`,
    () => new Intl.NumberFormat(locale, options),
  )
}

export function formatNumber(value: number, locale: string): string {
  const intl = intlLocale(locale)
  return formatter(`number:${intl}`, () => new Intl.NumberFormat(intl, { maximumFractionDigits: 2 })).format(
    value,
  )
}

/**
 * A number with the unit the tenant file gives it: 3,000,000円 in Japanese
 * (a Japanese unit follows the figure directly), 3,000,000 yen in English.
 */
export function formatQuantity(value: number, unit: string | undefined, locale: string): string {
  const figure = formatNumber(value, locale)
  if (!unit) return figure
  return locale === 'ja' ? `${figure}${unit}` : `${figure} ${unit}`
}

/** A calendar date: `YYYY-MM-DD` is that day wherever the reader is; an instant is its day in Japan. */
export function formatDate(value: string | Date, locale: string): string {
  const calendarDay = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
  const date = calendarDay ? new Date(`${value}T00:00:00Z`) : new Date(value)
  if (Number.isNaN(date.getTime())) return String(value)
  const intl = intlLocale(locale)
  const timeZone = calendarDay ? 'UTC' : displayTimeZone
  return formatter(
    `date:${intl}:${timeZone}`,
    () => new Intl.DateTimeFormat(intl, { dateStyle: 'long', timeZone }),
  ).format(date)
}

/** An instant as its date and time in Japan: 2026年12月6日 14:30 / 6 December 2026 at 14:30. */
export function formatDateTime(value: string | Date, locale: string): string {
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return String(value)
  const intl = intlLocale(locale)
  return formatter(
    `datetime:${intl}`,
    () => new Intl.DateTimeFormat(intl, { dateStyle: 'long', timeStyle: 'short', timeZone: displayTimeZone }),
  ).format(date)
}

const kibibyte = 1024
const mebibyte = 1024 * 1024

/** A size as people read it: 10 MB, 1.5 MB, 320 KB (binary multiples, as the form's limits are written). */
export function formatFileSize(bytes: number, locale: string): string {
  const intl = intlLocale(locale)
  const format = (value: number, unit: 'megabyte' | 'kilobyte', digits: number) =>
    formatter(
      `unit:${intl}:${unit}:${digits}`,
      () => new Intl.NumberFormat(intl, { style: 'unit', unit, maximumFractionDigits: digits }),
    ).format(value)
  if (bytes >= mebibyte) return format(bytes / mebibyte, 'megabyte', 1)
  return format(Math.max(1, Math.ceil(bytes / kibibyte)), 'kilobyte', 0)
}

/** Several values as one phrase: 「防災、観光」 in Japanese, "Disaster prevention, Tourism and Health" in English. */
export function formatList(items: readonly string[], locale: string): string {
  const intl = intlLocale(locale)
  return formatter(
    `list:${intl}`,
    () => new Intl.ListFormat(intl, { type: 'conjunction', style: 'long' }),
  ).format(items)
}

/**
 * An instant in ISO 8601 with Japan's offset, 2026-12-06T09:30:00+09:00: what
 * feeds and CSV files carry, so the day written there is the day the page shows.
 */
export function tokyoTimestamp(value: string | Date): string {
  const date = new Date(value)
  const offsetMinutes = 9 * 60
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000)
  return `${shifted.toISOString().slice(0, 19)}+09:00`
}

/** An instant's calendar day in Japan, YYYY-MM-DD (for CSV columns that hold a date). */
export function tokyoDay(value: string | Date): string {
  return tokyoTimestamp(value).slice(0, 10)
}

/**
 * The option a value names: the stored value itself (13), or its form as an
 * HTML form sends it ("13"). Values are unique by that form (the loader refuses
 * 13 beside "13"), so the match is never ambiguous.
 */
export function findOption<Option extends { value: OptionValue }>(
  options: readonly Option[],
  value: unknown,
): Option | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  return (
    options.find((option) => option.value === value) ??
    options.find((option) => String(option.value) === String(value))
  )
}

type UploadedFileAnswer = { name: string; bytes?: number }

function isFileAnswer(item: unknown): item is UploadedFileAnswer {
  return typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string'
}

/** One answer to a tenant form field, in the reader's language: labels for options, units and grouping for numbers, dates in words, file names with their size. */
export function formatAnswer(
  field: FormField,
  value: unknown,
  locale: string,
  defaultLocale: string,
): string {
  if (value === undefined || value === null || value === '') return ''
  const optionLabel = (code: unknown) => {
    if (field.type !== 'select' && field.type !== 'multi_select') return String(code)
    const option = findOption(field.options, code)
    return option ? localize(option.label, locale, defaultLocale) : String(code)
  }
  switch (field.type) {
    case 'select':
      return optionLabel(value)
    case 'multi_select':
      return formatList((Array.isArray(value) ? value : [value]).map(optionLabel), locale)
    case 'number': {
      const number = typeof value === 'number' ? value : Number(value)
      if (Number.isNaN(number)) return String(value)
      return formatQuantity(
        number,
        field.unit ? localize(field.unit, locale, defaultLocale) : undefined,
        locale,
      )
    }
    case 'date':
      return formatDate(String(value), locale)
    case 'file':
      return formatList(
        (Array.isArray(value) ? value : [value]).map((item) =>
          isFileAnswer(item)
            ? item.bytes === undefined
              ? item.name
              : `${item.name} (${formatFileSize(item.bytes, locale)})`
            : String(item),
        ),
        locale,
      )
    default:
      return String(value)
  }
}

export type AnswerView = { id: string; label: string; value: string; type: FormField['type'] }

/** Every given answer of a proposal, in its form's order, labelled and written for the reader. */
export function answerViews(
  config: TenantConfig,
  proposalTypeId: string,
  answers: Record<string, unknown>,
  locale: string,
): AnswerView[] {
  const formId = config.proposalTypes.find((type) => type.id === proposalTypeId)?.form
  const fields = config.forms.find((form) => form.id === formId)?.fields ?? []
  return fields
    .filter((field) => {
      const value = answers[field.id]
      return (
        value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)
      )
    })
    .map((field) => ({
      id: field.id,
      label: localize(field.label, locale, config.defaultLocale),
      value: formatAnswer(field, answers[field.id], locale, config.defaultLocale),
      type: field.type,
    }))
}
