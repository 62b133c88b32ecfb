import { expectNoAxeViolations } from './axe'
import { inEnglish, signIn } from './session'
import { expect, test } from './test'

/**
 * Issue 16, item 11: on a 390 px phone the signed-in header is compact — the brand and the language switch on
 * one line, the account links and sign-out on the next — instead of four stacked rows (234 px high).
 */
test.use({ viewport: { width: 390, height: 844 } })

for (const locale of ['ja', 'en'] as const) {
  test(`the signed-in header takes two lines at 390 px (${locale})`, async ({ page }) => {
    await signIn(page, 'desk-staff@komatsu.example.jp')
    if (locale === 'en') await inEnglish(page)
    await page.goto('/komatsu')
    const header = page.locator('.site-header')
    const nav = header.getByRole('navigation')
    await expect(nav.getByRole('button', { name: locale === 'ja' ? 'ログアウト' : 'Sign out' })).toBeVisible()
    const { height } = (await header.boundingBox())!
    expect(height).toBeLessThanOrEqual(130)
    // Every control stays on screen and reachable; nothing widens the page.
    for (const control of await header.locator('a, button').all()) {
      const box = (await control.boundingBox())!
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(390)
    }
    for (const button of await header.getByRole('button').all())
      expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await expectNoAxeViolations(page)
  })
}
