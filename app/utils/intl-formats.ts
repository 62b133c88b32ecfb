/**
 * Intl formatters kept per locale and options. Building an `Intl.DateTimeFormat` costs ~50 µs and an
 * `Intl.NumberFormat` ~20 µs on this project's machines, formatting with one well under 1 µs; a page that
 * built one per date or figure it shows (the dashboard: one per cell) spent most of that time building them.
 * The locales are the app's own (ja, en) and the few fixed ones of the exports, so the map stays small; past
 * a bound a formatter is made and not kept, rather than the map growing.
 */
const kept = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>()
const KEPT_AT_MOST = 64

function keptFormat<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let format = kept.get(key) as F | undefined
  if (!format) {
    format = make()
    if (kept.size < KEPT_AT_MOST) kept.set(key, format)
  }
  return format
}

export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return keptFormat(
    `date|${locale}|${JSON.stringify(options)}`,
    () => new Intl.DateTimeFormat(locale, options),
  )
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return keptFormat(
    `number|${locale}|${JSON.stringify(options)}`,
    () => new Intl.NumberFormat(locale, options),
  )
}
