import type { Page } from '@playwright/test'

/** Sign-in and language for browser tests (demo accounts share one password). */
export const DEMO_PASSWORD = 'demo-pass-2026'

export async function signIn(page: Page, email: string) {
  await page.context().clearCookies()
  await page.goto('/sign-in')
  await page.getByLabel('メールアドレス').fill(email)
  await page.getByLabel('パスワード').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'ログイン', exact: true }).click()
  await page.waitForURL('**/account')
}

export async function inEnglish(page: Page) {
  const origin = new URL(page.url()).origin
  await page.request.post('/locale', { form: { locale: 'en', redirectTo: '/' }, headers: { Origin: origin } })
}

/** Clicks a form's button and waits for the action's answer and what the page loads after it. */
export async function submitForm(page: Page, button: string | RegExp) {
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ])
  await page.waitForLoadState('networkidle')
}
