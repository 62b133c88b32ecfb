/**
 * The words of a search box, read one way for the database's search
 * (text-search.server.ts, ILIKE) and for matching an item in memory (a saved
 * search's words against a theme just opened).
 */

/** The search form of a text: NFKC (full-width letters and digits as ASCII, half-width kana as full-width). */
export function searchForm(text: string): string {
  return text.normalize('NFKC')
}

/** A query's words in their search form: split on ASCII and full-width spaces, at most five. */
export function searchWords(q: string | undefined): string[] {
  return searchForm(q ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5)
}

/**
 * Does every word of `q` appear (any case, as a substring) in one of `texts`,
 * each in its search form? What `matchesAllWords` asks the database, asked of
 * texts in hand. No words: true.
 */
export function textsContainAllWords(
  q: string | undefined,
  texts: readonly (string | null | undefined)[],
): boolean {
  const haystacks = texts.flatMap((text) => (text ? [searchForm(text).toLowerCase()] : []))
  return searchWords(q).every((word) => {
    const needle = word.toLowerCase()
    return haystacks.some((haystack) => haystack.includes(needle))
  })
}
