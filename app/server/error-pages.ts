import type { ServerBuild } from '@remix-run/node'
import type express from 'express'
import { isDatabaseUnavailable } from '../../db/tenant-context'
import type { Logger } from '../utils/logger.server'
import { resources } from '../i18n'
import { getFixedT } from '../utils/i18n.server'
import { getLocale } from '../utils/locale.server'
import { REQUEST_LIMITS } from '../utils/request-limits'
import { RequestRefused } from './request-guard'

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 5

/**
 * What withTenant throws when the database cannot be had (pool exhausted for
 * the acquire timeout, server restarting): a 503 Response, which Remix renders
 * with the route's error boundary and its localised 503 text. Anything else
 * passes unchanged.
 */
export function unavailableAsResponse(error: unknown): unknown {
  if (!isDatabaseUnavailable(error)) return error
  return new Response('Service Unavailable', {
    status: 503,
    headers: { 'Retry-After': String(RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' },
  })
}

function statusOf(error: unknown): number {
  if (isDatabaseUnavailable(error)) return 503
  if (error instanceof Response) return error.status
  // Express's own refusals (a malformed %-escape in the path, a body parser limit) carry their status.
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

/** A `<link>` of the document's head, as a route's `links` gives it. */
export type DocumentLink = { rel: string; href: string; type?: string }

/** The root route's links in `build` (its stylesheets and icon): what every page's head has. */
export function rootLinksOf(build: ServerBuild): DocumentLink[] {
  const links = (build.routes.root?.module.links?.() ?? []) as Partial<DocumentLink>[]
  return links.flatMap(({ rel, href, type }) =>
    typeof rel === 'string' && typeof href === 'string' ? [{ rel, href, ...(type ? { type } : {}) }] : [],
  )
}

const linkTag = (link: DocumentLink) =>
  `<link rel="${escapeHtml(link.rel)}" href="${escapeHtml(link.href)}"${link.type ? ` type="${escapeHtml(link.type)}"` : ''}>`

/**
 * The last Express error handler: failures before Remix (the session lookup
 * when the database is unavailable, a malformed URL) get a page in the
 * visitor's language instead of Express's English stack-trace page. It is
 * the app's error page without React: the root route's stylesheets
 * (`documentLinks`, from the current build), its header, main landmark and
 * footer, and the error boundary's panel; no scripts, and no account or
 * language controls, which need the session this page could not have.
 */
export function errorPages(
  logger: Logger,
  options: { documentLinks: () => readonly DocumentLink[] },
): express.ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error)
    const status = statusOf(error)
    if (status >= 500 && status !== 503) logger.error({ err: error, path: req.path }, 'request failed')
    else
      logger.warn(
        {
          status,
          path: req.path,
          reason:
            error instanceof RequestRefused
              ? error.reason
              : error instanceof Response
                ? `HTTP ${error.status}`
                : error instanceof Error
                  ? error.message
                  : String(error),
        },
        'request refused',
      )
    void (async () => {
      const locale = await getLocale(
        new Request('http://localhost/', { headers: { cookie: req.get('cookie') ?? '' } }),
      )
      const t = await getFixedT(locale)
      // The statuses the locale files word (as the error boundary does, app/utils/error-text.ts).
      const known = String(status) in resources[locale].common.errors.status
      const title = t(known ? `errors.status.${status}.title` : 'errors.unexpected.title')
      // A refusal at the request gate says what was wrong (request-guard.ts).
      const reason = error instanceof RequestRefused ? error.reason : undefined
      const body = t(
        reason
          ? `errors.request.${reason}`
          : known
            ? `errors.status.${status}.body`
            : 'errors.unexpected.body',
        {
          formLimit: megabytes(REQUEST_LIMITS.form.bodyBytes),
          uploadLimit: megabytes(REQUEST_LIMITS.upload.bodyBytes),
        },
      )
      if (status === 503) res.set('Retry-After', String(RETRY_AFTER_SECONDS))
      res
        .status(status)
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(
          `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(`${title} | ${t('platform.name')}`)}</title>${options.documentLinks().map(linkTag).join('')}</head>` +
            `<body><a class="skip-link" href="#main">${escapeHtml(t('layout.skipToContent'))}</a>` +
            `<header class="site-header"><div class="site-header__inner"><a href="/" class="site-header__brand">${escapeHtml(t('platform.name'))}</a></div></header>` +
            `<main id="main" tabindex="-1"><section class="error-panel" role="alert"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p><p class="error-code">${escapeHtml(t('errors.code', { status }))}</p></section></main>` +
            `<footer class="site-footer"><p>${escapeHtml(t('platform.footer'))}</p></footer></body></html>`,
        )
    })().catch(next)
  }
}
