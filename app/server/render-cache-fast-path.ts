import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ifNoneMatchMatches } from '../utils/portal/http-cache'
import type { CacheScopes } from './render-cache-scopes'
import type { RenderCache, RenderedPage } from './render-cache'
import { cacheKeyOf, varyWithCookie } from './render-cache-middleware'

/**
 * A render-cache hit served before Express (docs/performance.md): an
 * anonymous visitor's GET or HEAD of a live city's page that the cache holds
 * is answered here with the same status, headers and body the Express path
 * (compression, request id, security headers, session, render-cache
 * middleware) gives it — without that path's per-request work: the headers
 * that do not change are joined once per page, the body is gzipped once per
 * page (RenderCache.gzipBody: only the nonce and the CRC are per response),
 * and nothing is logged unless the level is debug.
 *
 * Anything else — a miss, a cookie that might be a session, an address with
 * an escape or anything the request gate would look at twice, `_data` — goes
 * to Express unchanged (`false`), which renders and fills the cache.
 */
export type FastPathOptions = {
  cache: RenderCache
  /** A live city's pages, and the cross-city lists (./render-cache-scopes.ts). */
  tenants: CacheScopes
  buildVersion: () => string
  contentVersion: (slug: string) => Promise<string>
  /** The session cookie's name: a request carrying it is never answered here. */
  sessionCookieName: string
  /** Every response's security headers for `nonce` (app/utils/security-headers.server.ts). */
  securityHeaders: (nonce: string) => Record<string, string>
  createNonce: () => string
  /** A line per answered request, at debug level (off by default). */
  logAnswered?: (line: { requestId: string; city: string; path: string; status: number; ms: number }) => void
}

/** A city's page address: plain path segments and a plain query (no %-escape, no NUL, no `..`). */
const PLAIN_ADDRESS =
  /^\/[a-z0-9][a-z0-9-]*(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*\/?(?:\?[A-Za-z0-9._~=&+-]*)?$/

export function renderCacheFastPath(options: FastPathOptions) {
  const { cache } = options
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const started = options.logAnswered ? process.hrtime.bigint() : 0n
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    const url = req.url ?? ''
    if (!PLAIN_ADDRESS.test(url) || /[?&]_data(?:[=&]|$)/.test(url)) return false
    const slug = url.slice(1).split(/[/?]/, 1)[0]!
    const tenant = options.tenants.get(slug)
    if (!tenant || tenant.status !== 'live') return false
    const { cookie, accept } = req.headers
    if (cookie?.includes(`${options.sessionCookieName}=`)) return false
    if (req.headers['sec-fetch-mode'] !== 'navigate' && !(accept ?? '').includes('text/html')) return false
    const { key } = await cacheKeyOf(options, tenant, cookie, url, () => options.contentVersion(slug))
    const page = cache.get(key)
    if (!page?.etag) return false

    const requestId = String(req.headers['x-request-id'] ?? '').slice(0, 64) || randomUUID()
    const fixed = fixedHeadersOf(page, options)
    const ifNoneMatch = req.headers['if-none-match']
    if (ifNoneMatchMatches(typeof ifNoneMatch === 'string' ? ifNoneMatch : null, page.etag)) {
      // As the Express path: no Content-Security-Policy on a 304 (the stored page keeps its own nonce).
      res.writeHead(304, [...fixed.notModified, 'X-Request-Id', requestId])
      res.end()
    } else {
      const nonce = options.createNonce()
      const gzip = req.method === 'GET' && acceptsGzip(req.headers['accept-encoding'])
      const body = gzip ? cache.gzipBody(page, nonce) : cache.body(page, nonce)
      // One flat list of names and values: Node writes it without a setHeader per header.
      const headers = [
        ...fixed.page,
        'X-Request-Id',
        requestId,
        'Content-Security-Policy',
        fixed.csp.join(nonce),
        'Content-Length',
        String(body.byteLength),
      ]
      if (gzip) headers.push('Content-Encoding', 'gzip')
      res.writeHead(page.status, headers)
      res.end(req.method === 'HEAD' ? undefined : body)
    }
    options.logAnswered?.({
      requestId,
      city: slug,
      path: url.split('?', 1)[0]!,
      status: res.statusCode,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    })
    return true
  }
}

type FixedHeaders = {
  /** Names and values, flat, for writeHead. */
  page: string[]
  notModified: string[]
  /** The Content-Security-Policy split where the nonce goes. */
  csp: string[]
}
const fixedHeaders = new WeakMap<RenderedPage, FixedHeaders>()
const NONCE_MARK = 'nonce-mark-0b9f'

/** What every hit of `page` sends besides its nonce, request id and length: joined once per page. */
function fixedHeadersOf(page: RenderedPage, options: FastPathOptions): FixedHeaders {
  let fixed = fixedHeaders.get(page)
  if (fixed) return fixed
  const { 'Content-Security-Policy': csp = '', ...security } = options.securityHeaders(NONCE_MARK)
  const flat = (pairs: [string, string][]) => pairs.flat()
  fixed = {
    page: flat([
      ...Object.entries(security),
      ...page.headers.filter(([name]) => name !== 'vary'),
      // The compression middleware adds Accept-Encoding to an HTML response's Vary whether or not it compresses.
      ['Vary', `${varyWithCookie(page.headers)}, Accept-Encoding`],
      ['ETag', page.etag!],
      ['X-Render-Cache', 'hit'],
    ]),
    notModified: flat([
      ...Object.entries(security),
      // A 304 has no Content-Type, so the compression middleware leaves its Vary alone.
      ['Vary', varyWithCookie(page.headers)],
      ['ETag', page.etag!],
      ['X-Render-Cache', 'hit'],
      ...page.headers.filter(([name]) => name === 'cache-control'),
    ]),
    csp: csp.split(NONCE_MARK),
  }
  fixedHeaders.set(page, fixed)
  return fixed
}

/** Whether Accept-Encoding allows gzip (listed, or `*`, with a weight above 0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false
  let star = false
  for (const item of header.split(',')) {
    const [coding = '', ...params] = item.trim().toLowerCase().split(';')
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='))
    const allowed = !q || Number(q.slice(2)) > 0
    if (coding.trim() === 'gzip') return allowed
    if (coding.trim() === '*') star = allowed
  }
  return star
}
