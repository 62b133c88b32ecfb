import { dateFormat } from '@desk/tenant-config'

/**
 * A day in Japan in the locale's medium style (2026/12/06, Dec 6, 2026): one formatter per locale,
 * kept, since building an `Intl.DateTimeFormat` costs far more than formatting with one.
 */
export function mediumDate(locale: string): Intl.DateTimeFormat {
  return dateFormat(locale, { dateStyle: 'medium', timeZone: 'Asia/Tokyo' })
}

/** Japan's offset from UTC (no daylight saving time). */
const JAPAN_OFFSET_MS = 9 * 3_600_000
const DAY_MS = 86_400_000

/**
 * `mediumDate` for a list whose instants (ISO strings) fall on few days, as an inbox page's rows do:
 * each day in Japan is formatted once. One per render (it remembers every day it was given).
 */
export function mediumDays(locale: string): (instant: string) => string {
  const format = mediumDate(locale)
  const days = new Map<number, string>()
  return (instant) => {
    const time = Date.parse(instant)
    const day = Math.floor((time + JAPAN_OFFSET_MS) / DAY_MS)
    let text = days.get(day)
    if (text === undefined) days.set(day, (text = format.format(time)))
    return text
  }
}
