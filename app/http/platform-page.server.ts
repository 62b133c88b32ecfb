import { randomUUID } from 'node:crypto'
import { json, type AppLoadContext, type LoaderFunctionArgs, type TypedResponse } from '@remix-run/node'
import type { TFunction } from 'i18next'
import type { Locale } from '~/i18n'
import { platformContentStamp, type FilterVocabulary } from '~/operations/across-cities/across-cities.server'
import { siteOrigin } from '~/http/form-validation.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import {
  ifNoneMatchMatches,
  isDocumentRequest,
  PUBLIC_CACHE_CONTROL,
  PUBLIC_VARY,
  weakEtag,
} from '~/utils/portal/http-cache'
import { cachedData, createDataCache } from '~/utils/portal/data-cache'
import { platformContentVersion } from '~/operations/portal/published-content.server'
import type { Localize } from '~/utils/portal/views'

/**
 * Loading a public cross-city page (/themes, /cases, their feeds, the
 * platform home) the way cityPageLoader loads a city's: its version is every
 * live city's tenant-file version and status plus the platform's published
 * content (platform_content_stamp, rechecked every few seconds and at once
 * when a desk opens a theme or publishes a case); ETag and Cache-Control
 * from it, a 304 for a current revalidation, and the page's data cached by
 * version and URL.
 */

const BOOT_ID = randomUUID()
const dataCache = createDataCache(500)

export type PlatformPage = FilterVocabulary & {
  locale: Locale
  t: TFunction
  /** A city's text (or the taxonomy's) in the reader's language. */
  text: Localize
  origin: string
  cityName: (slug: string) => string
}

async function pageVersion(args: LoaderFunctionArgs) {
  const { context } = args
  const locale = await getLocale(args.request)
  const cities = context.tenants.list()
  const content = await platformContentVersion(() => platformContentStamp(context.db))
  const etag = weakEtag(
    BOOT_ID,
    locale,
    content,
    ...cities.map((city) => `${city.slug}:${city.version}:${city.status}`),
  )
  return { locale, cities, etag }
}

function pageKey(request: Request): string {
  const url = new URL(request.url)
  url.searchParams.sort()
  return `${url.pathname}?${url.searchParams}`
}

function platformPage(
  context: AppLoadContext,
  locale: Locale,
  t: TFunction,
  cities: FilterVocabulary['cities'],
): PlatformPage {
  const bySlug = new Map(cities.map((city) => [city.slug, city]))
  const text: Localize = (value) => tenantText(value, locale, 'ja')
  return {
    taxonomy: context.taxonomy,
    cities,
    locale,
    t,
    text,
    origin: siteOrigin(context),
    cityName: (slug) => {
      const city = bySlug.get(slug)
      return city ? tenantText(city.config.identity.name, locale, city.config.defaultLocale) : slug
    },
  }
}

async function platformPageData<T extends object>(
  args: LoaderFunctionArgs,
  version: Awaited<ReturnType<typeof pageVersion>>,
  route: string,
  build: (page: PlatformPage) => Promise<T> | T,
): Promise<T> {
  const key = `${version.etag}|${route}|${siteOrigin(args.context)}|${pageKey(args.request)}`
  return cachedData(dataCache, key, async () =>
    build(platformPage(args.context, version.locale, await getFixedT(version.locale), version.cities)),
  )
}

/** A cross-city page's loader; see cityPageLoader for why documents are not answered 304 here. */
export async function platformPageLoader<T extends object>(
  args: LoaderFunctionArgs,
  route: string,
  build: (page: PlatformPage) => Promise<T> | T,
  /** The page's status from its data (a list whose filters were refused: 400); 200 by default. */
  statusOf?: (data: T) => number,
): Promise<TypedResponse<T>> {
  const version = await pageVersion(args)
  const headers = { 'Cache-Control': PUBLIC_CACHE_CONTROL, Vary: PUBLIC_VARY, ETag: version.etag }
  if (
    !isDocumentRequest(args.request) &&
    ifNoneMatchMatches(args.request.headers.get('If-None-Match'), version.etag)
  ) {
    return new Response(null, { status: 304, headers }) as unknown as TypedResponse<T>
  }
  const data = await platformPageData(args, version, route, build)
  return json(data, { status: statusOf?.(data) ?? 200, headers })
}

/** A cross-city file (Atom, JSON Feed, CSV): answered 304 when current. */
export async function platformFileLoader(
  args: LoaderFunctionArgs,
  route: string,
  build: (page: PlatformPage) => Promise<{ body: string; contentType: string; filename?: string }>,
): Promise<Response> {
  const version = await pageVersion(args)
  const headers = new Headers({
    'Cache-Control': PUBLIC_CACHE_CONTROL,
    Vary: PUBLIC_VARY,
    ETag: version.etag,
  })
  if (ifNoneMatchMatches(args.request.headers.get('If-None-Match'), version.etag)) {
    return new Response(null, { status: 304, headers })
  }
  const file = await platformPageData(args, version, route, build)
  headers.set('Content-Type', file.contentType)
  if (file.filename) headers.set('Content-Disposition', `attachment; filename="${file.filename}"`)
  return new Response(file.body, { headers })
}
