import { expect, test } from '@playwright/test'
import { inEnglish, signIn, submitForm } from './session'

/**
 * A workflow step refused for a missing reason says so in the user's
 * language beside the field, never in the engine's English words, and the
 * proposal stays where it was.
 */

const CITY = 'aomori'

test('a step without its reason is refused with a message in Japanese, then in English', async ({ page }) => {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk?state=intake`)
  await page.locator('table a[href*="/desk/proposals/"]').first().click()
  await page.waitForURL('**/desk/proposals/*')

  for (const [english, message] of [
    [false, '理由を入力してください。'],
    [true, 'Please give the reason.'],
  ] as const) {
    if (english) {
      await inEnglish(page)
      await page.reload()
    }
    const facts = await page.locator('.facts').innerText()
    const step = page.locator('.transition-forms form:has(textarea[name="reason"])').first()
    await step.locator('textarea[name="reason"]').fill('')
    const button = (await step.getByRole('button').innerText()).trim()
    await submitForm(page, button)
    await expect(page.getByRole('alert')).toBeVisible()
    await expect(page.locator('.transition-forms .field__error').first()).toHaveText(message)
    await expect(page.locator('main')).not.toContainText('is required')
    await page.reload()
    expect(await page.locator('.facts').innerText()).toBe(facts)
  }
})
