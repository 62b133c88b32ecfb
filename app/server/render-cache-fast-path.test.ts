import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNonce, securityHeaders } from '../utils/security-headers.server'
import { RenderCache } from './render-cache'
import { acceptsGzip, renderCacheFastPath } from './render-cache-fast-path'
import { cacheKeyOf } from './render-cache-middleware'

/**
 * The render cache's fast path on a real HTTP server: a hit is answered before
 * the rest of the server (here a stand-in that answers "express") with its own
 * nonce in both the page and the CSP header, gzip when asked, a 304 without a
 * CSP; anything else falls through.
 */
const cache = new RenderCache(1_000_000)
const tenant = { slug: 'city-a', version: 'v1', status: 'live', config: {} }
const options = {
  cache,
  tenants: { get: (slug: string) => (slug === tenant.slug ? tenant : undefined) } as never,
  buildVersion: () => 'build-1',
  contentVersion: async () => 'content-1',
  sessionCookieName: 'session',
  securityHeaders: (nonce: string) => securityHeaders({ nonce, production: true }),
  createNonce,
}
const html = `<html><script nonce="${cache.placeholder}">x</script>${'公民連携'.repeat(2000)}</html>`
let base: string
let server: http.Server

async function store(url: string, cookie?: string) {
  const { key, version } = await cacheKeyOf(options, tenant, cookie, url, options.contentVersion)
  await cache.getOrRender(key, { scope: tenant.slug, version }, async () => ({
    status: 200,
    headers: [
      ['content-type', 'text/html; charset=utf-8'],
      ['cache-control', 'public, max-age=60'],
      ['vary', 'Cookie'],
    ],
    parts: cache.split(html),
    etag: 'W/"page-1"',
    setCookies: [],
  }))
}

beforeAll(async () => {
  const fastPath = renderCacheFastPath(options)
  server = http.createServer((req, res) => {
    void fastPath(req, res).then((answered) => {
      if (!answered) res.end('express')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  await store('/city-a')
  await store('/city-a/themes?page=2')
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers: { Accept: 'text/html', ...headers } })

/** The raw body and headers (fetch would decompress gzip itself). */
function raw(path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      http
        .get(`${base}${path}`, { headers: { Accept: 'text/html', ...headers } }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
          )
        })
        .on('error', reject)
    },
  )
}

const nonceOfPage = (text: string) => /<script nonce="([^"]+)">/.exec(text)?.[1]
const nonceOfPolicy = (policy: string | null | undefined) => /'nonce-([^']+)'/.exec(policy ?? '')?.[1]

describe('the render cache fast path', () => {
  it('answers a hit with the page carrying the nonce of its own CSP header, a new one each time', async () => {
    const first = await get('/city-a')
    const second = await get('/city-a')
    const nonces = []
    for (const response of [first, second]) {
      expect(response.status).toBe(200)
      expect(response.headers.get('X-Render-Cache')).toBe('hit')
      const page = await response.text()
      expect(nonceOfPage(page)).toBe(nonceOfPolicy(response.headers.get('Content-Security-Policy')))
      nonces.push(nonceOfPage(page))
      expect(response.headers.get('ETag')).toBe('W/"page-1"')
      expect(response.headers.get('Vary')).toBe('Cookie, Accept-Encoding')
      expect(response.headers.get('Cache-Control')).toBe('public, max-age=60')
      expect(response.headers.get('X-Frame-Options')).toBe('DENY')
      expect(response.headers.get('Strict-Transport-Security')).toContain('max-age=')
      expect(response.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect(nonces[0]).not.toBe(nonces[1])
  })

  it('sends gzip when it is accepted, the same page with the same nonce rule', async () => {
    const response = await raw('/city-a', { 'Accept-Encoding': 'gzip, deflate, br' })
    expect(response.headers['content-encoding']).toBe('gzip')
    const page = gunzipSync(response.body).toString()
    expect(page.length).toBe(html.replace(cache.placeholder, nonceOfPage(page)!).length)
    expect(nonceOfPage(page)).toBe(nonceOfPolicy(response.headers['content-security-policy'] as string))
    expect(Number(response.headers['content-length'])).toBe(response.body.byteLength)
    const identity = await raw('/city-a', { 'Accept-Encoding': 'gzip;q=0, identity' })
    expect(identity.headers['content-encoding']).toBeUndefined()
  })

  it('answers a current ETag with 304 and no Content-Security-Policy', async () => {
    const response = await get('/city-a', { 'If-None-Match': 'W/"page-1"' })
    expect(response.status).toBe(304)
    expect(response.headers.get('Content-Security-Policy')).toBeNull()
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
  })

  it('leaves everything else to the server: misses, sessions, data requests, odd addresses, other methods', async () => {
    const through = async (response: Promise<Response>) => (await (await response).text()) === 'express'
    expect(await through(get('/city-a/themes?page=2'))).toBe(false)
    expect(await through(get('/city-a/themes'))).toBe(true) // not stored
    expect(await through(get('/city-a', { Cookie: 'session=abc' }))).toBe(true)
    expect(await through(get('/city-a?_data=root'))).toBe(true)
    expect(await through(get('/city-a/%2e%2e/x'))).toBe(true)
    expect(await through(get('/city-b'))).toBe(true)
    expect(await through(get('/city-a', { Accept: 'application/json' }))).toBe(true)
    expect(await through(fetch(`${base}/city-a`, { method: 'POST', headers: { Accept: 'text/html' } }))).toBe(
      true,
    )
  })

  it('reads Accept-Encoding weights', () => {
    expect(acceptsGzip('gzip')).toBe(true)
    expect(acceptsGzip('br, gzip;q=0.5')).toBe(true)
    expect(acceptsGzip('gzip;q=0')).toBe(false)
    expect(acceptsGzip('*')).toBe(true)
    expect(acceptsGzip('br')).toBe(false)
    expect(acceptsGzip(undefined)).toBe(false)
  })
})
