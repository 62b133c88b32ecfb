import { expect, test, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { remixSettled, signIn } from './session'

/**
 * The desk's theme form on the one field kit (issue 19): a theme without its
 * Japanese title is refused in the browser with the action's schema (the
 * summary takes focus, nothing is posted) and, without JavaScript, by the
 * action (400) with every answer given back; no theme is created either way.
 */

const CITY = 'komatsu'
const summaryTitle = '入力内容に誤りがあります。各項目のメッセージをご確認ください。'

async function fillWithoutTitle(page: Page, background: string) {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk/themes`)
  await remixSettled(page)
  const create = page.getByRole('form', { name: 'テーマを作成' })
  await create.getByLabel('題名（英語）').fill('Station square')
  await create.getByLabel('背景（日本語）').fill(background)
  await create.getByRole('checkbox', { name: '観光' }).check()
  return create
}

test('a theme without its Japanese title is refused in the browser: summary focused, nothing posted', async ({
  page,
}) => {
  const background = `E2E 背景 ${Date.now()}`
  const create = await fillWithoutTitle(page, background)
  const posts: string[] = []
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(request.url())
  })
  await create.getByRole('button', { name: 'テーマを作成' }).click()
  const summary = create.locator('.error-summary')
  await expect(summary).toBeFocused()
  await expect(summary.getByRole('heading')).toHaveText(summaryTitle)
  await expect(summary.getByRole('link', { name: '題名（日本語）: 入力してください。' })).toHaveAttribute(
    'href',
    '#new-titleJa',
  )
  const title = create.getByLabel('題名（日本語）')
  await expect(title).toHaveAttribute('aria-invalid', 'true')
  await expect(title).toHaveAttribute('aria-describedby', 'new-titleJa-error')
  await expect(create.locator('#new-titleJa-error')).toHaveText('入力してください。')
  await expect(create.getByLabel('背景（日本語）')).toHaveValue(background)
  expect(posts).toEqual([])
  await expectNoAxeViolations(page)
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
    await create.screenshot({ path: test.info().outputPath(`refused-theme-${width}.png`) })
  }
})

test('without JavaScript the action refuses it (400) and gives every answer back; no theme is created', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto('/')
  const background = `E2E 背景 JSなし ${Date.now()}`
  const create = await fillWithoutTitle(page, background)
  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    create.getByRole('button', { name: 'テーマを作成' }).click(),
  ])
  expect(answer.status()).toBe(400)
  const refused = page.getByRole('form', { name: 'テーマを作成' })
  await expect(refused.locator('.error-summary').getByRole('heading')).toHaveText(summaryTitle)
  await expect(refused.locator('#new-titleJa-error')).toHaveText('入力してください。')
  await expect(refused.getByLabel('題名（英語）')).toHaveValue('Station square')
  await expect(refused.getByLabel('背景（日本語）')).toHaveValue(background)
  await expect(refused.getByRole('checkbox', { name: '観光' })).toBeChecked()
  // Shown once, at the form: no second alert at the top of the page.
  await expect(page.getByRole('alert')).toHaveCount(1)
  await page.goto(`/${CITY}/desk/themes`)
  await expect(page.locator('main')).not.toContainText(background)
  await context.close()
})
