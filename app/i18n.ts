import type { InitOptions } from 'i18next'
import commonEn from './locales/en/common.json'
import commonJa from './locales/ja/common.json'

/** Japanese first, English always. */
export const supportedLocales = ['ja', 'en'] as const
export type Locale = (typeof supportedLocales)[number]
export const defaultLocale: Locale = 'ja'

export function isLocale(value: unknown): value is Locale {
  return supportedLocales.includes(value as Locale)
}

export const resources = {
  ja: { common: commonJa },
  en: { common: commonEn },
} as const

export function i18nOptions(locale: Locale): InitOptions {
  return {
    lng: locale,
    fallbackLng: defaultLocale,
    supportedLngs: [...supportedLocales],
    defaultNS: 'common',
    ns: ['common'],
    resources,
    interpolation: { escapeValue: false },
    returnNull: false,
  }
}
