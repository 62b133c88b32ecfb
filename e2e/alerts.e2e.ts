import { expectNoAxeViolations } from './axe'
import { pa11yErrors } from './pa11y'
import { visitorIn } from './public-pages'
import { inEnglish, signIn, submitForm } from './session'
import { expect, test, type Page } from './test'

/**
 * Issue 22's alerts in the browser: a business subscribes to 防災 themes from
 * /themes (signing in on the way); a desk opens a 防災 theme; the mail (read
 * from the outbox page) links to the theme, from which the business goes on to
 * propose; the mail's unsubscribe address stops the alert without signing in
 * (RFC 8058 one-click POST, no session, no Origin). The alert pages and the
 * unsubscribe page pass axe and pa11y (WCAG2AA) in ja and en. Screenshots of the alert
 * pages at 1280 and 390 px go to E2E_SCREENSHOTS when set.
 */

const CITY = 'komatsu'
const SHOTS = process.env.E2E_SCREENSHOTS

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
}

function origin(page: Page) {
  return new URL(page.url()).origin
}

async function inJapanese(page: Page) {
  await page.request.post('/locale', {
    form: { locale: 'ja', redirectTo: '/' },
    headers: { Origin: origin(page) },
  })
}

async function mailTo(page: Page, to: string, text: string) {
  const mail = page.locator('article.mail').filter({ hasText: to }).filter({ hasText: text })
  await expect(async () => {
    await page.goto('/dev/mail')
    expect(await mail.count()).toBeGreaterThanOrEqual(1)
  }).toPass({ timeout: 20_000, intervals: [250, 500, 1_000] })
  return (await mail.first().locator('.mail__body').textContent()) ?? ''
}

test('a business subscribes to 防災 themes, is mailed when a desk opens one, follows the mail to propose, and unsubscribes in one click', async ({
  page,
  playwright,
}) => {
  test.setTimeout(180_000)
  const title = `E2E 防災テーマ ${Date.now()}`

  await test.step('the subscribe control on /themes leads through sign-in to saving the alert', async () => {
    // A field and the search box's words (typed with a full-width space): the alert keeps both.
    await page.goto(`/themes?field=disaster_prevention&q=${encodeURIComponent('避難所　運営')}`)
    await page.getByRole('link', { name: 'この条件で通知を受け取る' }).click()
    await page.waitForURL('**/sign-in?*')
    await page.getByLabel('メールアドレス').fill('biz1@example.com')
    await page.getByLabel('パスワード').fill('demo-pass-2026')
    await page.getByRole('button', { name: 'ログイン', exact: true }).click()
    await page.waitForURL('**/account/alerts/new?*')
    await expect(page.getByRole('definition').first()).toHaveText('防災・減災')
    await expect(page.getByRole('definition').nth(1)).toHaveText('「避難所」、「運営」（すべてを含む）')
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 })
      await expectNoAxeViolations(page)
      await shot(page, `alerts-new-${width}`)
    }
    await page.getByLabel('通知の頻度').selectOption('immediate')
    await submitForm(page, 'この条件で通知を登録する')
    await page.waitForURL('**/account/alerts?done=saved')
    await expect(page.getByRole('status')).toHaveText('通知の条件を保存しました。')
    await expect(
      page.getByText('分野: 防災・減災 / キーワード: 「避難所」、「運営」（すべてを含む）'),
    ).toBeVisible()
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 })
      await expectNoAxeViolations(page)
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(
        true,
      )
      await shot(page, `alerts-settings-${width}`)
    }
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  await test.step('the alert pages pass axe and pa11y in ja and en', async () => {
    const paths = [
      `/account/alerts/new?field=disaster_prevention&q=${encodeURIComponent('避難所')}`,
      '/account/alerts',
    ]
    expect(await pa11yErrors(origin(page), paths, page.context(), { noRedirect: true })).toEqual([])
    await inEnglish(page)
    await page.goto(paths[0]!)
    await expect(page.getByRole('definition').first()).toHaveText('Disaster prevention and resilience')
    await expect(page.getByRole('definition').nth(1)).toHaveText('“避難所”')
    await shot(page, 'alerts-new-en-1280')
    await page.setViewportSize({ width: 390, height: 900 })
    await shot(page, 'alerts-new-en-390')
    await page.setViewportSize({ width: 1280, height: 900 })
    await expectNoAxeViolations(page)
    await page.goto(paths[1]!)
    await expect(
      page.getByText('Field: Disaster prevention and resilience / Keywords: “避難所”, “運営” (all of them)'),
    ).toBeVisible()
    await shot(page, 'alerts-settings-en-1280')
    await page.setViewportSize({ width: 390, height: 900 })
    await shot(page, 'alerts-settings-en-390')
    await page.setViewportSize({ width: 1280, height: 900 })
    await expectNoAxeViolations(page)
    expect(await pa11yErrors(origin(page), paths, page.context(), { noRedirect: true })).toEqual([])
    await inJapanese(page)
  })

  await test.step('a desk opens a 防災 theme', async () => {
    await signIn(page, `desk-staff@${CITY}.example.jp`)
    await page.goto(`/${CITY}/desk/themes`)
    const create = page.getByRole('form', { name: 'テーマを作成' })
    await create.getByLabel('題名（日本語）').fill(title)
    await create.getByLabel('背景（日本語）').fill('避難所の運営を支える仕組みづくり')
    await create.getByRole('checkbox', { name: '防災', exact: true }).check()
    await submitForm(page, 'テーマを作成')
    await submitForm(page, `「${title}」を公開する`)
    await expect(page.getByRole('heading', { name: title })).toContainText('募集中')
  })

  let unsubscribe = ''
  await test.step('the business’s mail names the theme and links to it; it proposes from there', async () => {
    const body = await mailTo(page, 'biz1@example.com', title)
    expect(body).toContain('分野: 防災・減災')
    expect(body).toContain('キーワード: 「避難所」、「運営」（すべてを含む）')
    const link = new RegExp(`https?://[^\\s]+/${CITY}/themes/[0-9a-f-]{36}`).exec(body)?.[0]
    unsubscribe = /https?:\/\/[^\s]+\/alerts\/unsubscribe\/[0-9a-f]{64}/.exec(body)?.[0] ?? ''
    expect(link).toBeTruthy()
    expect(unsubscribe).toBeTruthy()
    await signIn(page, 'biz1@example.com')
    await page.goto(new URL(link!).pathname)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
    await page.getByRole('link', { name: 'このテーマに提案する' }).click()
    await page.waitForURL('**/proposals/new?*')
    await expect(page.locator(`[name="${CITY}.themeId"] option:checked`)).toHaveText(title)
    await page.locator(`[name="${CITY}.title"]`).fill(`${title} への提案`)
    await page.locator(`[name="${CITY}.summary"]`).fill('避難所の運営を支援します。')
    for (const box of await page
      .locator(`input[type="checkbox"][name$=".criteria"], input[type="checkbox"][name$=".notes"]`)
      .all())
      await box.check()
    await page.getByRole('button', { name: '確認画面へ' }).click()
    await page.getByRole('button', { name: '1市に提案する' }).click()
    await page.waitForURL('**/proposals?submitted=*')
    await expect(page.getByText(`${title} への提案`).first()).toBeVisible()
  })

  await test.step('the unsubscribe address works without signing in: the page, and a mail client’s one-click POST', async () => {
    const path = new URL(unsubscribe).pathname
    const anonymous = await (await page.context().browser()!.newContext()).newPage()
    await anonymous.goto(path)
    await expect(anonymous.getByRole('heading', { level: 1 })).toHaveText('通知の配信停止')
    await expectNoAxeViolations(anonymous)
    await shot(anonymous, 'alerts-unsubscribe-1280')
    await inEnglish(anonymous)
    await anonymous.goto(path)
    await expect(anonymous.getByRole('heading', { level: 1 })).toHaveText('Stop alerts')
    await expectNoAxeViolations(anonymous)
    for (const locale of ['ja', 'en'] as const) {
      const visitor = await visitorIn(playwright, origin(page), locale)
      expect(await pa11yErrors(origin(page), [path], visitor, { noRedirect: true })).toEqual([])
      await visitor.dispose()
    }
    await inJapanese(anonymous)
    const client = await playwright.request.newContext({ baseURL: new URL(page.url()).origin })
    const answer = await client.post(path, { form: { 'List-Unsubscribe': 'One-Click' } })
    expect(answer.status()).toBe(200)
    await client.dispose()
    await anonymous.reload()
    await expect(
      anonymous.getByText('この通知はすでに停止されているか、リンクが正しくありません。'),
    ).toBeVisible()
    await page.goto('/account/alerts')
    await expect(page.getByText('保存した検索条件はまだありません。')).toBeVisible()
  })
})
