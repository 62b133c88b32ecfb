import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import express from 'express'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '~/utils/logger.server'
import { createNonce, securityHeaders } from '~/utils/security-headers.server'
import { createTenantRegistry, type TenantRegistry } from '~/utils/tenant-registry.server'
import { RenderCache } from './render-cache'
import { renderCacheMiddleware } from './render-cache-middleware'

/**
 * The middleware over HTTP, mounted as main.ts mounts it (nonce and CSP
 * first, sessions, then the cache, then the normal handler), with the real
 * tenant registry on a copy of tenants/ and a stand-in for Remix that renders
 * the city's name and a nonce-carrying script, and counts its renders.
 * The e2e suite (e2e/render-cache.e2e.ts) does the same against the real build.
 */
let directory: string
let tenants: TenantRegistry
let server: Server
let base: string
let cache: RenderCache
let contentVersion = 'c1'
let renders = 0
let normalRenders = 0
const SLUG = 'komatsu'
const HTML = { Accept: 'text/html' }

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'render-cache-'))
  await cp('tenants', directory, { recursive: true })
  tenants = await createTenantRegistry({ directory, logger: createLogger('silent'), watch: false })
  const app = express()
  app.use((_req, res, next) => {
    res.locals.cspNonce = createNonce()
    res.set(securityHeaders({ nonce: res.locals.cspNonce, production: true }))
    next()
  })
  // Stands in for the session middleware: a session cookie means a signed-in visitor; `dead` is cleared.
  app.use((req, res, next) => {
    const cookie = req.get('Cookie') ?? ''
    if (cookie.includes('auth_session=live')) res.locals.session = { id: 'live', userId: 'u' }
    if (cookie.includes('auth_session=dead')) res.append('Set-Cookie', 'auth_session=; Max-Age=0')
    next()
  })
  cache = new RenderCache(1024 * 1024)
  app.use(
    renderCacheMiddleware({
      cache,
      tenants,
      buildVersion: () => 'build-1',
      contentVersion: async () => contentVersion,
      render: async (request, _res, nonce) => {
        renders += 1
        return fakeRemix(request, nonce)
      },
    }),
  )
  app.all('*', (req, res) => {
    normalRenders += 1
    res.type('html').end(`<p>normal render of ${req.originalUrl}</p>`)
  })
  server = app.listen(0)
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server?.close()
  await tenants?.close()
  if (directory) await rm(directory, { recursive: true, force: true })
})

beforeEach(() => {
  renders = 0
  normalRenders = 0
})

/** What the portal's routes answer: public pages, a private desk page, a 404, a page that sets a cookie. */
function fakeRemix(request: Request, nonce: string): Response {
  const url = new URL(request.url)
  const tenant = tenants.get(SLUG)!
  const html = `<!DOCTYPE html><html lang="ja"><title>${tenant.config.identity.name.ja}</title><p>${url.pathname}${url.search} v=${contentVersion}</p><script nonce="${nonce}">hydrate()</script></html>`
  const headers = new Headers({
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'public, max-age=60',
    Vary: 'Cookie',
  })
  if (url.pathname.endsWith('/missing')) return new Response(html, { status: 404, headers })
  if (url.pathname.includes('/desk')) headers.set('Cache-Control', 'private, no-store')
  if (url.pathname.endsWith('/cookie')) headers.append('Set-Cookie', 'flash=1')
  return new Response(html, { headers })
}

function get(path: string, headers: Record<string, string> = HTML) {
  return fetch(`${base}${path}`, { headers })
}

function nonceOfCsp(response: Response): string {
  return (
    /script-src [^;]*'nonce-([^']+)'/.exec(response.headers.get('Content-Security-Policy') ?? '')?.[1] ?? ''
  )
}

function nonceInHtml(html: string): string {
  return /<script nonce="([^"]+)"/.exec(html)?.[1] ?? ''
}

describe('the render cache over HTTP', () => {
  it('renders once, then serves the same page with a fresh nonce that matches the CSP header', async () => {
    const first = await get(`/${SLUG}/themes?page=2`)
    const firstHtml = await first.text()
    const second = await get(`/${SLUG}/themes?page=2`)
    const secondHtml = await second.text()
    expect([first.status, second.status]).toEqual([200, 200])
    expect([first.headers.get('X-Render-Cache'), second.headers.get('X-Render-Cache')]).toEqual([
      'miss',
      'hit',
    ])
    expect(renders).toBe(1)
    expect(firstHtml).toContain('小松市')
    const nonces = [nonceInHtml(firstHtml), nonceInHtml(secondHtml)]
    expect(nonces[0]).not.toBe(nonces[1])
    expect(nonces).toEqual([nonceOfCsp(first), nonceOfCsp(second)])
    expect(secondHtml.replace(nonces[1]!, nonces[0]!)).toBe(firstHtml)
    expect(firstHtml).not.toContain(cache.placeholder)
    expect(second.headers.get('Cache-Control')).toBe('public, max-age=60')
    expect(second.headers.get('Vary')).toBe('Cookie')
    expect(second.headers.get('ETag')).toMatch(/^W\/".+"$/)
    expect(second.headers.get('ETag')).toBe(first.headers.get('ETag'))
  })

  it('answers If-None-Match with 304 without rendering, and without a new CSP nonce', async () => {
    const first = await get(`/${SLUG}`)
    await first.text()
    const etag = first.headers.get('ETag')!
    // Evicted: rendered once more (a page is only revalidated once it has proved cacheable again), then kept.
    cache.invalidate(SLUG)
    renders = 0
    expect((await get(`/${SLUG}`, { ...HTML, 'If-None-Match': etag })).status).toBe(304)
    expect(renders).toBe(1)
    renders = 0
    const revalidated = await get(`/${SLUG}`, { ...HTML, 'If-None-Match': `"other", ${etag}` })
    expect(revalidated.status).toBe(304)
    expect(await revalidated.text()).toBe('')
    expect(renders).toBe(0)
    expect(revalidated.headers.get('ETag')).toBe(etag)
    expect(revalidated.headers.get('Content-Security-Policy')).toBeNull()
    expect(revalidated.headers.get('Set-Cookie')).toBeNull()
    expect(revalidated.headers.get('Cache-Control')).toBe('public, max-age=60')
    expect(revalidated.headers.get('Vary')).toBe('Cookie')
  })

  it('keeps one page per language, from the language cookie', async () => {
    const english = { ...HTML, Cookie: `lng=${encodeURIComponent(Buffer.from('"en"').toString('base64'))}` }
    const ja = await get(`/${SLUG}/contact`)
    const en = await get(`/${SLUG}/contact`, english)
    expect(renders).toBe(2)
    expect(en.headers.get('ETag')).not.toBe(ja.headers.get('ETag'))
    expect(
      (await get(`/${SLUG}/contact`, { ...english, 'If-None-Match': ja.headers.get('ETag')! })).status,
    ).toBe(200)
    expect(
      (await get(`/${SLUG}/contact`, { ...english, 'If-None-Match': en.headers.get('ETag')! })).status,
    ).toBe(304)
  })

  it('serves the page again when published content changes', async () => {
    const before = await get(`/${SLUG}/cases`)
    const etag = before.headers.get('ETag')!
    expect(await before.text()).toContain('v=c1')
    contentVersion = 'c2'
    try {
      const after = await get(`/${SLUG}/cases`, { ...HTML, 'If-None-Match': etag })
      expect(after.status).toBe(200)
      expect(after.headers.get('X-Render-Cache')).toBe('miss')
      expect(after.headers.get('ETag')).not.toBe(etag)
      expect(await after.text()).toContain('v=c2')
    } finally {
      contentVersion = 'c1'
    }
  })

  it('serves the page again when the tenant file reloads with a change', async () => {
    await (await get(`/${SLUG}/methods`)).text()
    expect((await get(`/${SLUG}/methods`)).headers.get('X-Render-Cache')).toBe('hit')
    const file = join(directory, `${SLUG}.yaml`)
    const source = await readFile(file, 'utf8')
    await writeFile(file, source.replace('name: { ja: 小松市,', 'name: { ja: 新小松市,'))
    try {
      await tenants.reload()
      const after = await get(`/${SLUG}/methods`)
      expect(after.headers.get('X-Render-Cache')).toBe('miss')
      expect(await after.text()).toContain('<title>新小松市</title>')
    } finally {
      await writeFile(file, source)
      await tenants.reload()
    }
  })

  it('leaves signed-in visitors, data requests, other methods and other paths to the normal handler', async () => {
    const signedIn = await get(`/${SLUG}`, { ...HTML, Cookie: 'auth_session=live' })
    expect(await signedIn.text()).toContain('normal render')
    expect(signedIn.headers.get('ETag')).toBeNull()
    const clearing = await get(`/${SLUG}`, { ...HTML, Cookie: 'auth_session=dead' })
    expect(await clearing.text()).toContain('normal render')
    await get(`/${SLUG}?_data=routes%2F%24city._index`)
    await get(`/${SLUG}`, { Accept: 'application/json' })
    await get('/sign-in')
    await get('/no-such-city')
    await fetch(`${base}/${SLUG}`, { method: 'POST', headers: HTML })
    expect(normalRenders).toBe(7)
    expect(renders).toBe(0)
  })

  it('keeps no private page, error page or page that sets a cookie', async () => {
    for (const path of ['/desk', '/missing', '/cookie']) {
      const first = await get(`/${SLUG}${path}`)
      const html = await first.text()
      expect(nonceInHtml(html)).toBe(nonceOfCsp(first))
      expect(first.headers.get('ETag')).toBeNull()
      expect((await get(`/${SLUG}${path}`)).headers.get('X-Render-Cache')).toBe('miss')
    }
    expect((await get(`/${SLUG}/missing`)).status).toBe(404)
    expect((await get(`/${SLUG}/cookie`)).headers.get('Set-Cookie')).toBe('flash=1')
    expect(renders).toBe(8)
  })

  it('answers HEAD from the cached page, without a body', async () => {
    await (await get(`/${SLUG}/notes`)).text()
    const head = await fetch(`${base}/${SLUG}/notes`, { method: 'HEAD', headers: HTML })
    expect(head.status).toBe(200)
    expect(head.headers.get('X-Render-Cache')).toBe('hit')
    expect(await head.text()).toBe('')
  })
})
