import { expectNoAxeViolations } from './axe'
import { pa11yErrors } from './pa11y'
import { visitorIn } from './public-pages'
import { inEnglish } from './session'
import { locales, wordsOf } from './locale-words'
import { expect, test, type Page } from './test'

/**
 * Issue 22 in the browser: every live city's open themes and published cases
 * on /themes and /cases, filtered, linked to the city's own pages, and
 * accessible (axe) in ja and en at desktop and phone width. pa11y covers the
 * same pages through the public-page crawl (e2e/public-pages.ts).
 */

async function noHorizontalScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true)
}

for (const width of [1280, 390]) {
  test(`/themes, /cases and the platform home pass axe in ja and en at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 })
    for (const path of ['/', '/themes', '/cases']) {
      await page.goto(path)
      await expectNoAxeViolations(page)
      await noHorizontalScroll(page)
    }
    await inEnglish(page)
    for (const path of ['/', '/themes', '/cases']) {
      await page.goto(path)
      await expect(page.locator('html')).toHaveAttribute('lang', 'en')
      await expectNoAxeViolations(page)
      await noHorizontalScroll(page)
    }
    await page.goto('/themes')
    await page.screenshot({ path: `test-results/across-cities-themes-en-${width}.png`, fullPage: true })
  })
}

test('a visitor filters every city’s open themes by field and goes to a theme and to proposing for it', async ({ page }) => {
  await page.goto('/themes')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('全自治体の募集中テーマ')
  const cards = page.getByRole('main').locator('.card-list > li')
  await expect(cards).toHaveCount(2)
  await expect(page.getByText('地域交通の課題')).toHaveCount(0)
  await page.getByLabel('分野').selectOption({ label: '公共施設・遊休資産の活用' })
  await page.getByRole('button', { name: 'この条件で表示' }).click()
  await expect(page).toHaveURL(/field=public_assets/)
  await expect(cards).toHaveCount(1)
  const propose = cards.first().getByRole('link', { name: /このテーマに提案する/ })
  await expect(propose).toHaveAttribute('href', /^\/[a-z-]+\/propose\?theme=[0-9a-f-]{36}$/)
  await cards.first().getByRole('link', { name: '公共施設の利活用アイデア', exact: true }).click()
  await expect(page).toHaveURL(/^http:\/\/[^/]+\/[a-z-]+\/themes\/[0-9a-f-]{36}$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('公共施設の利活用アイデア')
  await page.screenshot({ path: 'test-results/across-cities-theme.png' })
})

test('the cases of every city, with their open data', async ({ page, request }) => {
  await page.goto('/cases')
  await expect(page.getByRole('main').locator('.card-list > li')).toHaveCount(2)
  const csv = await request.get('/cases.csv')
  expect(csv.headers()['content-type']).toMatch(/text\/csv/)
  expect(await csv.text()).toMatch(/\+09:00/)
  const atom = await request.get('/themes.atom')
  expect(atom.headers()['content-type']).toMatch(/application\/atom\+xml/)
  expect((await atom.text()).match(/<entry>/g)).toHaveLength(2)
})

test('a filter /cases and /themes do not offer is refused at its field (400), in Japanese and English, and in the feeds', async ({
  page,
}) => {
  for (const locale of locales) {
    const common = wordsOf(locale, 'common')
    const choose = wordsOf(locale, 'auth').validation.choose
    if (locale === 'en') await inEnglish(page)
    const response = await page.goto('/cases?field=no-such-field&q=%E5%85%AC%E5%85%B1')
    expect(response?.status()).toBe(400)
    const field = page.getByLabel(common.platform.field, { exact: true })
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await expect(field).toHaveAttribute('aria-describedby', 'cases-filter-field-error')
    await expect(page.locator('#cases-filter-field-error')).toHaveText(choose)
    // The words were taken and stay; the list is the one without the refused field, and the page says so.
    await expect(page.getByLabel(common.platform.search, { exact: true })).toHaveValue('公共')
    await expect(page.getByRole('alert')).toHaveText(common.query.refused)
    await expectNoAxeViolations(page)
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 })
      await noHorizontalScroll(page)
      await page.screenshot({ path: test.info().outputPath(`cases-refused-${locale}-${width}.png`), fullPage: true })
    }
    await page.setViewportSize({ width: 1280, height: 900 })
    expect((await page.goto('/themes?sort=oldest'))?.status()).toBe(400)
    await expect(page.getByLabel(common.platform.sort, { exact: true })).toHaveAttribute('aria-invalid', 'true')
    await expectNoAxeViolations(page)
    for (const feed of ['/cases.csv', '/cases.json', '/themes.atom', '/themes.json']) {
      const refused = await page.request.get(`${feed}?field=no-such-field`)
      expect(refused.status(), feed).toBe(400)
      expect(await refused.text()).toBe(`${common.platform.field}: ${choose}\n`)
    }
    // Corrected in the form, the search is taken.
    await page.goto('/cases?field=no-such-field')
    await page.getByLabel(common.platform.field, { exact: true }).selectOption('public_assets')
    await page.getByRole('button', { name: common.platform.apply }).click()
    await page.waitForURL(/field=public_assets/)
    await expect(page.getByRole('alert')).toHaveCount(0)
    await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0)
  }
})

for (const locale of ['ja', 'en'] as const) {
  test(`pa11y (WCAG2AA) finds no error on /themes, /cases and the platform home in ${locale}`, async ({ playwright }) => {
    test.setTimeout(300_000)
    const origin = `http://localhost:${process.env.E2E_PORT ?? 3100}`
    const visitor = await visitorIn(playwright, origin, locale)
    expect(await pa11yErrors(origin, ['/', '/themes', '/themes?field=public_assets', '/cases'], visitor)).toEqual([])
    await visitor.dispose()
  })
}
