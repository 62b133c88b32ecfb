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
      .then(() => created)
    instances.set(locale, instance)
  }
  return instance
}

/** A translation function for server-side messages (errors, mail, meta). */
export async function getFixedT(locale: Locale): Promise<TFunction> {
  return (await getI18n(locale)).t
}
