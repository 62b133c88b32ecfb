import { expect, test, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { inEnglish, remixSettled, signIn } from './session'

/**
 * Issue 16 (items 2, 3, 5, 9, 11), what a business reads at each step: from a
 * city portal's "propose" button, anonymous, through sign-up and back to the
 * form with the city chosen; a second city added; an empty submission lands on
 * the focused error summary whose links lead to the fields; the confirmation
 * shows labels, amounts and dates, not codes; after submitting, the proposer's
 * own page shows every answer and file, in Japanese and in English; the desk
 * reads the same values; the list reads on a phone.
 */

const [FIRST, SECOND] = ['komatsu', 'aomori']
const stamp = Date.now()
const email = `journey-${stamp}@example.com`
const title = `除雪のデータ連携 ${stamp}`
const pdf = {
  name: 'plan.pdf',
  mimeType: 'application/pdf',
  buffer: Buffer.from('%PDF-1.7\n' + 'x'.repeat(3000)),
}

async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    await page.evaluate(() => window.innerWidth),
  )
}

test('a business proposes to two cities from a portal call to action and reads back what it sent', async ({
  page,
}) => {
  // The city's portal offers the way in, on its home and its how-to-propose page.
  await page.goto(`/${SECOND}/how-to-propose`)
  await expect(page.getByRole('link', { name: '青森市に提案する' }).first()).toBeVisible()
  await page.goto(`/${FIRST}`)
  const cta = page.getByRole('link', { name: '小松市に提案する' }).first()
  await expect(cta).toBeVisible()
  await cta.click()

  // Anonymous: to sign-in, told they will come back; on to sign-up, still coming back.
  await page.waitForURL('**/sign-in?redirectTo=*')
  await expect(page.getByText('開こうとしていたページ（提案の入力画面など）に戻ります')).toBeVisible()
  await page.getByRole('link', { name: 'アカウントをお持ちでない方は登録へ' }).click()
  await page.waitForURL('**/sign-up?redirectTo=*')
  await expect(page.getByText('開こうとしていたページ（提案の入力画面など）に戻ります')).toBeVisible()
  await page.getByLabel('氏名').fill('雪野 太郎')
  await page.getByLabel('メールアドレス').fill(email)
  await page.locator('#password').fill('journey passphrase 2026')
  await page.locator('#kind').selectOption('corporation')
  await page.locator('#organisationName').fill(`株式会社ゆきみち ${stamp}`)
  await page.getByRole('button', { name: '登録する' }).click()
  // Registered: signing in goes on to the form.
  await page.waitForURL('**/sign-in?signedUp=1&redirectTo=*')
  await expect(page.getByText('開こうとしていたページ（提案の入力画面など）に戻ります')).toBeVisible()
  await page.getByLabel('メールアドレス').fill(email)
  await page.locator('#password').fill('journey passphrase 2026')
  await page.getByRole('button', { name: 'ログイン', exact: true }).click()

  // Back at the form, the city chosen.
  await page.waitForURL(`**/proposals/new?city=${FIRST}`)
  await expect(page.getByRole('checkbox', { name: '小松市', exact: true })).toBeChecked()
  await expect(page.getByRole('heading', { name: '小松市への提案' })).toBeVisible()
  // A second city.
  await page.getByRole('checkbox', { name: '青森市', exact: true }).check()
  await page.getByRole('button', { name: '入力欄を表示' }).click()
  await expect(page.getByRole('heading', { name: '青森市への提案' })).toBeVisible()
  // Required fields are marked.
  await expect(page.locator(`label[for="${FIRST}.title"]`)).toContainText('必須')
  await expect(page.locator(`label[for="${SECOND}.subject"]`)).toContainText('必須')

  // Nothing filled in: focus moves to the summary at the top; each error links to its field.
  await page.getByRole('button', { name: '確認画面へ' }).click()
  const summary = page.locator('.error-summary')
  await expect(summary).toBeFocused()
  await expect(summary.getByRole('heading')).toHaveText(
    '入力内容に誤りがあります。各項目のメッセージを確認してください。',
  )
  const toTitle = summary.getByRole('link', { name: '小松市 — 「件名」を入力してください。' })
  await expect(toTitle).toHaveAttribute('href', `#${FIRST}.title`)
  await expect(summary.getByRole('link', { name: '青森市 — 「件名」を入力してください。' })).toHaveAttribute(
    'href',
    `#${SECOND}.subject`,
  )
  // The page shows the summary, not the bottom of the form where the button was.
  await expect(summary).toBeInViewport()
  await toTitle.click()
  await expect(page.locator(`[id="${FIRST}.title"]`)).toBeFocused()
  await expectNoAxeViolations(page)

  // Filled in: both cities, lists, an amount, a date, a file; a free proposal to the first city.
  await page.getByRole('radio', { name: 'フリー型' }).check()
  await page.locator(`[name="${FIRST}.title"]`).fill(title)
  await page.locator(`[name="${FIRST}.summary"]`).fill('歩道の除雪状況をデータで共有します。')
  const fieldsOf = (slug: string) =>
    page.getByRole('group', { name: '分野' }).filter({ has: page.locator(`[name="${slug}.fields"]`) })
  await fieldsOf(FIRST).getByRole('checkbox', { name: '防災' }).check()
  await fieldsOf(FIRST).getByRole('checkbox', { name: 'DX・デジタル化' }).check()
  await page.locator(`[name="${FIRST}.desired_start"]`).fill('2026-12-06')
  await page.locator(`[name="${FIRST}.estimated_cost"]`).fill('3000000')
  await page.locator(`[name="${FIRST}.documents"]`).setInputFiles(pdf)
  await page.locator(`[name="${SECOND}.subject"]`).fill(title)
  await page.locator(`[name="${SECOND}.content"]`).fill('除雪車の位置情報を市と共有します。')
  await fieldsOf(SECOND).getByRole('checkbox', { name: '雪対策' }).check()
  await fieldsOf(SECOND).getByRole('checkbox', { name: 'DX・デジタル', exact: true }).check()
  await page.locator(`[name="${SECOND}.estimated_cost"]`).fill('3000000')
  for (const box of await page
    .locator(`input[type="checkbox"][name$=".criteria"], input[type="checkbox"][name$=".notes"]`)
    .all())
    await box.check()

  // The confirmation reads as values: labels, 3,000,000円, 2026年12月6日.
  await page.getByRole('button', { name: '確認画面へ' }).click()
  const preview = page.getByRole('region', { name: '入力内容の確認' })
  await expect(preview).toContainText('フリー型')
  await expect(preview).toContainText('自由提案')
  await expect(preview).toContainText('防災、DX・デジタル化')
  await expect(preview).toContainText('雪対策、DX・デジタル')
  await expect(preview).toContainText('3,000,000円')
  await expect(preview).toContainText('2026年12月6日')
  await expect(preview).toContainText('plan.pdf')
  await expect(preview).not.toContainText('disaster_prevention')
  await expect(preview).not.toContainText('snow')
  await expect(preview).not.toContainText('3000000')
  await expect(preview).not.toContainText('2026-12-06')
  // The file input is empty again after the preview: choose it once more to send it.
  await page.locator(`[name="${FIRST}.documents"]`).setInputFiles(pdf)
  await page.getByRole('button', { name: '2市に提案する' }).click()
  await page.waitForURL('**/proposals?submitted=*')
  await expect(page.getByRole('status')).toContainText('受付番号')
  const rows = page.getByRole('row').filter({ hasText: title })
  await expect(rows).toHaveCount(2)
  // The next stage is the way forward, never a refusal.
  await expect(rows.first()).not.toContainText('受付不可')
  await expect(rows.first()).not.toContainText('不可の場合')
  await expectNoAxeViolations(page)

  // The proposer's own page: everything sent to this city.
  await rows.filter({ hasText: '小松市' }).getByRole('link', { name: title }).click()
  await page.waitForURL(`**/proposals/${FIRST}/*`)
  const proposerUrl = page.url()
  const sent = page.getByRole('region', { name: '提出した内容' })
  await expect(sent).toContainText('提案の種類')
  await expect(sent).toContainText('フリー型')
  await expect(sent).toContainText('支援の区分')
  await expect(sent).toContainText(title)
  await expect(sent).toContainText('歩道の除雪状況をデータで共有します。')
  await expect(sent).toContainText('防災、DX・デジタル化')
  await expect(sent).toContainText('2026年12月6日')
  await expect(sent).toContainText('3,000,000円')
  await expect(sent).toContainText(/plan\.pdf \(\d+ KB\)/)
  await expect(
    page.getByRole('region', { name: '提出した資料' }).getByRole('link', { name: 'plan.pdf' }),
  ).toBeVisible()
  // Komatsu's guideline gives no number of days (platformDefaults): the date is the portal's estimate, never the city's.
  await expect(page.getByText('回答目安日（ポータルの設定）', { exact: true })).toBeVisible()
  await expect(page.getByText('回答目安日', { exact: true })).toHaveCount(0)
  await expect(page.getByText(/ポータルが設定した目安で、市の約束ではありません/)).toBeVisible()
  await expectNoAxeViolations(page)

  // In English: the same values, the English way.
  await inEnglish(page)
  await page.goto(proposerUrl)
  const sentEn = page.getByRole('region', { name: 'What you sent' })
  await expect(sentEn).toContainText('Free proposal')
  await expect(sentEn).toContainText('Disaster prevention and DX and digitalisation')
  await expect(sentEn).toContainText('6 December 2026')
  await expect(sentEn).toContainText('3,000,000 yen')
  await expect(page.getByText("Answer expected by (portal's estimate)", { exact: true })).toBeVisible()
  await expect(page.getByText(/not a promise from the city/)).toBeVisible()
  await expectNoAxeViolations(page)

  // The desk reads the same values, not codes.
  await signIn(page, `desk-staff@${FIRST}.example.jp`)
  await page.goto(`/${FIRST}/desk?q=${encodeURIComponent(title)}`)
  await page.getByRole('link', { name: title }).click()
  const answers = page.getByRole('region', { name: '提案の内容' })
  await expect(answers).toContainText('防災、DX・デジタル化')
  await expect(answers).toContainText('3,000,000円')
  await expect(answers).toContainText('2026年12月6日')
  await expect(answers).not.toContainText('disaster_prevention')
  await remixSettled(page)
})

test('on a phone the proposer’s list keeps readable columns and the page does not scroll sideways', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 })
  for (const english of [false, true]) {
    await signIn(page, 'biz1@example.com')
    if (english) await inEnglish(page)
    await page.goto('/proposals')
    await noSidewaysScroll(page)
    const titleCell = page.locator('tbody tr').first().locator('td').nth(1)
    const stageCell = page.locator('tbody tr').first().locator('td').nth(2)
    // A readable column: several characters a line, not one.
    expect((await titleCell.boundingBox())!.width).toBeGreaterThan(120)
    expect((await stageCell.boundingBox())!.width).toBeGreaterThan(80)
    await page.goto('/account')
    await noSidewaysScroll(page)
  }
})
