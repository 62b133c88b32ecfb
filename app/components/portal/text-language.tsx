import { useMatches } from '@remix-run/react'

/**
 * The language of a tenant text the page shows in another language than its
 * own (a city that left the translation out: its Japanese text on an English
 * page), for `lang` on the element that holds it; undefined for the page's
 * own language. Reads the `textLanguages` every portal loader returns
 * (cityPageLoader) and the proposal form's, of the layout and the page alike.
 */
export function useTextLanguage(): (text: string | undefined | null) => string | undefined {
  const languages = useMatches().flatMap((match) => {
    const data = match.data as { textLanguages?: Record<string, string> } | undefined
    return data?.textLanguages ? [data.textLanguages] : []
  })
  return (text) => {
    if (!text) return undefined
    for (const known of languages) {
      const lang = known[text]
      if (lang) return lang
    }
    return undefined
  }
}

/** A tenant text inside other words: a `span` with its language when it is not the page's. */
export function TenantText({ children }: { children: string | undefined | null }) {
  const lang = useTextLanguage()(children)
  return lang ? <span lang={lang}>{children}</span> : <>{children}</>
}
