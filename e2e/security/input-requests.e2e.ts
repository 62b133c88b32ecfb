import { expect, test, type APIRequestContext, type Page } from '../test'
import { signIn } from '../session'

/**
 * Issue 17, findings 8 and 9, over HTTP: what no form of the site sends gets
 * a 4xx page in the visitor's language saying what was wrong, and stores
 * nothing — non-form content types (every action, sign-in included), unused
 * methods (TRACE), a NUL in a field or the query, impossible dates; bodies and
 * field counts past the limits; the proposer's list is paged.
 */

const CITY = 'aomori'
const ENGLISH = `lng=${encodeURIComponent(Buffer.from(JSON.stringify('en')).toString('base64'))}`

const origin = (page: Page) => ({ Origin: new URL(page.url()).origin })

async function post(
  page: Page,
  path: string,
  data: string | Buffer,
  contentType: string,
  extra: Record<string, string> = {},
) {
  return page.request.fetch(path, {
    method: 'POST',
    headers: { ...origin(page), 'Content-Type': contentType, ...extra },
    data,
    maxRedirects: 0,
  })
}

/** Every field of the desk's theme form. */
const themeForm = (fields: Record<string, string>) =>
  new URLSearchParams({
    intent: 'save',
    titleJa: '',
    titleEn: '',
    backgroundJa: '',
    backgroundEn: '',
    expectedOutcomeJa: '',
    expectedOutcomeEn: '',
    departmentKey: '',
    deadline: '',
    ...fields,
  }).toString()

async function themesPage(request: APIRequestContext) {
  return (await request.get(`/${CITY}/desk/themes`)).text()
}

/** A page's HTML without what changes on every request (the CSP nonce). */
async function pageText(request: APIRequestContext, path: string) {
  return (await (await request.get(path)).text()).replace(/nonce="[^"]*"/g, '')
}

test('a POST that is not a form: 415 with a message in ja and en on every action, sign-in included', async ({
  page,
}) => {
  await page.goto('/sign-in')
  for (const contentType of ['', 'text/plain', 'application/json']) {
    const response = await post(page, '/sign-in', '{"email":"a@example.com"}', contentType)
    expect(response.status(), contentType).toBe(415)
    expect(await response.text()).toContain('フォーム以外の形式で送信されたため、受け付けられませんでした')
  }
  const english = await post(page, '/sign-in', 'email=a', 'text/plain', { Cookie: ENGLISH })
  expect(english.status()).toBe(415)
  expect(await english.text()).toContain('This was not sent as a form, so it was not accepted')

  await signIn(page, `desk-staff@${CITY}.example.jp`)
  const title = `形式の確認 ${Date.now()}`
  const json = await post(
    page,
    `/${CITY}/desk/themes`,
    JSON.stringify({ intent: 'save', titleJa: title }),
    'application/json',
  )
  expect(json.status()).toBe(415)
  expect(await themesPage(page.request)).not.toContain(title)
})

test('TRACE and other unused methods: 405 with Allow', async ({ page }) => {
  await page.goto('/sign-in')
  for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH']) {
    const response = await page.request.fetch('/sign-in', { method, headers: origin(page) })
    expect(response.status(), method).toBe(405)
    expect(response.headers()['allow']).toBe('GET, HEAD, POST')
    expect(await response.text()).toContain('この方法では利用できません')
  }
})

test('a NUL in the query or a field: 400 saying so, nothing stored; impossible dates: 400 (a form the schema refuses), nothing stored', async ({
  page,
}) => {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  const search = await page.request.get(`/${CITY}/desk?q=a%00b`)
  expect(search.status()).toBe(400)
  expect(await search.text()).toContain('使えない文字（NUL 文字）')

  const title = `NULの確認 ${Date.now()}`
  const nul = await post(
    page,
    `/${CITY}/desk/themes`,
    themeForm({ titleJa: `${title}\u0000x` }),
    'application/x-www-form-urlencoded',
  )
  expect(nul.status()).toBe(400)
  expect(await themesPage(page.request)).not.toContain(title)

  for (const deadline of ['2026-02-30', '0000-00-00', '9999-99-99', '2026-13-01']) {
    const response = await post(
      page,
      `/${CITY}/desk/themes`,
      themeForm({ titleJa: `${title} ${deadline}`, deadline }),
      'application/x-www-form-urlencoded',
    )
    expect(response.status(), deadline).toBe(400)
  }
  expect(await themesPage(page.request)).not.toContain(title)

  // A case's date: the desk's cases list links each case; its form refuses month 13 without changing it.
  await page.goto(`/${CITY}/desk/cases`)
  const caseLink = page.locator(`a[href^="/${CITY}/desk/cases/"]`).first()
  const casePath = (await caseLink.getAttribute('href'))!
  const before = await pageText(page.request, casePath)
  const impossible = await post(
    page,
    casePath,
    new URLSearchParams({ intent: 'save', titleJa: '日付の確認', startedOn: '2026-13-01' }).toString(),
    'application/x-www-form-urlencoded',
  )
  expect(impossible.status()).toBe(400)
  expect(await pageText(page.request, casePath)).toBe(before)
})

test('bodies past the limits: 413 with a message, before anything is stored', async ({ page }) => {
  await page.goto('/sign-in')
  const huge = await post(
    page,
    '/sign-in',
    `email=${'a'.repeat(2 * 1024 * 1024)}`,
    'application/x-www-form-urlencoded',
  )
  expect(huge.status()).toBe(413)
  expect(await huge.text()).toContain(
    '送信された内容が大きすぎます（添付ファイルを除き 1 MB、添付ファイルを含め 64 MB まで）',
  )
  const fields = Array.from({ length: 640 }, (_, index) => `f${index}=x`).join('&')
  const many = await post(page, '/sign-in', fields, 'application/x-www-form-urlencoded')
  expect(many.status()).toBe(413)
  expect(await many.text()).toContain('送信された項目の数が多すぎます')

  // A form with files: 640 text parts to the proposal form are refused, no proposal is made.
  await signIn(page, 'biz1@example.com')
  const rowsBefore = await pageText(page.request, '/proposals')
  const boundary = 'limitboundary'
  const parts = Array.from(
    { length: 640 },
    (_, index) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="f${index}"\r\n\r\n${'x'.repeat(100)}\r\n`,
  )
  const multipart = Buffer.from(`${parts.join('')}--${boundary}--\r\n`)
  const refused = await post(
    page,
    `/proposals/new?city=${CITY}`,
    multipart,
    `multipart/form-data; boundary=${boundary}`,
  )
  expect(refused.status()).toBe(413)
  expect(await pageText(page.request, '/proposals')).toBe(rowsBefore)
})

test("the proposer's list is paged: a page past the end answers; a bad page number is refused, never a 500", async ({
  page,
}) => {
  await signIn(page, 'biz1@example.com')
  for (const query of ['?page=2', '?page=999999'])
    expect((await page.request.get(`/proposals${query}`)).status(), query).toBe(200)
  // Refused like any malformed query (c3c9dca): 400, the reason said, and the first page shown under it.
  await page.goto('/proposals')
  const firstPage = await page.locator('main tbody tr').allTextContents()
  expect(firstPage.length).toBeGreaterThan(0)
  for (const query of ['?page=abc', '?page=-1']) {
    const answer = await page.goto(`/proposals${query}`)
    expect(answer?.status(), query).toBe(400)
    await expect(page.getByRole('alert')).toBeVisible()
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    expect(await page.locator('main tbody tr').allTextContents(), query).toEqual(firstPage)
  }
})

test("the desk's theme list is paged: 50 a page with a pager; a page past the end shows the last, a bad one the first", async ({
  page,
}) => {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk/themes`)
  for (let n = 1; n <= 51; n++) {
    const saved = await post(
      page,
      `/${CITY}/desk/themes`,
      themeForm({ titleJa: `ページ送りの確認 ${n}` }),
      'application/x-www-form-urlencoded',
    )
    expect(saved.status(), `theme ${n}`).toBeLessThan(400)
  }
  await page.goto(`/${CITY}/desk/themes`)
  const pager = page.getByRole('navigation', { name: 'ページ' })
  await expect(pager).toContainText(/1 \/ \d+ページ/)
  await expect(page.locator('article.card')).toHaveCount(50)
  await expect(page.getByRole('heading', { name: /^ページ送りの確認 51\s/, level: 3 })).toBeVisible()
  await pager.getByRole('link', { name: '次へ' }).click()
  await expect(pager).toContainText(/2 \/ \d+ページ/)
  await expect(page.getByRole('heading', { name: /^ページ送りの確認 1\s/, level: 3 })).toBeVisible()
  await page.goto(`/${CITY}/desk/themes?page=999999`)
  const last = (await pager.textContent())?.match(/(\d+) \/ (\d+)ページ/)
  expect(last?.[1]).toBe(last?.[2])
  await page.goto(`/${CITY}/desk/themes?page=abc`)
  await expect(pager).toContainText(/1 \/ \d+ページ/)
})
