import { randomUUID } from 'node:crypto'
import {
  json,
  type AppLoadContext,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type TypedResponse,
} from '@remix-run/node'
import type { TFunction } from 'i18next'
import type { Locale } from '~/i18n'
import { siteOrigin } from '~/http/form-validation.server'
import { cityMembershipOf } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import type { RegisteredTenant } from '~/utils/tenant-registry.server'
import { localizeWithLanguage } from '@desk/tenant-config'
import type { TenantTx } from '../../db/tenant-context'
import { sessionHasSecondFactor } from '~/http/require-operator.server'
import { asPublic } from '../utils/portal/db.server'
import {
  ifNoneMatchMatches,
  isDocumentRequest,
  PUBLIC_CACHE_CONTROL,
  PUBLIC_VARY,
  weakEtag,
} from '../utils/portal/http-cache'
import { cachedData, createDataCache } from '../utils/portal/data-cache'
import { publishedContent, type PublishedContent } from '../operations/portal/published-content.server'
import type { Localize } from '../utils/portal/views'

/**
 * Loading a public portal page: resolve the city (unknown → 404), work out the
 * page's version, answer from the data cache when it can, and send the
 * caching headers.
 *
 * A page's version is its city, language, tenant-file version and published-
 * content version (plus this process's boot id, so a new build never reuses
 * old data). The data cache is keyed by that and the URL; nothing is ever
 * invalidated in place.
 */

const BOOT_ID = randomUUID()
const DATA_CACHE_ENTRIES = 1_000
const dataCache = createDataCache(DATA_CACHE_ENTRIES)

export type CityPage = {
  tenant: RegisteredTenant
  config: RegisteredTenant['config']
  locale: Locale
  t: TFunction
  text: Localize
  /**
   * The texts `text` gave in another language than the page's (a city that
   * left a translation out), with their language: the page marks them with
   * `lang` (useTextLanguage).
   */
  textLanguages: Record<string, string>
  /** The site's public origin (APP_ORIGIN), for absolute links in feeds. */
  origin: string
  /** Reads as an anonymous visitor of this city; `fallback` when the city has no database row yet. */
  readPublic: <T>(fn: (tx: TenantTx) => Promise<T>, fallback: T) => Promise<T>
}

export function requireCity(context: AppLoadContext, slug: string | undefined): RegisteredTenant {
  const tenant = slug ? context.tenants.get(slug) : undefined
  if (!tenant) throw new Response('Not Found', { status: 404 })
  return tenant
}

export function notFound(): never {
  throw new Response('Not Found', { status: 404 })
}

/**
 * A draft city's pages are for those preparing it: operators who have given
 * their second factor (the preview), the city's own staff (its desk, its
 * themes), and whoever opens an invitation link of the city (its first desk
 * admin joins before it goes live). A 404 for anyone else.
 */
async function opensDraftCity(request: Request, context: AppLoadContext, tenant: RegisteredTenant) {
  if (new URL(request.url).pathname.startsWith(`/${tenant.slug}/invitation/`)) return true
  if (await sessionHasSecondFactor(context)) return true
  return (await cityMembershipOf(context, tenant.slug)) !== null
}

type PageVersion = { tenant: RegisteredTenant; locale: Locale; content: PublishedContent; etag: string }

async function pageVersion({ request, params, context }: LoaderFunctionArgs): Promise<PageVersion> {
  const tenant = requireCity(context, params.city)
  if (tenant.status === 'draft' && !(await opensDraftCity(request, context, tenant))) notFound()
  const locale = await getLocale(request)
  const content = await publishedContent(context, tenant.slug)
  const etag = weakEtag(BOOT_ID, tenant.slug, tenant.status, locale, tenant.version, content.version)
  return { tenant, locale, content, etag }
}

function cacheHeaders(etag: string): HeadersInit {
  return { 'Cache-Control': PUBLIC_CACHE_CONTROL, Vary: PUBLIC_VARY, ETag: etag }
}

/** The URL (Remix has already removed its `_data` parameter): what tells one page's data from another's. */
function pageKey(request: Request): string {
  const url = new URL(request.url)
  url.searchParams.sort()
  return `${url.pathname}?${url.searchParams}`
}

async function cityPageData<T extends object>(
  args: LoaderFunctionArgs,
  version: PageVersion,
  route: string,
  build: (page: CityPage) => Promise<T> | T,
) {
  const { tenant, locale, content, etag } = version
  const origin = siteOrigin(args.context)
  // The layout and the page load for the same URL: the route tells their data apart.
  const key = `${etag}|${route}|${origin}|${pageKey(args.request)}`
  return cachedData(dataCache, key, async () => {
    const t = await getFixedT(locale)
    const textLanguages: Record<string, string> = {}
    return build({
      tenant,
      config: tenant.config,
      locale,
      t,
      text: (text) => {
        if (!text) return ''
        const shown = localizeWithLanguage(text, locale, tenant.config.defaultLocale)
        if (shown.lang !== locale && shown.text) textLanguages[shown.text] = shown.lang
        return shown.text
      },
      textLanguages,
      origin,
      readPublic: (fn, fallback) =>
        content.tenantId ? asPublic(args.context, content.tenantId, fn) : Promise.resolve(fallback),
    })
  })
}

/** Every portal page's data carries the languages of its fallback texts (see CityPage.textLanguages). */
export type WithTextLanguages = { textLanguages: Record<string, string> }

/**
 * A portal route's loader (`route` names it in cache keys): `build` runs only when the data cache has nothing
 * for this city, language, content version and URL.
 *
 * Remix's client-side data requests are answered 304 when the browser
 * already holds this version. Full documents are not answered here: their
 * HTML carries this response's CSP nonce, and a browser that revalidates keeps
 * its cached HTML but takes the 304's headers. An anonymous visitor's document
 * is revalidated by the render cache (app/server/render-cache-middleware.ts),
 * whose 304 carries no Content-Security-Policy; a signed-in one by max-age.
 */
export async function cityPageLoader<T extends object>(
  args: LoaderFunctionArgs,
  route: string,
  build: (page: CityPage) => Promise<T> | T,
  /** The page's status from its data (a list whose filters were refused: 400); 200 by default. */
  statusOf?: (data: T) => number,
): Promise<TypedResponse<T & WithTextLanguages>> {
  const version = await pageVersion(args)
  const headers = cacheHeaders(version.etag)
  if (
    !isDocumentRequest(args.request) &&
    ifNoneMatchMatches(args.request.headers.get('If-None-Match'), version.etag)
  ) {
    // The browser replaces a 304 with its own copy; the client never reads this body.
    return new Response(null, { status: 304, headers }) as unknown as TypedResponse<T & WithTextLanguages>
  }
  const data = await cityPageData(args, version, route, async (page) => ({
    ...(await build(page)),
    textLanguages: page.textLanguages,
  }))
  return json(data, { status: statusOf?.(data) ?? 200, headers })
}

/** A file the portal publishes (feeds, CSV): no nonce in it, so revalidation answers 304. */
export async function cityFileLoader(
  args: LoaderFunctionArgs,
  route: string,
  build: (page: CityPage) => Promise<{ body: string; contentType: string; filename?: string }>,
): Promise<Response> {
  const version = await pageVersion(args)
  const headers = new Headers(cacheHeaders(version.etag))
  if (ifNoneMatchMatches(args.request.headers.get('If-None-Match'), version.etag)) {
    return new Response(null, { status: 304, headers })
  }
  const file = await cityPageData(args, version, route, build)
  headers.set('Content-Type', file.contentType)
  if (file.filename) headers.set('Content-Disposition', `attachment; filename="${file.filename}"`)
  return new Response(file.body, { headers })
}

/** Every portal route's `headers`: the document gets the loader's caching headers, not its ETag (see cityPageLoader). */
export const portalHeaders: HeadersFunction = ({ loaderHeaders }) => {
  const headers = new Headers()
  for (const name of ['Cache-Control', 'Vary']) {
    const value = loaderHeaders.get(name)
    if (value) headers.set(name, value)
  }
  return headers
}
