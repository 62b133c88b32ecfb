import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { parseTenantSource } from './load'
import { localize } from './localization'
import { formatProblem } from './problems'

const minimal = await readFile(new URL('./fixtures/minimal.yaml', import.meta.url), 'utf8')
const withThirdLocale = (fallback: boolean) =>
  minimal
    .replace('locales: [ja, en]', `locales: [ja, en, ko]${fallback ? '\nfallbackLocales: [ko]' : ''}`)
    .replace('text: { ja: 地域課題を共に解決します。, en: We solve local issues together. }', 'text: { ja: 地域課題を共に解決します。, en: We solve local issues together., ko: 지역 과제를 함께 해결합니다. }')

describe('locales', () => {
  it('requires every declared locale unless it is a fallback locale', () => {
    const strict = parseTenantSource(withThirdLocale(false), 'x.yaml')
    expect(strict.ok).toBe(false)
    expect(strict.ok ? [] : strict.problems.map(formatProblem)[0]).toBe(
      'x.yaml:8 identity.name: the translation "ko" is missing; expected a text in "ko", or "ko" listed in fallbackLocales',
    )
    expect(parseTenantSource(withThirdLocale(true), 'x.yaml').ok).toBe(true)
  })

  it('never lets the default locale fall back', () => {
    const result = parseTenantSource(minimal.replace('defaultLocale: ja', 'defaultLocale: ja\nfallbackLocales: [ja]'), 'x.yaml')
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'x.yaml:7 fallbackLocales[0]: the default locale "ja" cannot fall back; expected only non-default locales; every text needs its default-locale version',
    ])
  })

  it('localize falls back to the default locale', () => {
    expect(localize({ ja: '事前相談', en: 'Pre-consultation' }, 'en', 'ja')).toBe('Pre-consultation')
    expect(localize({ ja: '事前相談' }, 'ko', 'ja')).toBe('事前相談')
  })
})
