import { and, ilike, or, type Column, type SQL } from 'drizzle-orm'

/**
 * Search that works for Japanese without a tokenizer: every word (split on
 * ASCII and full-width spaces, at most five) must appear somewhere in one of
 * `columns`, as a substring (ILIKE, which the trigram indexes serve). `%` and
 * `_` are taken literally.
 */
export function matchesAllWords(q: string | undefined, columns: readonly (Column | SQL)[]): SQL | undefined {
  const words = (q ?? '')
    .trim()
    .split(/[\s\u3000]+/)
    .filter(Boolean)
    .slice(0, 5)
  if (words.length === 0) return undefined
  return and(
    ...words.map((word) => {
      const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      return or(...columns.map((column) => ilike(column, pattern)))
    }),
  )
}
