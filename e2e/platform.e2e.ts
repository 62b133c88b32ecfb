import { readFile } from 'node:fs/promises'
import { expect, test, type ConsoleMessage, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { inEnglish } from './session'

test('the platform home lists every city and passes axe in both languages', async ({ page }) => {
  await page.goto('/')
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('公民連携デスク・プラットフォーム')
  const cityLinks = page.getByRole('region', { name: '参加している自治体' }).getByRole('listitem').getByRole('link')
  await expect(cityLinks).toHaveCount(2)
  await expectNoAxeViolations(page)

  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Public-Private Partnership Desk Platform')
  await expectNoAxeViolations(page)

  // The choice is remembered.
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
})

test('the skip link moves focus to the main content', async ({ page }) => {
  await page.goto('/')
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: '本文へ移動' })
  await expect(skip).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('#main')).toBeFocused()
})

test('health endpoints answer', async ({ request }) => {
  expect((await request.get('/healthz')).status()).toBe(200)
  const ready = await request.get('/readyz')
  expect(ready.status()).toBe(200)
  expect(await ready.json()).toEqual({
    status: 'ready',
    checks: { database: true, tenants: true, migrations: true },
  })
})

test('an unknown page is a 404 with a message in the visitor language', async ({ page }) => {
  const response = await page.goto('/no-such-city-here/nothing')
  expect(response?.status()).toBe(404)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ページが見つかりません')
  // In English the page is English throughout, its lang attribute included (no route's data says so).
  await inEnglish(page)
  await page.goto('/no-such-city-here/nothing')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
})

test('a city keeps its accent colour when reached by a link inside the site (client-side navigation)', async ({
  page,
}) => {
  const accentOf = async (slug: string) => {
    const source = await readFile(`tenants/${slug}.yaml`, 'utf8')
    return /accentColor: "(#[0-9A-Fa-f]{6})"/.exec(source)![1]!.toLowerCase()
  }
  for (const slug of ['komatsu', 'aomori']) {
    await page.goto('/')
    await page.locator(`a[href="/${slug}"]`).first().click()
    await expect(page).toHaveURL(new RegExp(`/${slug}$`))
    await expect
      .poll(() =>
        page.evaluate(() =>
          getComputedStyle(document.documentElement).getPropertyValue('--accent-brand').trim().toLowerCase(),
        ),
      )
      .toBe(await accentOf(slug))
  }
})

/** The browser's console errors and uncaught errors while `visit` runs, but the document's own 404 status. */
async function consoleErrorsDuring(page: Page, visit: () => Promise<void>): Promise<string[]> {
  const errors: string[] = []
  const onConsole = (message: ConsoleMessage) => {
    const documentStatus =
      message.text().startsWith('Failed to load resource') && message.location().url === page.url()
    if (message.type() === 'error' && !documentStatus)
      errors.push(`${message.text()} (${message.location().url})`)
  }
  const onError = (error: Error) => errors.push(error.message)
  page.on('console', onConsole)
  page.on('pageerror', onError)
  await visit()
  // Hydration and route discovery finish after the load event.
  await page.waitForLoadState('networkidle')
  page.off('console', onConsole)
  page.off('pageerror', onError)
  return errors
}

test('an unknown address under a city is a 404 inside the city layout, hydrated without errors; the favicon loads', async ({
  page,
}) => {
  for (const [heading, english] of [
    ['ページが見つかりません', false],
    ['Page not found', true],
  ] as const) {
    if (english) await inEnglish(page)
    const errors = await consoleErrorsDuring(page, async () => {
      expect((await page.goto('/aomori/nope'))?.status()).toBe(404)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading)
    })
    expect(errors).toEqual([])
    // The city's own header and navigation stay, so the visitor can go on from there.
    await expect(page.locator('.portal-header')).toBeVisible()
    expect(await consoleErrorsDuring(page, async () => void (await page.goto('/aomori/a/b/c')))).toEqual([])
    expect(await consoleErrorsDuring(page, async () => void (await page.goto('/')))).toEqual([])
  }
  const icon = await page.request.get((await page.locator('link[rel="icon"]').getAttribute('href')) ?? '')
  expect(icon.status()).toBe(200)
  expect(icon.headers()['content-type']).toContain('image/svg+xml')
})
