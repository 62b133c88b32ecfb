import { expect, test, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { inEnglish, signIn, submitForm } from './session'

/**
 * Issue 9 in the second city (the one with a demonstration-experiment track):
 * an experiment goes from its agreement through the use permit, coordination
 * and the notice to the area, the experiment itself and the report to the
 * desk's receipt — each step ticked on the checklist the tenant file declares;
 * and a public-records disclosure request is asked in the thread, answered by
 * the proposer and decided per document. Every new page passes axe in ja and en
 * and is never cached.
 */

const CITY = 'aomori'
const stamp = Date.now()
const title = `E2E 実証実験 ${stamp}`
const requester = `請求者の氏名 ${stamp}`

/** Opens a checklist item's form and returns it. */
async function itemForm(page: Page, label: string) {
  await page.locator('summary', { hasText: `「${label}」を更新` }).click()
  return page.getByRole('form', { name: new RegExp(`^${label}`) })
}

async function axeInBothLanguages(page: Page, path: string, email: string) {
  await page.goto(path)
  await expectNoAxeViolations(page)
  // On a phone the page never scrolls sideways (wide tables scroll inside their box).
  await page.setViewportSize({ width: 390, height: 844 })
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await page.setViewportSize({ width: 1280, height: 800 })
  const response = await page.request.get(path)
  expect(response.headers()['cache-control']).toContain('no-store')
  await inEnglish(page)
  await page.goto(path)
  await expectNoAxeViolations(page)
  await signIn(page, email)
}

test('an Aomori experiment goes from its agreement through permits and notices to the report received; a disclosure request records the opinion', async ({
  page,
}) => {
  test.setTimeout(480_000)
  // The business proposes a demonstration experiment.
  await signIn(page, 'biz1@example.com')
  await page.goto(`/proposals/new?city=${CITY}`)
  await page.locator(`[name="${CITY}.trackId"]`).selectOption('experiment')
  await page.locator(`[name="${CITY}.subject"]`).fill(title)
  await page.locator(`[name="${CITY}.content"]`).fill('郊外でAIオンデマンド交通を実証します。')
  for (const box of await page
    .locator(`input[type="checkbox"][name="${CITY}.criteria"], input[type="checkbox"][name="${CITY}.notes"]`)
    .all())
    await box.check()
  await page.getByRole('button', { name: '1市に提案する' }).click()
  await page.waitForURL('**/proposals?submitted=*')

  // The desk starts the dialogue with the department and sends it for review.
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk?q=${encodeURIComponent(title)}`)
  await page.getByRole('link', { name: title }).click()
  await page.waitForURL('**/desk/proposals/*')
  const proposalUrl = page.url()
  const proposalId = proposalUrl.split('/').pop()!
  const start = page.getByRole('form', { name: '内容を確認し対話・調整を始める' })
  await start.getByRole('checkbox').first().check()
  await submitForm(page, '内容を確認し対話・調整を始める', start)
  await submitForm(page, '提案書の確認を依頼する')

  // The department reviews it and decides to go ahead under a business agreement.
  await signIn(page, `dept-staff@${CITY}.example.jp`)
  await page.goto(proposalUrl)
  await submitForm(page, '実施可否の判断へ')
  const decide = page.getByRole('form', { name: '実施を決定し連携協定締結へ' })
  await decide.getByLabel('判断の根拠').fill('地域交通の課題解決に資するため。')
  await decide.getByLabel('連携の方法').selectOption({ label: '事業連携協定' })
  await submitForm(page, '実施を決定し連携協定締結へ', decide)

  // The desk concludes the agreement with its signed document: the experiment begins with the permits.
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(proposalUrl)
  await page.getByRole('link', { name: '連携協定を締結する' }).click()
  await page.waitForURL('**/agreement')
  await page.getByLabel('協定の種類').selectOption({ label: '事業連携協定' })
  await page.getByLabel('協定の当事者（1行に1者）').fill('青森市\n株式会社デモ')
  await page.getByLabel('締結日').fill('2026-05-01')
  await page.getByLabel('締結した協定書（PDF など）').setInputFiles({
    name: '事業連携協定書.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
  })
  await submitForm(page, /連携協定を締結する/)
  await page.goto(proposalUrl)
  await expect(page.getByText('使用許可申請等').first()).toBeVisible()

  // The business opens the experiment: the checklist is the tenant file's, the permit is its to record.
  await signIn(page, 'biz1@example.com')
  await page.goto(`/proposals/${CITY}/${proposalId}`)
  await page.getByRole('link', { name: '実証実験', exact: true }).click()
  await page.waitForURL('**/experiment')
  const proposerExperiment = page.url()
  await expect(page.getByRole('heading', { name: /^土地・施設管理者、地元関係者との調整/ })).toBeVisible()
  await expect(page.getByText('「土地・施設管理者、地元関係者との調整」を更新')).toHaveCount(0)
  await page.locator('summary', { hasText: '使用許可等を記録する' }).click()
  const permit = page.getByRole('form', { name: '使用許可等を記録する' })
  await permit.getByLabel('許可の内容').fill('道路使用許可')
  await permit.getByLabel('許可した機関').fill('青森警察署')
  await permit.getByLabel('許可番号').fill(`青警第${stamp}号`)
  await permit.getByLabel('許可日').fill('2026-06-01')
  await submitForm(page, '使用許可等を記録する', permit)
  await expect(page.getByRole('row', { name: /道路使用許可/ })).toContainText('青森警察署')
  const costs = await itemForm(page, '実証実験に係る費用負担')
  await costs.getByLabel('完了', { exact: true }).check()
  await costs.getByLabel('メモ').fill('自社で負担します。')
  await submitForm(page, '保存する', costs)
  await page.getByLabel('費用の考え方を読み、確認しました').check()
  await submitForm(page, '確認する')
  await expect(page.getByText(/が.*に確認しました/)).toBeVisible()

  // The desk coordinates with the stakeholders (its note is what the way on requires) and marks the city's offers.
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`${proposalUrl}/experiment`)
  const coordination = await itemForm(page, '土地・施設管理者、地元関係者との調整')
  await coordination.getByLabel('担当者（氏名・部署）').fill('公民連携デスク 青森')
  await coordination.getByLabel('完了', { exact: true }).check()
  await submitForm(page, /^保存する/, coordination)
  await expect(page.getByRole('alert')).toBeVisible()
  await expect(
    coordination.getByText('この段階を終えるには、メモ（結果など）を入力してください。'),
  ).toBeVisible()
  // The refused form stays open with what was typed; the note is added.
  await coordination.getByLabel('メモ').fill('町内会と施設管理者の了承を得ました。')
  await submitForm(page, /^保存する/, coordination)
  await expect(page.getByRole('heading', { name: '地域への周知 実施中' })).toBeVisible()
  const offers = page.getByRole('form', { name: 'この実証実験で市が提供する支援' })
  await offers.getByRole('checkbox', { name: '実証実験フィールドの提供・斡旋' }).check()
  await offers.getByRole('checkbox', { name: 'PR機会の提供' }).check()
  await offers.getByLabel('実施期間（開始）').fill('2026-07-01')
  await offers.getByLabel('実施期間（終了）').fill('2026-08-31')
  await offers.getByLabel('立ち合い日').fill('2026-07-01')
  await offers.getByLabel('立ち合った職員').fill('公民連携デスク 青森')
  await submitForm(page, '支援・実施期間・立ち合いを保存する', offers)

  // The department gives notice to the area.
  await signIn(page, `dept-staff@${CITY}.example.jp`)
  await page.goto(`${proposalUrl}/experiment`)
  const notice = await itemForm(page, '地域への周知')
  await notice.getByLabel('完了', { exact: true }).check()
  await notice.getByLabel('メモ').fill('回覧板で周知しました。')
  await submitForm(page, /^保存する/, notice)
  await expect(page.getByRole('heading', { name: '実証実験の実施・立ち合い 実施中' })).toBeVisible()

  // The business runs the experiment and hands in the report; a disguised file is refused by its content.
  await signIn(page, 'biz1@example.com')
  await page.goto(proposerExperiment)
  await expect(page.getByText('実証実験フィールドの提供・斡旋')).toBeVisible()
  await expect(page.getByText('PR機会の提供')).toBeVisible()
  const run = await itemForm(page, '実証実験の実施・立ち合い')
  await run.getByLabel('完了', { exact: true }).check()
  await submitForm(page, /^保存する/, run)
  await expect(page.getByRole('heading', { name: '報告書作成 実施中' })).toBeVisible()
  // The report step on the proposal page: the report is theirs to hand in, and a link leads to its upload.
  await page.goto(`/proposals/${CITY}/${proposalId}`)
  // The note the coordination step required is in the proposer's history too.
  await expect(page.getByText('町内会と施設管理者の了承を得ました。')).toBeVisible()
  const handOff = page.getByRole('region', { name: '次はあなたの番です：報告書の提出' })
  await expect(handOff).toContainText('なお、実証実験終了後は報告書を提出していただきます')
  await handOff.getByRole('link', { name: '報告書を提出する' }).click()
  await page.waitForURL('**/experiment#report-heading')
  await expect(page.getByLabel('報告書（PDFなど）')).toBeVisible()
  await page.getByLabel('報告書（PDFなど）').setInputFiles({
    name: 'report.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('<html>not a pdf</html>'),
  })
  await submitForm(page, '報告書を提出する')
  await expect(page.getByRole('alert')).toBeVisible()
  await page.getByLabel('報告書（PDFなど）').setInputFiles({
    name: '実証実験報告書.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
  })
  await submitForm(page, '報告書を提出する')
  await expect(page.getByRole('link', { name: '実証実験報告書.pdf' })).toBeVisible()
  await axeInBothLanguages(page, proposerExperiment, 'biz1@example.com')

  // The desk records the receipt with one control: the report's steps are not ticked on the checklist.
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(proposalUrl)
  // Every note a step required is in the city's timeline, by its name.
  await expect(page.getByRole('region', { name: '経過' })).toContainText(
    'メモ町内会と施設管理者の了承を得ました。',
  )
  await page.getByRole('link', { name: '報告書を受領する' }).click()
  await page.waitForURL('**/experiment#report-heading')
  for (const step of ['報告書作成', '報告書受領']) {
    const item = await itemForm(page, step)
    await expect(item.getByLabel('完了', { exact: true })).toHaveCount(0)
    await expect(item.getByRole('link', { name: /下の「報告書」/ })).toBeVisible()
  }
  const receipt = page.getByRole('form', { name: '報告書', exact: true })
  await expect(receipt.getByText('受領日必須')).toBeVisible()
  await receipt.getByLabel('受領日').fill('2026-09-30')
  await submitForm(page, /受領を記録/)
  await expect(page.getByRole('status').filter({ hasText: '保存しました。' })).toBeVisible()
  await expect(page.getByText('市が2026-09-30に受領しました')).toBeVisible()
  // One state: the checklist's "report received" is done on the day of the receipt.
  await expect(page.getByRole('heading', { name: '報告書受領 完了' })).toBeVisible()
  await expect(
    page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^報告書受領/ }) }),
  ).toContainText(/2026-09-30|2026年9月30日/)
  await axeInBothLanguages(page, `${proposalUrl}/experiment`, `desk-staff@${CITY}.example.jp`)
  await page.goto(proposalUrl)
  await expect(page.locator('dl.facts').first()).toContainText('報告書受領')

  // A disclosure request: recorded by the desk, the proposer asked in the thread.
  await page.getByRole('link', { name: '情報公開請求', exact: true }).click()
  await page.waitForURL('**/disclosure')
  const disclosureUrl = page.url()
  await page.locator('summary', { hasText: '新しい請求を記録する' }).click()
  const request = page.getByRole('form', { name: '新しい請求を記録する' })
  await request.getByLabel('請求者（提案者には表示されません）').fill(requester)
  await request.getByLabel('対象文書（1行に1件）').fill('提案書\n実証実験報告書')
  await submitForm(page, '請求を記録して提案者に照会する', request)
  await expect(page.getByText(requester)).toBeVisible()
  await axeInBothLanguages(page, disclosureUrl, `desk-staff@${CITY}.example.jp`)

  // The proposer reads the question in the thread and gives an opinion per document; who asked is not shown.
  await signIn(page, 'biz1@example.com')
  await page.goto(`/proposals/${CITY}/${proposalId}`)
  await expect(page.getByText(/情報公開請求がありました/).first()).toBeVisible()
  await page.getByRole('link', { name: '情報公開請求', exact: true }).click()
  await page.waitForURL('**/disclosure')
  const proposerDisclosure = page.url()
  await expect(page.getByText(requester)).toHaveCount(0)
  await page
    .getByLabel('「実証実験報告書」のうち正当な利益を害するおそれのある箇所とその理由')
    .fill('利用者数の内訳（5頁）は競争上の地位を害します。')
  await page.getByLabel('請求全体についての意見').fill('提案書は公開して差し支えありません。')
  await submitForm(page, '意見を送る')
  await expect(page.getByRole('row', { name: /実証実験報告書/ })).toContainText('利用者数の内訳')
  await axeInBothLanguages(page, proposerDisclosure, 'biz1@example.com')

  // The desk sees the opinion and decides per document; the proposer sees the decisions.
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(disclosureUrl)
  await expect(page.getByText('提案書は公開して差し支えありません。')).toBeVisible()
  await page.getByLabel('「提案書」の決定').selectOption({ label: '公開' })
  await page.getByLabel('「実証実験報告書」の決定').selectOption({ label: '部分公開' })
  await page
    .getByLabel('「実証実験報告書」の理由')
    .fill('利用者数の内訳は法人の競争上の地位を害するため非公開。')
  await submitForm(page, '決定を記録する')
  await expect(page.getByText('決定済み')).toBeVisible()
  await signIn(page, 'biz1@example.com')
  await page.goto(proposerDisclosure)
  await expect(page.getByRole('row', { name: /実証実験報告書/ })).toContainText('部分公開')
  await page.goto(`/proposals/${CITY}/${proposalId}`)
  await expect(page.getByText('情報公開の決定')).toBeVisible()
})
