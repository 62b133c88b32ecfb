import type { InitOptions } from 'i18next'
import afterEn from './locales/en/after.json'
import authEn from './locales/en/auth.json'
import commonEn from './locales/en/common.json'
import dashboardEn from './locales/en/dashboard.json'
import deskEn from './locales/en/desk.json'
import operatorEn from './locales/en/operator.json'
import portalEn from './locales/en/portal.json'
import proposalsEn from './locales/en/proposals.json'
import afterJa from './locales/ja/after.json'
import authJa from './locales/ja/auth.json'
import commonJa from './locales/ja/common.json'
import dashboardJa from './locales/ja/dashboard.json'
import deskJa from './locales/ja/desk.json'
import operatorJa from './locales/ja/operator.json'
import portalJa from './locales/ja/portal.json'
import proposalsJa from './locales/ja/proposals.json'

/** Japanese first, English always. */
export const supportedLocales = ['ja', 'en'] as const
export type Locale = (typeof supportedLocales)[number]
export const defaultLocale: Locale = 'ja'

export function isLocale(value: unknown): value is Locale {
  return supportedLocales.includes(value as Locale)
}

export const resources = {
  ja: {
    common: commonJa,
    portal: portalJa,
    auth: authJa,
    operator: operatorJa,
    proposals: proposalsJa,
    desk: deskJa,
    dashboard: dashboardJa,
    after: afterJa,
  },
  en: {
    common: commonEn,
    portal: portalEn,
    auth: authEn,
    operator: operatorEn,
    proposals: proposalsEn,
    desk: deskEn,
    dashboard: dashboardEn,
    after: afterEn,
  },
} as const

export function i18nOptions(locale: Locale): InitOptions {
  return {
    lng: locale,
    fallbackLng: defaultLocale,
    supportedLngs: [...supportedLocales],
    defaultNS: 'common',
    ns: ['common', 'portal', 'auth', 'operator', 'proposals', 'desk', 'dashboard', 'after'],
    resources,
    interpolation: { escapeValue: false },
    returnNull: false,
  }
}
