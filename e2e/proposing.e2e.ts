import { expect, test, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { signIn, submitForm } from './session'

/**
 * Issue 8 end to end: one proposal to both cities at once, each desk sees only
 * its own; the first city's desk screens and routes, the department answers in
 * the thread; the business sees the message but never the internal note; a
 * double-submitted form makes one proposal; bad input changes nothing.
 */

const [FIRST, SECOND] = ['komatsu', 'aomori']
const title = `E2E 共同提案 ${Date.now()}`

/** Fills both cities' parts; every criterion and note ticked. */
async function fillBoth(page: Page, subject: string) {
  await page.goto(`/proposals/new?city=${FIRST}&city=${SECOND}`)
  await page.locator(`[name="${FIRST}.title"]`).fill(subject)
  await page.locator(`[name="${FIRST}.summary"]`).fill('空き店舗を創業支援の拠点にします。')
  await page.locator(`[name="${SECOND}.subject"]`).fill(subject)
  await page.locator(`[name="${SECOND}.content"]`).fill('郊外でAIオンデマンド交通を実証します。')
  for (const box of await page
    .locator(`input[type="checkbox"][name$=".criteria"], input[type="checkbox"][name$=".notes"]`)
    .all())
    await box.check()
}

test('a business proposes to both cities at once; desks, screening, routing, dialogue; double submit makes one', async ({
  page,
}) => {
  // Five sign-ins and two cities: about 50 s on a loaded machine, beyond the 60 s default with little margin.
  test.setTimeout(180_000)
  await signIn(page, 'biz1@example.com')
  await fillBoth(page, title)
  await expectNoAxeViolations(page)
  // Preview first: everything is checked and shown read-only, nothing is submitted yet.
  await page.getByRole('button', { name: '確認画面へ' }).click()
  const preview = page.getByRole('region', { name: '入力内容の確認' })
  await expect(preview).toContainText(title)
  await expect(preview).toContainText('郊外でAIオンデマンド交通を実証します。')
  // Double click: the idempotency key of this rendering makes it one submission per city.
  await page.getByRole('button', { name: '2市に提案する' }).dblclick()
  await page.waitForURL('**/proposals?submitted=*')
  await expect(page.getByRole('status')).toContainText('受付番号')
  await expect(page.getByRole('link', { name: title })).toHaveCount(2)
  await expectNoAxeViolations(page)

  // Each desk sees only its own.
  for (const city of [FIRST, SECOND]) {
    await signIn(page, `desk-staff@${city}.example.jp`)
    await page.goto(`/${city}/desk?q=${encodeURIComponent(title)}`)
    await expect(page.getByRole('link', { name: title })).toHaveCount(1)
    await expectNoAxeViolations(page)
  }

  // The first city's desk screens, routes and notes.
  await signIn(page, `desk-staff@${FIRST}.example.jp`)
  await page.goto(`/${FIRST}/desk?q=${encodeURIComponent(title)}`)
  await page.getByRole('link', { name: title }).click()
  await page.waitForURL('**/desk/proposals/*')
  const proposalUrl = page.url()
  for (const select of await page.locator('select[name^="judgement."]').all())
    await select.selectOption('pass')
  await submitForm(page, '確認結果を保存')
  // Routing is part of the step that asks for departments: the page offers it once, there.
  const start = page.getByRole('form', { name: '各部局に情報共有し対話を始める' })
  await start.getByRole('checkbox').first().check()
  await submitForm(page, '各部局に情報共有し対話を始める', start)
  await expect(page.getByText('未回付')).toHaveCount(0)
  // A form loaded before someone else moved the proposal: 409 with the conflict message, nothing changed.
  const stale = await page.request.post(proposalUrl, {
    form: { intent: 'transition', transitionId: 'not_accept', version: '0', reason: '古い画面から' },
    headers: { Origin: new URL(proposalUrl).origin },
  })
  expect(stale.status()).toBe(409)
  expect(await stale.text()).toContain('ほかの方が先にこの提案を更新しました')
  await page.getByLabel('メモ', { exact: true }).fill('内部メモ：予算の確認が必要')
  await submitForm(page, 'メモを追加')
  await expect(page.getByText('内部メモ：予算の確認が必要')).toBeVisible()
  await expectNoAxeViolations(page)

  // The department sees it in its own view and answers in the thread.
  await signIn(page, `dept-staff@${FIRST}.example.jp`)
  await page.goto(`/${FIRST}/desk`)
  await page.getByRole('link', { name: title }).click()
  await page.getByLabel('本文').fill('担当課です。実施場所について教えてください。')
  await submitForm(page, '送信')
  await expect(page.getByText('担当課です。実施場所について教えてください。')).toBeVisible()

  // The business sees the message, unread, and never the internal note.
  await signIn(page, 'biz1@example.com')
  await page.goto('/proposals')
  const row = page.getByRole('row').filter({ hasText: title }).filter({ hasText: '未読1件' })
  await expect(row).toHaveCount(1)
  await row.getByRole('link', { name: title }).click()
  await expect(page.getByText('担当課です。実施場所について教えてください。')).toBeVisible()
  await expect(page.getByText('内部メモ')).toHaveCount(0)
  await expectNoAxeViolations(page)

  // A forged id of another city is a 404.
  const id = new URL(proposalUrl).pathname.split('/').pop()
  const forged = await page.goto(`/proposals/${SECOND}/${id}`)
  expect(forged?.status()).toBe(404)
})

test('bad input gets a message per field and changes nothing', async ({ page }) => {
  await signIn(page, 'biz2@example.com')
  await page.goto('/proposals')
  const before = await page.getByRole('row').count()
  await fillBoth(page, 'x'.repeat(101))
  await page.locator(`[name="${FIRST}.summary"]`).fill('')
  await page.getByRole('button', { name: '2市に提案する' }).click()
  await expect(page.getByRole('alert').first()).toContainText('入力内容に誤りがあります')
  // Beside each field, and linked from the summary.
  const inline = page.locator('.field__error')
  await expect(inline.filter({ hasText: '「提案・相談の内容」を入力してください。' })).toBeVisible()
  await expect(inline.filter({ hasText: '「件名」は100文字以内で入力してください。' })).toHaveCount(2)
  await expect(page.locator('.error-summary a')).toContainText([
    '小松市 — 「件名」は100文字以内で入力してください。',
    '小松市 — 「提案・相談の内容」を入力してください。',
    '青森市 — 「件名」は100文字以内で入力してください。',
  ])
  await page.goto('/proposals')
  expect(await page.getByRole('row').count()).toBe(before)

  // A disguised file: an executable named .pdf.
  await fillBoth(page, 'ファイルの確認')
  await page.locator(`[name="${FIRST}.documents"]`).setInputFiles({
    name: 'proposal.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('MZ\x90\x00 not a pdf at all'),
  })
  await page.getByRole('button', { name: '2市に提案する' }).click()
  await expect(
    page.locator('.field__error', { hasText: /「添付資料」に添付できるファイルの種類は/ }),
  ).toBeVisible()
  await page.goto('/proposals')
  expect(await page.getByRole('row').count()).toBe(before)
})

test('keyboard only: the form can be filled and submitted without a mouse', async ({ page }) => {
  await signIn(page, 'univ@example.com')
  await page.goto(`/proposals/new?city=${SECOND}`)
  await page.locator(`[name="${SECOND}.subject"]`).focus()
  await page.keyboard.type('キーボードだけの提案')
  await page.keyboard.press('Tab')
  await page.keyboard.type('キーボードだけで入力した内容です。')
  const boxes = page.locator(`input[type="checkbox"][name="${SECOND}.notes"]`)
  for (let index = 0; index < (await boxes.count()); index += 1) {
    await boxes.nth(index).focus()
    await page.keyboard.press('Space')
  }
  await page.getByRole('button', { name: '1市に提案する' }).focus()
  await page.keyboard.press('Enter')
  await page.waitForURL('**/proposals?submitted=*')
})

test('the proposer pages and the desk inbox have no axe violations in English', async ({ page }) => {
  await signIn(page, 'biz1@example.com')
  await inEnglish(page)
  await page.goto(`/proposals/new?city=${FIRST}&city=${SECOND}`)
  await expectNoAxeViolations(page)
  await page.goto('/proposals')
  await expectNoAxeViolations(page)
  await page.getByRole('row').nth(1).getByRole('link').first().click()
  await expect(page.getByRole('heading', { name: 'Dialogue' })).toBeVisible()
  await expectNoAxeViolations(page)
  await signIn(page, `desk-staff@${FIRST}.example.jp`)
  await inEnglish(page)
  await page.goto(`/${FIRST}/desk`)
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible()
  await expectNoAxeViolations(page)
})

async function inEnglish(page: Page) {
  const origin = new URL(page.url()).origin
  await page.request.post('/locale', { form: { locale: 'en', redirectTo: '/' }, headers: { Origin: origin } })
}
