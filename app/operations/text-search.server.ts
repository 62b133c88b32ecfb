import { and, ilike, or, sql, type Column, type SQL } from 'drizzle-orm'
import { searchWords } from './search-words'

/** Where a word is looked for: a column or expression (matched with ILIKE), or a condition built from the pattern. */
export type SearchTarget = Column | SQL | ((pattern: string) => SQL)

/**
 * A short text column in its search form, on the database's side: a title or
 * a name typed as 「ＧＰＳ」 is found by 「gps」. Meant for short columns — for
 * long ones (a proposal's answers) the query's own NFKC form is the affordable part.
 */
export const normalizedColumn = (column: Column | SQL): SQL => sql`normalize(${column}, NFKC)`

/**
 * Search that works for Japanese without a tokenizer: every word (split on
 * ASCII and full-width spaces, at most five), in its NFKC form, must appear
 * somewhere in one of `targets`, as a substring (ILIKE: any case). `%` and `_`
 * are taken literally.
 */
export function matchesAllWords(q: string | undefined, targets: readonly SearchTarget[]): SQL | undefined {
  const patterns = searchPatterns(q)
  if (patterns.length === 0) return undefined
  return and(
    ...patterns.map((pattern) =>
      or(
        ...targets.map((target) => (typeof target === 'function' ? target(pattern) : ilike(target, pattern))),
      ),
    ),
  )
}

/** The ILIKE patterns `matchesAllWords` looks for: one per word of `q`. */
export function searchPatterns(q: string | undefined): string[] {
  return searchWords(q).map((word) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
}
