import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { expect } from 'vitest'
import { FormAlert, type ActionFailure } from '~/components/forms'
import type { Locale } from '~/i18n'
import { getI18n } from '~/utils/i18n.server'

/** What a page shows above a form for an action's answer, in the reader's language. */
export async function shown(failure: ActionFailure, locale: Locale, labels?: Record<string, string>) {
  return renderToStaticMarkup(
    <I18nextProvider i18n={await getI18n(locale)}>
      <FormAlert failure={failure} labels={labels} />
    </I18nextProvider>,
  )
}

/** An action's answer that must be a refusal with this status: its body, as the page receives it. */
export async function refusedWith(status: number, answer: unknown): Promise<ActionFailure> {
  expect(answer).toBeInstanceOf(Response)
  const response = answer as Response
  expect(response.status).toBe(status)
  return (await response.json()) as ActionFailure
}

/** The words of a locale key in each language (for asserting that a page says it). */
export async function wordsOf(key: string, values?: Record<string, unknown>) {
  return {
    ja: (await getI18n('ja')).t(key, values),
    en: (await getI18n('en')).t(key, values),
  }
}
