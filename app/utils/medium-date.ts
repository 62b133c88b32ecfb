const formats = new Map<string, Intl.DateTimeFormat>()

/**
 * A day in Japan in the locale's medium style (2026/12/06, Dec 6, 2026): one formatter per locale,
 * kept, since building an `Intl.DateTimeFormat` costs far more than formatting with one.
 */
export function mediumDate(locale: string): Intl.DateTimeFormat {
  let format = formats.get(locale)
  if (!format)
    formats.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'Asia/Tokyo' })))
  return format
}
