import type { Locator, Page } from '@playwright/test'

/** Sign-in, language and form submission for browser tests (demo accounts share one password). */
export const DEMO_PASSWORD = 'demo-pass-2026'

/**
 * Waits until the Remix router has nothing in flight: no navigation or
 * submission, no revalidation of loaders, no fetcher. `waitForLoadState
 * ('networkidle')` cannot tell: it is reached once per document and returns at
 * once after a client-side submission, while its loaders are still running.
 */
export async function remixSettled(page: Page) {
  await page.waitForFunction(() => {
    type RouterState = {
      navigation: { state: string }
      revalidation: string
      fetchers: Map<string, { state: string }>
    }
    const router = (window as unknown as { __remixRouter?: { state: RouterState } }).__remixRouter
    if (!router) return true
    const { navigation, revalidation, fetchers } = router.state
    return (
      navigation.state === 'idle' &&
      revalidation === 'idle' &&
      [...fetchers.values()].every((fetcher) => fetcher.state === 'idle')
    )
  })
}

/**
 * Signs in as `email` (a demo account unless `password` is given) in a clean browser state. The page is first left for
 * about:blank, which cuts off its own requests: a loader answering after the
 * cookies are cleared would otherwise put the previous user's refreshed session
 * cookie back, and the sign-in page would send that user on to their account.
 */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  if (page.url().startsWith('http')) await remixSettled(page)
  await page.goto('about:blank')
  await page.context().clearCookies()
  await page.goto('/sign-in')
  await page.getByLabel('メールアドレス').fill(email)
  await page.getByLabel('パスワード').fill(password)
  await page.getByRole('button', { name: 'ログイン', exact: true }).click()
  await page.waitForURL('**/account')
}

export async function inEnglish(page: Page) {
  const origin = new URL(page.url()).origin
  await page.request.post('/locale', { form: { locale: 'en', redirectTo: '/' }, headers: { Origin: origin } })
}

/**
 * Clicks a form's button (in `scope`, the whole page by default) and waits
 * for the action's answer and for every loader the router runs after it.
 * A string names the button exactly; a pattern matches part of its name.
 */
export async function submitForm(page: Page, button: string | RegExp, scope: Locator | Page = page) {
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    scope.getByRole('button', { name: button, exact: typeof button === 'string' }).click(),
  ])
  await remixSettled(page)
}

/**
 * Signed in as `proposer`, proposes to one city with a title and summary and
 * every criterion and note confirmed; waits for the list that confirms it.
 */
export async function proposeToOneCity(
  page: Page,
  { proposer, city, title, summary }: { proposer: string; city: string; title: string; summary: string },
) {
  await signIn(page, proposer)
  await page.goto(`/proposals/new?city=${city}`)
  await page.locator(`[name="${city}.title"]`).fill(title)
  await page.locator(`[name="${city}.summary"]`).fill(summary)
  for (const box of await page
    .locator('input[type="checkbox"][name$=".criteria"], input[type="checkbox"][name$=".notes"]')
    .all())
    await box.check()
  await page.getByRole('button', { name: '1市に提案する' }).click()
  await page.waitForURL('**/proposals?submitted=*')
}
