import { expect, test, type Page } from '@playwright/test'
import { expectNoAxeViolations } from './axe'
import { inEnglish, signIn, submitForm } from './session'

/**
 * Issue 16, the desk clerk's and the department's day: the desk is a
 * workspace of its own (its menu with what waits, no portal navigation or
 * footer), the inbox finds a proposal by reference code, by the proposing
 * organisation's name and by a full-width spelling, a department that the
 * proposal is not routed to yet is told who acts next (never "not found"),
 * and every action on a proposal is confirmed on screen, offered once, and
 * recorded once in the timeline with what it required.
 */

const CITY = 'komatsu'
const stamp = Date.now()
const title = `E2E 窓口 GPS ${stamp}`
/** biz2's organisation in the demo data. */
const ORGANISATION = 'デモ合同会社'

/** ASCII letters and digits as their full-width forms: what a Japanese IME often types. */
const fullWidth = (text: string) =>
  text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))

async function search(page: Page, q: string) {
  await page.goto(`/${CITY}/desk`)
  await page.getByLabel('キーワード（受付番号・件名・提案者・内容）').fill(q)
  await page.getByRole('button', { name: '絞り込む' }).click()
  await page.waitForURL('**/desk?*')
}

/** The desk's own layout: its menu with what waits, no portal navigation or footer; at 1280 and 390 px, ja and en. */
async function expectWorkspace(page: Page, path: string, email: string) {
  for (const english of [false, true]) {
    if (english) await inEnglish(page)
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 })
      await page.goto(path)
      const menu = page.getByRole('navigation', { name: english ? 'Desk menu' : 'デスクのメニュー' })
      await expect(menu.getByRole('link', { name: english ? 'Inbox' : '受付箱' })).toBeVisible()
      await expect(menu.getByRole('link', { name: english ? /\d+ waiting/ : /対応待ち \d+件/ })).toBeVisible()
      // Not a portal page: no city navigation, no guideline footer.
      await expect(page.locator('.portal-nav, .portal-footer')).toHaveCount(0)
      await expect(page.getByText(english ? /guidelines/ : /ガイドラインに基づいています/)).toHaveCount(0)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      await expectNoAxeViolations(page)
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 })
  await signIn(page, email)
}

test('a desk clerk finds a proposal by reference code, organisation and full-width spelling; a department not yet routed is told who acts next; every action is confirmed once', async ({
  page,
}) => {
  test.setTimeout(300_000)
  await signIn(page, 'biz2@example.com')
  await page.goto(`/proposals/new?city=${CITY}`)
  await page.locator(`[name="${CITY}.title"]`).fill(title)
  await page.locator(`[name="${CITY}.summary"]`).fill('除雪車の位置をGPSで共有します。')
  for (const box of await page
    .locator(`input[type="checkbox"][name$=".criteria"], input[type="checkbox"][name$=".notes"]`)
    .all())
    await box.check()
  await page.getByRole('button', { name: '1市に提案する' }).click()
  await page.waitForURL('**/proposals?submitted=*')

  // By the organisation's name: the row shows the proposal and who proposed it.
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await search(page, `${ORGANISATION} ${stamp}`)
  const row = page.getByRole('row').filter({ hasText: title })
  await expect(row).toContainText(ORGANISATION)
  const referenceCode = (await row.getByRole('cell').first().innerText()).trim()
  expect(referenceCode).toMatch(/^KMT-\d{4}-\d{4}$/)
  // By a full-width spelling of a title word and of the number: 「ＧＰＳ」 finds GPS.
  await search(page, `ＧＰＳ ${fullWidth(String(stamp))}`)
  await expect(page.getByRole('link', { name: title })).toHaveCount(1)
  await expect(page.getByRole('status')).toHaveText('1件')
  // By its reference code, typed in full-width lower case too.
  for (const q of [referenceCode, fullWidth(referenceCode.toLowerCase())]) {
    await search(page, q)
    await expect(page.getByRole('link', { name: title })).toHaveCount(1)
    await expect(page.getByRole('status')).toHaveText('1件')
  }
  await page.getByRole('link', { name: title }).click()
  await page.waitForURL('**/desk/proposals/*')
  const proposalUrl = page.url()

  // A department member with the link before the desk has routed it: who acts next and why, not a 404.
  await signIn(page, `dept-staff@${CITY}.example.jp`)
  const before = await page.goto(proposalUrl)
  expect(before?.status()).not.toBe(404)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'この提案はまだあなたの課に回付されていません',
  )
  await expect(page.getByText(/次に動くのはデスクです/)).toBeVisible()
  await expect(page.getByText(title)).toHaveCount(0)
  await expectNoAxeViolations(page)

  // The desk's proposal page: status, track and who acts next beside the content; each action once.
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(proposalUrl)
  const status = page.getByRole('region', { name: '状況' })
  await expect(status).toContainText(referenceCode)
  await expect(status).toContainText('区分')
  await expect(status).toContainText(/「.+型」の公民連携の進め方/)
  await expect(status).toContainText('未回付')
  const next = page.getByRole('region', { name: '次に動くのは' })
  await expect(next).toContainText(
    'デスク（あなた）：「各部局に情報共有し対話を始める」または「受け付けない」',
  )
  // The department checkboxes appear once: in the step that routes.
  await expect(page.getByRole('checkbox', { name: '総務部' })).toHaveCount(1)
  await expect(page.getByRole('button', { name: '回付する' })).toHaveCount(0)
  // On a wide screen the status sits beside the content; on a phone it comes first.
  const statusBox = (await status.boundingBox())!
  const answersBox = (await page.getByRole('heading', { name: '提案の内容' }).boundingBox())!
  expect(statusBox.x).toBeGreaterThan(answersBox.x + 300)
  // Each term of the status fits its column on one line (回答目安日 wrapped after four characters).
  await expect(status).toContainText('回答目安日')
  const termLines = await status.locator('dt').evaluateAll((terms) =>
    terms.map((term) => {
      const text = document.createRange()
      text.selectNodeContents(term)
      return text.getClientRects().length
    }),
  )
  expect(termLines.every((lines) => lines === 1)).toBe(true)
  await page.setViewportSize({ width: 390, height: 844 })
  expect((await status.boundingBox())!.y).toBeLessThan(
    (await page.getByRole('heading', { name: '提案の内容' }).boundingBox())!.y,
  )
  await page.setViewportSize({ width: 1280, height: 900 })

  // Each action is confirmed on screen after it is done.
  await page.locator('select[name^="judgement."]').first().selectOption('pass')
  await submitForm(page, '確認結果を保存')
  await expect(page.getByRole('status')).toHaveText('要件の確認結果を保存しました。')
  const start = page.getByRole('form', { name: '各部局に情報共有し対話を始める' })
  await start.getByRole('checkbox', { name: '総務部' }).check()
  await submitForm(page, '各部局に情報共有し対話を始める', start)
  await expect(page.getByRole('status')).toHaveText('「各部局に情報共有し対話を始める」を記録しました。')
  await expect(status).toContainText('総務部')
  await page.getByLabel('メモ', { exact: true }).fill('予算の確認が必要')
  await submitForm(page, 'メモを追加')
  await expect(page.getByRole('status')).toHaveText('内部メモを追加しました。')
  await page.getByLabel('本文').fill('実施場所を教えてください。')
  await submitForm(page, '送信')
  await expect(page.getByRole('status')).toHaveText('メッセージを送信しました。')
  // The timeline records the routing once, with the departments it routed to.
  const history = page.getByRole('region', { name: '経過' })
  await expect(
    history.getByRole('listitem').filter({ hasText: '各部局に情報共有し対話を始める' }),
  ).toHaveCount(1)
  await expect(history).toContainText('回付先（内部）')
  await expect(history).toContainText('総務部')
  await expectWorkspace(page, proposalUrl, `desk-staff@${CITY}.example.jp`)
  await expectWorkspace(page, `/${CITY}/desk`, `desk-staff@${CITY}.example.jp`)

  // The inbox on a phone: every row shows its content (a card per proposal), no sideways scroll.
  await page.setViewportSize({ width: 390, height: 844 })
  await search(page, referenceCode)
  const card = page.getByRole('row').filter({ hasText: title })
  await expect(card.getByRole('cell').first()).toHaveText(referenceCode)
  // Every cell is named by its column and lies within the screen's width.
  for (const cell of await card.getByRole('cell').all()) {
    await expect(cell).toHaveAttribute('data-label', /\S/)
    const box = (await cell.boundingBox())!
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    expect(box.height).toBeGreaterThan(0)
  }
  await expect(card.getByRole('link', { name: title })).toBeVisible()
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1280, height: 900 })

  // Now routed, the department works on it; who acts next is shown to it too.
  await signIn(page, `dept-staff@${CITY}.example.jp`)
  const after = await page.goto(proposalUrl)
  expect(after?.status()).toBe(200)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
  await expect(page.getByRole('region', { name: '次に動くのは' })).toBeVisible()
})
