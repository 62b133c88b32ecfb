import { describe, expect, it } from 'vitest'
import { contentHash, ifNoneMatchMatches, isDocumentRequest, weakEtag } from './http-cache'

describe('http cache helpers', () => {
  it('gives the same ETag for the same parts and another for any change', () => {
    expect(weakEtag('city', 'ja', 'v1')).toBe(weakEtag('city', 'ja', 'v1'))
    expect(weakEtag('city', 'ja', 'v1')).not.toBe(weakEtag('city', 'en', 'v1'))
    expect(weakEtag('city', 'ja', 'v1')).toMatch(/^W\/"[A-Za-z0-9_-]+"$/)
    // Parts are separated, so shifting text between them changes the hash.
    expect(contentHash('ab', 'c')).not.toBe(contentHash('a', 'bc'))
  })

  it('matches If-None-Match weakly, in lists, and for *', () => {
    const etag = weakEtag('x')
    const opaque = etag.slice(2)
    expect(ifNoneMatchMatches(etag, etag)).toBe(true)
    expect(ifNoneMatchMatches(opaque, etag)).toBe(true)
    expect(ifNoneMatchMatches(`"other", ${etag}`, etag)).toBe(true)
    expect(ifNoneMatchMatches('*', etag)).toBe(true)
    expect(ifNoneMatchMatches('"other"', etag)).toBe(false)
    expect(ifNoneMatchMatches(null, etag)).toBe(false)
  })
})

describe('isDocumentRequest', () => {
  const request = (headers: Record<string, string>) => new Request('http://localhost/city', { headers })
  it('recognises navigations by Sec-Fetch-Mode or an Accept naming HTML', () => {
    expect(isDocumentRequest(request({ 'Sec-Fetch-Mode': 'navigate' }))).toBe(true)
    expect(isDocumentRequest(request({ Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }))).toBe(true)
  })

  it('treats fetches (Remix data requests, feed readers) as not documents', () => {
    expect(isDocumentRequest(request({ 'Sec-Fetch-Mode': 'cors', Accept: '*/*' }))).toBe(false)
    expect(isDocumentRequest(request({}))).toBe(false)
  })
})
