import { mkdirSync } from 'node:fs'
import { expect, test, type Page } from './test'
import { inEnglish, signIn } from './session'
import { expectNoAxeViolations } from './axe'
import { locales, wordsOf } from './locale-words'

/**
 * The proposal form after a refusal (issue 19), with and without JavaScript,
 * in Japanese and English, on a desk and on a phone: the error summary at the
 * top links each error to its field, and everything the proposer entered is
 * still there — without JavaScript the action sends it back and the page
 * shows it again; with JavaScript the browser checks the form with the
 * action's own schema and nothing is sent. Screenshots go to
 * E2E_SHOTS_DIR when it is set.
 */

const [FIRST, SECOND] = ['komatsu', 'aomori']
const tooLong = '長すぎる件名'.repeat(20)
const shots = process.env.E2E_SHOTS_DIR

const words = {
  ja: {
    preview: '確認画面へ',
    summary: '入力内容に誤りがあります',
    title: '「件名」は100文字以内で入力してください。',
  },
  en: { preview: 'Preview', summary: 'Some entries need attention', title: 'must be at most 100 characters' },
} as const

async function refusedForm(page: Page, locale: 'ja' | 'en', width: number, javaScript: boolean) {
  await page.setViewportSize({ width, height: 900 })
  await signIn(page, 'biz1@example.com')
  if (locale === 'en') await inEnglish(page)
  await page.goto(`/proposals/new?city=${FIRST}&city=${SECOND}`)
  await page.locator(`[name="${FIRST}.title"]`).fill(tooLong)
  await page.locator(`[name="${FIRST}.summary"]`).fill('歩道の除雪状況をデータで共有します。')
  const criteria = page.locator(`input[type="checkbox"][name="${FIRST}.criteria"]`)
  for (const box of await criteria.all()) await box.check()
  await page.locator(`[name="${SECOND}.content"]`).fill('除雪車の位置情報を共有します。')
  await page.getByRole('button', { name: words[locale].preview, exact: true }).click()

  const summary = page.locator('.error-summary')
  await expect(summary).toBeVisible()
  await expect(summary.getByRole('heading')).toContainText(words[locale].summary)
  if (javaScript) await expect(summary).toBeFocused()
  await expect(summary.getByRole('link', { name: new RegExp(words[locale].title) })).toHaveAttribute(
    'href',
    `#${FIRST}.title`,
  )
  await expect(page.locator(`[id="${SECOND}.subject"]`)).toHaveAttribute('aria-invalid', 'true')
  // What was entered is still there.
  await expect(page.locator(`[name="${FIRST}.title"]`)).toHaveValue(tooLong)
  await expect(page.locator(`[name="${SECOND}.content"]`)).toHaveValue('除雪車の位置情報を共有します。')
  for (const box of await criteria.all()) await expect(box).toBeChecked()
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
  if (shots) {
    mkdirSync(shots, { recursive: true })
    await summary.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${shots}/${javaScript ? 'js' : 'nojs'}-${locale}-${width}.png` })
  }
}

for (const locale of ['ja', 'en'] as const)
  for (const width of [1280, 390]) {
    test(`without JavaScript: a refused form comes back as sent (${locale}, ${width} px)`, async ({
      browser,
    }) => {
      const context = await browser.newContext({ javaScriptEnabled: false })
      try {
        await refusedForm(await context.newPage(), locale, width, false)
      } finally {
        await context.close()
      }
    })
    test(`with JavaScript: the browser refuses it with the action's schema (${locale}, ${width} px)`, async ({
      page,
    }) => {
      const posts: string[] = []
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().includes('/proposals/new')) posts.push(request.url())
      })
      await refusedForm(page, locale, width, true)
      expect(posts).toEqual([])
    })
  }

test('a city or organisation in the address the proposer cannot choose is refused at its field (400), in Japanese and English', async ({
  page,
}) => {
  await signIn(page, 'biz1@example.com')
  for (const locale of locales) {
    const words = wordsOf(locale, 'proposals').new
    if (locale === 'en') await inEnglish(page)
    const response = await page.goto('/proposals/new?city=nowhere&city=komatsu')
    expect(response?.status()).toBe(400)
    const cities = page.getByRole('group', { name: words.cities })
    await expect(cities).toHaveAttribute('id', 'city')
    await expect(page.locator('#city-error')).toHaveText(wordsOf(locale, 'auth').validation.choose)
    await expect(cities.getByRole('checkbox').first()).toHaveAttribute('aria-invalid', 'true')
    // What was sent is checked again; no city's form is shown until the choice is sent again, which the page says.
    await expect(cities.getByRole('checkbox', { checked: true })).toHaveCount(1)
    await expect(page.getByRole('alert')).toHaveText(words.refusedChoice)
    await expectNoAxeViolations(page)
    await page.getByRole('button', { name: words.showForms }).click()
    await page.waitForURL((url) => url.searchParams.getAll('city').join() === 'komatsu')
    // The chosen city stays ticked (the boxes read what a refusal sent only after a refusal).
    await expect(cities.getByRole('checkbox', { checked: true })).toHaveCount(1)
    await expect(page.getByRole('alert')).toHaveCount(0)
    await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0)
  }
})
