import { inEnglish, signIn } from './session'
import { expect, test, type Page } from './test'

/**
 * Error pages have a title that says what failed and where, in the reader's language (WCAG 2.4.2): a
 * proposer or another city's staff opening a city's desk (403), an unknown address on the platform and
 * below a city (404). The fixture in ./test.ts checks every page of every spec for an empty title; this
 * spec checks the words.
 */

async function expectErrorPage(page: Page, path: string, status: number, title: RegExp) {
  const response = await page.goto(path)
  expect(response?.status()).toBe(status)
  await expect(page).toHaveTitle(title)
  // The title starts with the page's heading.
  const heading = await page.getByRole('heading', { level: 1 }).innerText()
  expect(await page.title()).toMatch(new RegExp(`^${heading} \\| \\S`))
}

test('a proposer opening a desk, and another city’s staff, get a 403 page with a title in their language', async ({
  page,
}) => {
  await signIn(page, 'biz1@example.com')
  await expectErrorPage(page, '/komatsu/desk', 403, /^このページを表示する権限がありません \| \S/)
  await inEnglish(page)
  await expectErrorPage(page, '/komatsu/desk', 403, /^You may not view this page \| \S/)

  // Signing in starts from clean cookies: Japanese again.
  await signIn(page, 'desk-staff@aomori.example.jp')
  await expectErrorPage(page, '/komatsu/desk', 403, /^このページを表示する権限がありません \| \S/)
})

test('an unknown address has a 404 title naming the platform, or the city’s desk below a city', async ({
  page,
}) => {
  await page.goto('/')
  const platform = await page.title()
  await expectErrorPage(page, '/no-such-page', 404, new RegExp(`^ページが見つかりません \\| ${platform}$`))
  await expectErrorPage(page, '/komatsu/no-such-page', 404, /^ページが見つかりません \| \S/)
  expect(await page.title()).not.toContain(platform)
  await expectErrorPage(
    page,
    '/no-such-city/themes',
    404,
    new RegExp(`^ページが見つかりません \\| ${platform}$`),
  )
})

test('a language switch post of a language not offered is the 400 page in the reader’s language, without JavaScript too', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto('/themes')
  await inEnglish(page)
  await page.reload()
  // A forged or out-of-date page: the switch's button offers a language the platform does not have.
  const button = page.locator('.language-switch button[name="locale"]')
  await button.evaluate((element) => element.setAttribute('value', 'xx'))
  const [response] = await Promise.all([
    page.waitForResponse((answer) => answer.request().method() === 'POST'),
    button.click(),
  ])
  expect(response.status()).toBe(400)
  await page.waitForLoadState()
  await expect(page).toHaveTitle(/^The request is not valid \| \S/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The request is not valid')
  await expect(page.locator('body')).not.toContainText('Unsupported language')
  // Still in English: a refused post remembers nothing.
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await context.close()
})

test('a failure before Remix (a malformed address) is the app’s error page: its stylesheets, applied, and its header and footer', async ({
  page,
}) => {
  // Remix's own error page for an unknown address: the root route's stylesheets first, then its layout's.
  await page.goto('/no-such-page')
  const stylesheetsOf = () =>
    page
      .locator('link[rel="stylesheet"]')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')))
  const appStylesheets = await stylesheetsOf()
  // The header's link home and the footer, as the app's layout (app/root.tsx) writes them.
  const brand = page
    .getByRole('banner')
    .getByRole('link', { name: await page.locator('.site-header__brand').innerText() })
  const footer = await page.getByRole('contentinfo').innerText()
  await expectErrorPage(page, '/%E0%A4%A', 400, /^リクエストが正しくありません \| \S/)
  // The root route's, in the same order; no layout is known before Remix.
  const errorStylesheets = await stylesheetsOf()
  expect(errorStylesheets.length).toBeGreaterThan(0)
  expect(errorStylesheets).toEqual(appStylesheets.slice(0, errorStylesheets.length))
  await expect(brand).toHaveAttribute('href', '/')
  await expect(brand).toHaveClass('site-header__brand')
  await expect(page.getByRole('contentinfo')).toHaveText(footer)
  // The stylesheets apply: the panel has the error boundary's border, not the browser's none.
  await expect(page.locator('.error-panel')).not.toHaveCSS('border-top-style', 'none')
})
