import { readFileSync } from 'node:fs'
import type auth from '../app/locales/en/auth.json'
import type common from '../app/locales/en/common.json'
import type dashboard from '../app/locales/en/dashboard.json'
import type desk from '../app/locales/en/desk.json'
import type operator from '../app/locales/en/operator.json'
import type portal from '../app/locales/en/portal.json'
import type proposals from '../app/locales/en/proposals.json'

/**
 * A namespace of the app's own locale files (app/locales/<locale>/<namespace>.json), for a spec that asserts
 * the same words in every language: the messages the reader is meant to see, never copies of them.
 */
type Namespaces = {
  auth: typeof auth
  common: typeof common
  dashboard: typeof dashboard
  desk: typeof desk
  operator: typeof operator
  portal: typeof portal
  proposals: typeof proposals
}

export type Locale = 'ja' | 'en'
export const locales: readonly Locale[] = ['ja', 'en']

export function wordsOf<N extends keyof Namespaces>(locale: Locale, namespace: N): Namespaces[N] {
  const file = new URL(`../app/locales/${locale}/${namespace}.json`, import.meta.url)
  return JSON.parse(readFileSync(file, 'utf8')) as Namespaces[N]
}
