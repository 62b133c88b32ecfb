import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { RenderCache, type RenderedPage } from './render-cache'

function page(cache: RenderCache, html: string, etag: string | null = 'W/"e"'): RenderedPage {
  return {
    status: 200,
    headers: [['content-type', 'text/html; charset=utf-8']],
    parts: cache.split(html),
    etag,
    setCookies: [],
  }
}

describe('RenderCache', () => {
  it('stores a page with its nonce as a placeholder and gives each response its own nonce', async () => {
    const cache = new RenderCache(1_000_000)
    const html = `<script nonce="${cache.placeholder}">1</script><style nonce="${cache.placeholder}"></style>`
    cache.noteVersion('city', 'v1')
    await cache.getOrRender('k', { scope: 'city', version: 'v1' }, async () => page(cache, html))
    const stored = cache.get('k')!
    expect(cache.body(stored, 'AAA').toString()).toBe(
      '<script nonce="AAA">1</script><style nonce="AAA"></style>',
    )
    expect(cache.body(stored, 'BBB').toString()).toBe(
      '<script nonce="BBB">1</script><style nonce="BBB"></style>',
    )
    expect(cache.placeholder).not.toBe(new RenderCache(1).placeholder)
  })

  it('gzips a page per response with that response’s nonce, compressing the page only once', async () => {
    const cache = new RenderCache(1_000_000)
    const filler = 'こんにちは、公民連携デスク。'.repeat(400)
    const cases = [
      `<script nonce="${cache.placeholder}">1</script>${filler}<style nonce="${cache.placeholder}"></style>`,
      `${cache.placeholder}${filler}${cache.placeholder}`,
      filler,
      '',
    ]
    for (const html of cases) {
      const stored = page(cache, html)
      for (const nonce of ['AAAAAAAAAAAAAAAAAAAAAA==', 'b/+c']) {
        const gzipped = cache.gzipBody(stored, nonce)
        expect(gunzipSync(gzipped).equals(cache.body(stored, nonce))).toBe(true)
      }
    }
    const large = page(cache, `${filler}${cache.placeholder}${filler}`)
    expect(cache.gzipBody(large, 'n').byteLength).toBeLessThan(cache.body(large, 'n').byteLength / 5)
  })

  it('renders once for concurrent misses and serves later requests from memory', async () => {
    const cache = new RenderCache(1_000_000)
    cache.noteVersion('city', 'v1')
    let renders = 0
    const render = async () => {
      renders += 1
      await new Promise((resolve) => setTimeout(resolve, 5))
      return page(cache, '<p>x</p>')
    }
    const results = await Promise.all(
      [1, 2, 3].map(() => cache.getOrRender('k', { scope: 'city', version: 'v1' }, render)),
    )
    expect(renders).toBe(1)
    expect(results.map((result) => result.hit)).toEqual([false, false, false])
    expect((await cache.getOrRender('k', { scope: 'city', version: 'v1' }, render)).hit).toBe(true)
    expect(renders).toBe(1)
  })

  it('keeps no page without an ETag (errors, private pages) and shares none that sets a cookie', async () => {
    const cache = new RenderCache(1_000_000)
    cache.noteVersion('city', 'v1')
    await cache.getOrRender('error', { scope: 'city', version: 'v1' }, async () => ({
      ...page(cache, 'boom', null),
      status: 500,
    }))
    expect(cache.get('error')).toBeUndefined()

    let renders = 0
    const withCookie = async () => {
      renders += 1
      await new Promise((resolve) => setTimeout(resolve, 5))
      return { ...page(cache, '<p>x</p>'), setCookies: [`id=${renders}`] }
    }
    const results = await Promise.all(
      [1, 2].map(() => cache.getOrRender('c', { scope: 'city', version: 'v1' }, withCookie)),
    )
    expect(renders).toBe(2)
    expect(results.map((result) => result.page.setCookies[0]).sort()).toEqual(['id=1', 'id=2'])
    expect(cache.get('c')).toBeUndefined()
  })

  it('stays within its byte budget, evicting the least recently used page', async () => {
    const cache = new RenderCache(3 * (512 + 1 * 2 + 1000))
    cache.noteVersion('city', 'v1')
    const store = (key: string) =>
      cache.getOrRender(key, { scope: 'city', version: 'v1' }, async () => page(cache, 'x'.repeat(1000)))
    await store('a')
    await store('b')
    await store('c')
    expect(cache.size).toBe(3)
    cache.get('a') // a is now the most recent
    await store('d')
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBeDefined()
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes)
    // Japanese text is counted in UTF-8 bytes, as it is stored.
    const small = new RenderCache(2_000)
    small.noteVersion('city', 'v1')
    await small.getOrRender('ja', { scope: 'city', version: 'v1' }, async () => page(small, '市'.repeat(600)))
    expect(small.get('ja')).toBeUndefined()
  })

  it("drops a city's pages when its version changes, and does not keep a render that outlived its version", async () => {
    const cache = new RenderCache(1_000_000)
    cache.noteVersion('a', 'v1')
    cache.noteVersion('b', 'v1')
    await cache.getOrRender('a1', { scope: 'a', version: 'v1' }, async () => page(cache, 'a'))
    await cache.getOrRender('b1', { scope: 'b', version: 'v1' }, async () => page(cache, 'b'))
    cache.noteVersion('a', 'v1')
    expect(cache.get('a1')).toBeDefined()
    cache.noteVersion('a', 'v2')
    expect(cache.get('a1')).toBeUndefined()
    expect(cache.get('b1')).toBeDefined()

    let release = () => {}
    const slow = cache.getOrRender('b-old', { scope: 'b', version: 'v1' }, async () => {
      await new Promise<void>((resolve) => (release = resolve))
      return page(cache, 'old')
    })
    cache.noteVersion('b', 'v2')
    release()
    await slow
    expect(cache.get('b-old')).toBeUndefined()
    expect(cache.bytes).toBe(0)
  })
})
