import { expect, test, type APIRequestContext, type APIResponse } from './test'
import { E2E_PORT } from './playwright.config'

/**
 * The render cache (app/server/render-cache*.ts) on the production build: an
 * anonymous visitor's public page comes from memory with a nonce of its own,
 * revalidates with 304, and changes when the desk opens a theme; signed-in
 * visitors and private pages are rendered for each request.
 */

const CITY = 'komatsu'
const ORIGIN = `http://localhost:${E2E_PORT}`
const HTML = { Accept: 'text/html' }

function cspNonce(response: APIResponse): string {
  return (
    /script-src [^;]*'nonce-([^']+)'/.exec(response.headers()['content-security-policy'] ?? '')?.[1] ?? ''
  )
}

/** Every nonce attribute in the page; one page uses one nonce. */
function htmlNonces(html: string): string[] {
  return [...new Set([...html.matchAll(/nonce="([^"]*)"/g)].map((match) => match[1]!))]
}

async function signedIn(request: APIRequestContext, email: string) {
  const response = await request.post('/sign-in', {
    form: { email, password: 'demo-pass-2026' },
    headers: { Origin: ORIGIN },
    maxRedirects: 0,
  })
  expect(response.status()).toBe(302)
}

test('an anonymous visitor gets the cached page with a fresh nonce that matches its CSP, and 304 on revalidation', async ({
  request,
}) => {
  const first = await request.get(`/${CITY}`, { headers: HTML })
  const second = await request.get(`/${CITY}`, { headers: HTML })
  expect(second.headers()['x-render-cache']).toBe('hit')
  const [firstHtml, secondHtml] = [await first.text(), await second.text()]
  const [firstNonces, secondNonces] = [htmlNonces(firstHtml), htmlNonces(secondHtml)]
  expect(firstNonces).toEqual([cspNonce(first)])
  expect(secondNonces).toEqual([cspNonce(second)])
  expect(secondNonces[0]).not.toBe(firstNonces[0])
  expect(secondHtml.replaceAll(secondNonces[0]!, firstNonces[0]!)).toBe(firstHtml)
  expect(secondHtml).not.toContain('csp-nonce-placeholder')
  expect(second.headers()['cache-control']).toBe('public, max-age=60')
  expect(second.headers()['vary']).toContain('Cookie')

  const etag = second.headers()['etag'] ?? ''
  expect(etag).toMatch(/^W\/".+"$/)
  const revalidated = await request.get(`/${CITY}`, { headers: { ...HTML, 'If-None-Match': etag } })
  expect(revalidated.status()).toBe(304)
  expect(revalidated.headers()['etag']).toBe(etag)
  // The browser keeps the stored page's policy: a 304 with a new nonce would block its scripts.
  expect(revalidated.headers()['content-security-policy']).toBeUndefined()
  expect(revalidated.headers()['set-cookie']).toBeUndefined()

  // Another language is another page.
  const english = await request.get(`/${CITY}`, {
    headers: {
      ...HTML,
      'If-None-Match': etag,
      Cookie: `lng=${encodeURIComponent(Buffer.from('"en"').toString('base64'))}`,
    },
  })
  expect(english.status()).toBe(200)
  expect(await english.text()).toContain('<html lang="en"')
})

test('signed-in visitors and private pages are rendered for each request, never from the cache', async ({
  playwright,
}) => {
  const business = await playwright.request.newContext({ baseURL: ORIGIN })
  try {
    await signedIn(business, 'biz1@example.com')
    for (let index = 0; index < 2; index++) {
      const page = await business.get(`/${CITY}`, { headers: HTML })
      expect(page.headers()['x-render-cache']).toBeUndefined()
      expect(page.headers()['etag']).toBeUndefined()
      expect(page.headers()['cache-control']).toBe('private, max-age=60')
      const html = await page.text()
      expect(htmlNonces(html)).toEqual([cspNonce(page)])
      expect(html).toContain('さんがログイン中')
    }
  } finally {
    await business.dispose()
  }
  const anonymous = await playwright.request.newContext({ baseURL: ORIGIN })
  try {
    for (const path of [`/${CITY}/desk`, `/${CITY}/propose`, `/${CITY}/themes/no-such-theme`]) {
      for (let index = 0; index < 2; index++) {
        const response = await anonymous.get(path, { headers: HTML, maxRedirects: 0 })
        expect(response.headers()['x-render-cache'] ?? 'miss', path).toBe('miss')
        expect(response.headers()['etag'], path).toBeUndefined()
      }
    }
    expect((await anonymous.get(`/${CITY}/themes/no-such-theme`, { headers: HTML })).status()).toBe(404)
  } finally {
    await anonymous.dispose()
  }
})

test('every desk page and every page of the signed-in user is kept out of all caches', async ({
  playwright,
}) => {
  const staff = await playwright.request.newContext({ baseURL: ORIGIN })
  try {
    await signedIn(staff, `desk-admin@${CITY}.example.jp`)
    for (const path of [
      `/${CITY}/desk`,
      `/${CITY}/desk/dashboard`,
      `/${CITY}/desk/know-how`,
      `/${CITY}/desk/themes`,
      `/${CITY}/desk/staff`,
      `/${CITY}/desk/cases`,
      '/account',
      '/account/settings',
    ]) {
      const response = await staff.get(path, { headers: HTML, maxRedirects: 0 })
      expect(response.status(), path).toBe(200)
      expect(response.headers()['cache-control'], path).toMatch(/\bno-store\b/)
      expect(response.headers()['etag'], path).toBeUndefined()
    }
  } finally {
    await staff.dispose()
  }
})

test('a theme the desk opens is on the public page at once, under a new ETag', async ({
  request,
  playwright,
}) => {
  const before = await request.get(`/${CITY}/themes`, { headers: HTML })
  await request.get(`/${CITY}/themes`, { headers: HTML }) // now surely cached
  const etag = before.headers()['etag'] ?? ''
  const title = `キャッシュ検証テーマ ${Date.now()}`
  expect(await before.text()).not.toContain(title)

  const desk = await playwright.request.newContext({ baseURL: ORIGIN, extraHTTPHeaders: { Origin: ORIGIN } })
  try {
    await signedIn(desk, `desk-admin@${CITY}.example.jp`)
    const saved = await desk.post(`/${CITY}/desk/themes`, {
      form: {
        intent: 'save',
        titleJa: title,
        titleEn: '',
        backgroundJa: '描画キャッシュの無効化を確かめる',
        backgroundEn: '',
        expectedOutcomeJa: '',
        expectedOutcomeEn: '',
        departmentKey: '',
        deadline: '',
      },
      maxRedirects: 0,
    })
    expect(saved.status()).toBe(302)
    const listed = (await (await desk.get(`/${CITY}/desk/themes?_data=routes/$city.desk.themes`)).json()) as {
      themes: { id: string; titleJa: string }[]
    }
    const theme = listed.themes.find((candidate) => candidate.titleJa === title)
    expect(theme).toBeDefined()
    const opened = await desk.post(`/${CITY}/desk/themes`, {
      form: { intent: 'status', themeId: theme!.id, status: 'open' },
      maxRedirects: 0,
    })
    expect(opened.status()).toBe(302)
  } finally {
    await desk.dispose()
  }

  const after = await request.get(`/${CITY}/themes`, { headers: { ...HTML, 'If-None-Match': etag } })
  expect(after.status()).toBe(200)
  expect(after.headers()['x-render-cache']).toBe('miss')
  expect(after.headers()['etag']).not.toBe(etag)
  expect(await after.text()).toContain(title)
})
