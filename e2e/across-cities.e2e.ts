import { expectNoAxeViolations } from './axe'
import { pa11yErrors } from './pa11y'
import { visitorIn } from './public-pages'
import { inEnglish } from './session'
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

for (const locale of ['ja', 'en'] as const) {
  test(`pa11y (WCAG2AA) finds no error on /themes, /cases and the platform home in ${locale}`, async ({ playwright }) => {
    test.setTimeout(300_000)
    const origin = `http://localhost:${process.env.E2E_PORT ?? 3100}`
    const visitor = await visitorIn(playwright, origin, locale)
    expect(await pa11yErrors(origin, ['/', '/themes', '/themes?field=public_assets', '/cases'], visitor)).toEqual([])
    await visitor.dispose()
  })
}
