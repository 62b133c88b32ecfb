import { forwardRef, type ComponentProps, type ReactNode } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { expect } from 'vitest'
import { FormAlert, type ActionFailure } from '~/components/forms'
import type { Locale } from '~/i18n'
import { getI18n } from '~/utils/i18n.server'

/** The markup as the server renders it (the page after the action's answer, also without JavaScript), in the reader's language. */
export async function renderToHtml(node: ReactNode, locale: Locale = 'ja'): Promise<string> {
  return renderToStaticMarkup(<I18nextProvider i18n={await getI18n(locale)}>{node}</I18nextProvider>)
}

/**
 * A form outside a Remix router: a test of a page's forms mocks '@remix-run/react' with this as its `Form`,
 * through which the field kit's props pass unchanged.
 */
export const PlainForm = forwardRef<HTMLFormElement, ComponentProps<'form'>>(function PlainForm(props, ref) {
  return <form ref={ref} {...props} />
})

/** The markup of one form, from its attribute `marker` (`id="…"`) to its end. */
export function formIn(html: string, marker: string): string {
  const start = html.indexOf(marker)
  return start < 0 ? '' : html.slice(start, html.indexOf('</form>', start))
}

/** What a page shows above a form for an action's answer, in the reader's language. */
export async function shown(failure: ActionFailure, locale: Locale, labels?: Record<string, string>) {
  return renderToHtml(<FormAlert failure={failure} labels={labels} />, locale)
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
