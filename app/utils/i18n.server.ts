import { LRUCache } from 'lru-cache'
import { createInstance, type i18n, type TFunction } from 'i18next'
import { initReactI18next } from 'react-i18next'
import { i18nOptions, type Locale } from '~/i18n'

const instances = new Map<Locale, Promise<i18n>>()

/**
 * One initialised i18next instance per language, shared by every request:
 * each is fixed to its language and holds only the bundled resources, so
 * sharing is safe, and creating one per request was most of a page's cost.
 */
export function getI18n(locale: Locale): Promise<i18n> {
  let instance = instances.get(locale)
  if (!instance) {
    const created = createInstance()
    instance = created
      .use(initReactI18next)
      .init({ ...i18nOptions(locale), initImmediate: false })
      .then(() => rememberPlainLookups(created))
    instances.set(locale, instance)
  }
  return instance
}

/** A translation function for server-side messages (errors, mail, meta). */
export async function getFixedT(locale: Locale): Promise<TFunction> {
  return (await getI18n(locale)).t
}

/** More distinct plain lookups than the locale files have keys means keys built from data: the oldest go. */
const PLAIN_LOOKUPS_REMEMBERED = 10_000

/**
 * The instance's `t` answers a plain lookup — a key with at most a language,
 * namespace and key prefix, no values, count, context or default — from
 * memory after the first time. Such a lookup depends only on the bundled
 * resources, which never change in a running server; i18next's own lookup
 * (key parsing, namespace and language fallbacks, interpolation and nesting
 * passes over the result) was ~8 % of the desk proposal page's server CPU,
 * most of it for the same few hundred keys on every page
 * (docs/performance.md, "the desk proposal page (session 10)"). Components'
 * `t` from react-i18next (`getFixedT`) calls the instance's `t`, so it goes
 * through here too; any other lookup goes to i18next as before.
 */
export function rememberPlainLookups(instance: i18n): i18n {
  const translate = instance.t as unknown as (...args: unknown[]) => unknown
  const remembered = new LRUCache<string, string>({ max: PLAIN_LOOKUPS_REMEMBERED })
  instance.t = ((...args: unknown[]) => {
    const lookup = args.length <= 2 ? plainLookup(args[0], args[1]) : null
    if (lookup === null) return translate(...args)
    const known = remembered.get(lookup)
    if (known !== undefined) return known
    const value = translate(...args)
    if (typeof value === 'string') remembered.set(lookup, value)
    return value
  }) as unknown as TFunction
  return instance
}

/** What identifies a plain lookup (see rememberPlainLookups); null for any other. */
function plainLookup(key: unknown, options: unknown): string | null {
  if (typeof key !== 'string') return null
  if (options === undefined) return key
  if (typeof options !== 'object' || options === null) return null
  let lng = ''
  let lngs = ''
  let ns = ''
  let keyPrefix = ''
  for (const [name, value] of Object.entries(options)) {
    // react-i18next asks for `getFixedT(null, ns)`: its lookups carry `lngs: null`.
    if (value === undefined || value === null) continue
    if (name === 'lng' && typeof value === 'string') lng = value
    else if (name === 'keyPrefix' && typeof value === 'string') keyPrefix = value
    else if ((name === 'ns' || name === 'lngs') && (typeof value === 'string' || isStrings(value))) {
      const joined = typeof value === 'string' ? value : value.join(',')
      if (name === 'ns') ns = joined
      else lngs = joined
    } else return null
  }
  return `${lng}\u0000${lngs}\u0000${ns}\u0000${keyPrefix}\u0000${key}`
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string')
