import { createHash } from 'node:crypto'

/**
 * HTTP caching of public portal pages. Every visitor sees the same page for a
 * given city, language and content version, so those three name the
 * representation: its ETag is their hash.
 */

/** Browsers and shared caches may reuse a page for a minute without asking. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60'
/** The language comes from a cookie, so a cache must keep one copy per cookie. */
export const PUBLIC_VARY = 'Cookie'

export function contentHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 27)
}

export function weakEtag(...parts: string[]): string {
  return `W/"${contentHash(...parts)}"`
}

/**
 * True when the request's If-None-Match names `etag` (weak comparison, as
 * RFC 9110 §13.1.2 requires for If-None-Match), or is `*`.
 */
export function ifNoneMatchMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '')
  return ifNoneMatch.split(',').some((candidate) => candidate.trim() === '*' || opaque(candidate) === opaque(etag))
}

/**
 * True for a browser navigation (an HTML document). Remix strips its `_data`
 * parameter before loaders run, so data requests are told apart by what a
 * navigation always sends: `Sec-Fetch-Mode: navigate` or an Accept naming HTML.
 */
export function isDocumentRequest(request: Request): boolean {
  return request.headers.get('Sec-Fetch-Mode') === 'navigate' || (request.headers.get('Accept') ?? '').includes('text/html')
}
