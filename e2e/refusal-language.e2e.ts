import { expect, test } from './test'
import { inEnglish, signIn, submitForm } from './session'

/**
 * A workflow step refused for a missing reason, or an empty message, says so
 * in the user's language beside the field, never in the engine's English words, and the
 * proposal stays where it was.
 */

const CITY = 'aomori'

test('a step without its reason is refused with a message in Japanese, then in English', async ({ page }) => {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk?state=intake`)
  await page.locator('table a[href*="/desk/proposals/"]').first().click()
  await page.waitForURL('**/desk/proposals/*')

  for (const [english, message, empty] of [
    [false, '理由を入力してください。', '本文を入力してください（5000文字以内）。'],
    [true, 'Please give the reason.', 'Please write a message (at most 5,000 characters).'],
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
    // An empty message in the thread (refused in the browser with the action's schema): what is missing,
    // not only how long it may be.
    await page.locator('form[aria-labelledby="reply-heading"] button[type="submit"]').click()
    await expect(page.locator('#message-body-error')).toHaveText(empty)
    await page.reload()
    expect(await page.locator('.facts').innerText()).toBe(facts)
  }
})
