import { readFileSync } from 'node:fs'

/**
 * A namespace of the app's own locale files (app/locales/<locale>/<namespace>.json), for a spec that asserts
 * the same words in every language: the messages the reader is meant to see, never copies of them.
 */
type Namespaces = {
  auth: typeof import('../app/locales/en/auth.json')
  dashboard: typeof import('../app/locales/en/dashboard.json')
  desk: typeof import('../app/locales/en/desk.json')
  proposals: typeof import('../app/locales/en/proposals.json')
}

export type Locale = 'ja' | 'en'
export const locales: readonly Locale[] = ['ja', 'en']

export function wordsOf<N extends keyof Namespaces>(locale: Locale, namespace: N): Namespaces[N] {
  const file = new URL(`../app/locales/${locale}/${namespace}.json`, import.meta.url)
  return JSON.parse(readFileSync(file, 'utf8')) as Namespaces[N]
}
