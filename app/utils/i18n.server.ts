import { createInstance, type TFunction } from 'i18next'
import { i18nOptions, type Locale } from '~/i18n'

const translators = new Map<Locale, Promise<TFunction>>()

/** A translation function for server-side messages (errors, mail, meta). */
export function getFixedT(locale: Locale): Promise<TFunction> {
  let translator = translators.get(locale)
  if (!translator) {
    const instance = createInstance()
    translator = instance.init({ ...i18nOptions(locale), initImmediate: false }).then(() => instance.t)
    translators.set(locale, translator)
  }
  return translator
}
