import { isRouteErrorResponse, useRouteError } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

type StatusHandler = (info: { status: number; data: unknown }) => JSX.Element | null

/**
 * The one error boundary every route uses: a known HTTP status gets its
 * message from the locale files; anything else is a generic failure, never a
 * stack trace.
 */
export function GeneralErrorBoundary({ statusHandlers }: { statusHandlers?: Record<number, StatusHandler> }) {
  const error = useRouteError()
  const { t } = useTranslation()
  if (isRouteErrorResponse(error)) {
    const custom = statusHandlers?.[error.status]?.({ status: error.status, data: error.data })
    if (custom) return custom
    const known = [400, 403, 404, 409, 413, 429, 503].includes(error.status)
    return (
      <section className="error-panel" role="alert">
        <h1>{t(known ? `errors.status.${error.status}.title` : 'errors.unexpected.title')}</h1>
        <p>{t(known ? `errors.status.${error.status}.body` : 'errors.unexpected.body')}</p>
        <p className="error-code">{t('errors.code', { status: error.status })}</p>
      </section>
    )
  }
  return (
    <section className="error-panel" role="alert">
      <h1>{t('errors.unexpected.title')}</h1>
      <p>{t('errors.unexpected.body')}</p>
    </section>
  )
}
