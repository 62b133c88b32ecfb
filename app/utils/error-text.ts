import { isRouteErrorResponse } from '@remix-run/react'
import { resources, type Locale } from '~/i18n'

/**
 * How an error page words its failure, in the reader's language: the heading and
 * explanation of its HTTP status when the locale files have one (common.json
 * `errors.status`), else the generic failure's (a bug, an unlisted status). The error
 * boundary shows them and the page's browser title starts with the same heading.
 */
export function errorText(error: unknown, locale: Locale): { title: string; body: string } {
  const { status, unexpected } = resources[locale].common.errors
  if (!isRouteErrorResponse(error)) return unexpected
  const worded = Object.entries(status).find(([code]) => code === String(error.status))
  return worded ? worded[1] : unexpected
}
