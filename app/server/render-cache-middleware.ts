import type express from 'express'
import { localeOfCookieHeader } from '../utils/locale.server'
import { ifNoneMatchMatches, PUBLIC_VARY, weakEtag } from '../utils/portal/http-cache'
import type { CacheScopes } from './render-cache-scopes'
import type { RenderCache, RenderedPage } from './render-cache'

/**
 * Serves public portal documents to anonymous visitors from the render cache
 * (./render-cache.ts), and answers a revalidation whose ETag is current with
 * 304 without rendering anything.
 *
 * Only a request that is the same for every visitor is looked up: GET or HEAD
 * of an HTML document (not Remix's `_data` requests, which the loaders
 * revalidate themselves) under a live city's path, with no session (the
 * header shows who is signed in) and nothing to set in a cookie. Whether a
 * page is kept is the page's own decision: only a 200 HTML response that
 * says `Cache-Control: public` (the portal routes' `portalHeaders`) and sets
 * no cookie. Errors, redirects, private pages and forms are rendered afresh
 * for every request.
 */

export type RenderCacheOptions = {
  cache: RenderCache
  /** A live city's pages, and the cross-city lists (./render-cache-scopes.ts). */
  tenants: CacheScopes
  /** Changes with every build: a deployment never serves or validates the last one's HTML. */
  buildVersion: () => string
  /** The city's published-content version (open themes, published cases). */
  contentVersion: (slug: string, res: express.Response) => Promise<string>
  /** Renders `request` as an anonymous GET with `nonce` as the CSP nonce. */
  render: (request: Request, res: express.Response, nonce: string) => Promise<Response>
}

/** Headers that describe one transfer, not the page; never repeated from the cache. */
const TRANSFER_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'date',
  'set-cookie',
])

export function renderCacheMiddleware(options: RenderCacheOptions): express.RequestHandler {
  const { cache } = options
  return (req, res, next) => {
    const slug = cityOf(req)
    const tenant = slug ? options.tenants.get(slug) : undefined
    if (!tenant || tenant.status !== 'live' || !isAnonymousDocumentRequest(req, res)) return next()
    void (async () => {
      // The Fetch Request Remix renders from is built only on a miss (it is a fair share of a hit's cost).
      const { key, version } = await cacheKeyOf(options, tenant, req.headers.cookie, req.originalUrl, () =>
        options.contentVersion(tenant.slug, res),
      )
      const etag = weakEtag(key)
      const { page, hit } = await cache.getOrRender(key, { scope: tenant.slug, version }, async () =>
        toRenderedPage(await options.render(remixRequest(req), res, cache.placeholder), cache, etag),
      )
      res.setHeader('X-Render-Cache', hit ? 'hit' : 'miss')
      send(req, res, page, cache)
    })().catch(next)
  }
}

/**
 * Where a request's page is kept: the build, the city's file and published
 * content (noted with the cache, which drops the city's older pages), the
 * visitor's language and the address. No Host: absolute links are built from
 * APP_ORIGIN, whatever Host the client sent.
 */
export async function cacheKeyOf(
  options: Pick<RenderCacheOptions, 'cache' | 'buildVersion'>,
  tenant: { slug: string; version: string; status: string },
  cookieHeader: string | undefined,
  url: string,
  contentVersion: () => Promise<string>,
): Promise<{ key: string; version: string }> {
  const locale = await localeOfCookieHeader(cookieHeader)
  const version = weakEtag(options.buildVersion(), tenant.version, tenant.status, await contentVersion())
  options.cache.noteVersion(tenant.slug, version)
  return { key: [version, locale, url].join('\n'), version }
}

function cityOf(req: express.Request): string | undefined {
  return req.path.split('/')[1] || undefined
}

function isAnonymousDocumentRequest(req: express.Request, res: express.Response): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  if ('_data' in req.query) return false
  // The session middleware has run: a live session, or a dead one being cleared, means a personal response.
  if (res.locals.session || res.getHeader('Set-Cookie') !== undefined) return false
  return req.get('Sec-Fetch-Mode') === 'navigate' || (req.get('Accept') ?? '').includes('text/html')
}

/** The request Remix sees: always a GET (a HEAD is answered from the same page), bodiless. */
function remixRequest(req: express.Request): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  return new Request(`${req.protocol}://${req.get('host')}${req.originalUrl}`, { method: 'GET', headers })
}

async function toRenderedPage(response: Response, cache: RenderCache, etag: string): Promise<RenderedPage> {
  const html = await response.text()
  const headers: [string, string][] = []
  response.headers.forEach((value, name) => {
    if (!TRANSFER_HEADERS.has(name)) headers.push([name, value])
  })
  const setCookies = response.headers.getSetCookie()
  const cacheable =
    response.status === 200 &&
    (response.headers.get('Content-Type') ?? '').startsWith('text/html') &&
    setCookies.length === 0 &&
    /(^|,)\s*public\b/.test(response.headers.get('Cache-Control') ?? '')
  return {
    status: response.status,
    headers,
    parts: cache.split(html),
    etag: cacheable ? etag : null,
    setCookies,
  }
}

function send(req: express.Request, res: express.Response, page: RenderedPage, cache: RenderCache): void {
  if (page.etag) {
    res.setHeader('ETag', page.etag)
    res.setHeader('Vary', varyWithCookie(page.headers))
  }
  if (page.etag && ifNoneMatchMatches(req.get('If-None-Match') ?? null, page.etag)) {
    // A browser merges a 304's headers into its stored response. A new CSP
    // nonce would replace the one the stored page was sent with and block its
    // scripts, so the 304 sends none and the stored policy stays in force.
    res.removeHeader('Content-Security-Policy')
    for (const [name, value] of page.headers) if (name === 'cache-control') res.setHeader(name, value)
    res.status(304).end()
    return
  }
  for (const [name, value] of page.headers) if (name !== 'vary' || !page.etag) res.setHeader(name, value)
  if (page.setCookies.length > 0) res.setHeader('Set-Cookie', page.setCookies)
  const body = cache.body(page, String(res.locals.cspNonce ?? ''))
  res.setHeader('Content-Length', body.byteLength)
  // `end`, not `send`: Express's send would add its own ETag and 304 logic.
  res.status(page.status).end(req.method === 'HEAD' ? undefined : body)
}

/** A cached page depends on the language cookie and on having no session cookie: caches must key on Cookie. */
export function varyWithCookie(headers: [string, string][]): string {
  const vary = headers.find(([name]) => name === 'vary')?.[1]
  const names = (vary ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  if (!names.some((name) => name.toLowerCase() === PUBLIC_VARY.toLowerCase())) names.push(PUBLIC_VARY)
  return names.join(', ')
}
