import { createInstance, type i18n } from 'i18next'
import { describe, expect, it, vi } from 'vitest'
import { i18nOptions, resources, supportedLocales, type Locale } from '~/i18n'
import { getI18n } from './i18n.server'

/** i18next as it is without the remembered lookups: what every answer must equal. */
async function plainI18next(locale: Locale): Promise<i18n> {
  const instance = createInstance()
  await instance.init({ ...i18nOptions(locale), initImmediate: false })
  return instance
}

/** Every key of a namespace's resources, nested keys joined with dots. */
function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix]
  return Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key))
}

describe('the shared instances remember plain lookups', () => {
  it.each(supportedLocales)(
    '%s: every key, as the instance and as a component asks, twice, as i18next answers',
    async (locale) => {
      const shared = await getI18n(locale)
      const reference = await plainI18next(locale)
      for (const [ns, tree] of Object.entries(resources[locale])) {
        const fixed = shared.getFixedT(locale, ns)
        const expected = reference.getFixedT(locale, ns)
        for (const key of keysOf(tree)) {
          for (let time = 0; time < 2; time++) {
            expect(fixed(key)).toBe(expected(key))
            expect(shared.t(`${ns}:${key}`)).toBe(reference.t(`${ns}:${key}`))
          }
        }
      }
    },
  )

  it('a lookup with values, a count or a default value is i18next’s each time', async () => {
    const t = (await getI18n('en')).getFixedT('en', 'desk')
    expect(t('inbox.days', { count: 1 })).toBe('1 day')
    expect(t('inbox.days', { count: 3 })).toBe('3 days')
    expect(t('no.such.key', 'the default')).toBe('the default')
    expect(t('no.such.key', 'another default')).toBe('another default')
    expect(t('no.such.key', { defaultValue: 'a third' })).toBe('a third')
  })

  it('the language asked for, not the one remembered first', async () => {
    const shared = await getI18n('ja')
    const reference = await plainI18next('ja')
    expect(shared.t('common:language.switchTo.en', { lng: 'en' })).toBe(
      reference.t('common:language.switchTo.en', { lng: 'en' }),
    )
    expect(shared.t('common:language.switchTo.en')).toBe(reference.t('common:language.switchTo.en'))
  })
})

describe('what is remembered', () => {
  it('a component’s lookup (react-i18next: getFixedT(null, ns)) goes to i18next once', async () => {
    const shared = await getI18n('en')
    const translator = (shared as unknown as { translator: { translate: (...args: unknown[]) => unknown } })
      .translator
    const translate = vi.spyOn(translator, 'translate')
    try {
      const t = shared.getFixedT(null, 'desk')
      const first = t('inbox.daysAtStage')
      expect(t('inbox.daysAtStage')).toBe(first)
      expect(shared.getFixedT(null, 'desk')('inbox.daysAtStage')).toBe(first)
      expect(translate).toHaveBeenCalledTimes(1)
      t('inbox.days', { count: 2 })
      t('inbox.days', { count: 2 })
      expect(translate).toHaveBeenCalledTimes(3)
    } finally {
      translate.mockRestore()
    }
  })
})
