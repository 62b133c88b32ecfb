import { isRouteErrorResponse, useRouteError } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { defaultLocale, isLocale } from '~/i18n'
import { errorText } from '~/utils/error-text'

/**
 * The one error boundary every route uses: a known HTTP status gets its
 * message from the locale files (`errorText`, whose heading the page's title
 * repeats: app/utils/page-meta.ts); anything else is a generic failure, never
 * a stack trace.
 */
export function GeneralErrorBoundary() {
  const error = useRouteError()
  const { t, i18n } = useTranslation()
  const { title, body } = errorText(error, isLocale(i18n.language) ? i18n.language : defaultLocale)
  return (
    <section className="error-panel" role="alert">
      <h1>{title}</h1>
      <p>{body}</p>
      {isRouteErrorResponse(error) ? <p className="error-code">{t('errors.code', { status: error.status })}</p> : null}
    </section>
  )
}
