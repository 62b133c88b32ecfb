import { expect, test, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { proposeToOneCity, remixSettled, signIn, submitForm } from './session'

/**
 * Issue 9 end to end in the first city (the one with the four collaboration
 * methods): a proposal goes from the decision to a business agreement with
 * its signed document, through implementation milestones and progress notes
 * of both sides, to a published case that appears on the portal, in its
 * feeds and in the CSV — and is gone from all of them once withdrawn.
 */

const CITY = 'komatsu'
const stamp = Date.now()
const title = `E2E 協定から事例へ ${stamp}`
const caseTitle = `E2E 公開事例 ${stamp}`
const secret = `秘密のアイデア ${stamp}`

async function publicText(page: Page, path: string) {
  const response = await page.request.get(path, { headers: { Cookie: '' } })
  return { status: response.status(), body: await response.text() }
}

/** What an anonymous visitor gets from every public place a case can appear. */
async function everyPublicPlace(page: Page, caseId: string) {
  const places = [
    `/${CITY}`,
    `/${CITY}/cases`,
    `/${CITY}/cases.atom`,
    `/${CITY}/cases.json`,
    `/${CITY}/cases.csv`,
  ]
  const bodies = await Promise.all(places.map((path) => publicText(page, path)))
  const detail = await publicText(page, `/${CITY}/cases/${caseId}`)
  return { all: bodies.map((entry) => entry.body).join('\n'), detail }
}

test('decision → business agreement → milestones → published case on the portal, feeds and CSV; withdrawn, gone', async ({
  page,
}) => {
  test.setTimeout(360_000)
  // The business proposes.
  await proposeToOneCity(page, { proposer: 'biz1@example.com', city: CITY, title, summary: secret })

  // The desk shares it with the department, moves it to the decision and decides on a business agreement.
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk?q=${encodeURIComponent(title)}`)
  await page.getByRole('link', { name: title }).click()
  await page.waitForURL('**/desk/proposals/*')
  const proposalUrl = page.url()
  const share = page.getByRole('form', { name: '各部局に情報共有し対話を始める' })
  await share.getByRole('checkbox').first().check()
  await submitForm(page, '各部局に情報共有し対話を始める')
  await submitForm(page, '実施可能性の判断へ')
  await page.getByLabel('メモ', { exact: true }).fill(`内部メモ ${stamp}`)
  await submitForm(page, 'メモを追加')
  const decide = page.getByRole('form', { name: '実施を決定し連携手法を選ぶ' })
  await decide.getByLabel('判断の根拠').fill('地域の創業支援につながるため。')
  await decide.getByLabel('連携の方法').selectOption({ label: '事業連携協定' })
  await submitForm(page, '実施を決定し連携手法を選ぶ')

  // The department leads the conclusion of a business agreement (role matrix): it proceeds to the agreement.
  await signIn(page, `dept-staff@${CITY}.example.jp`)
  await page.goto(proposalUrl)
  await submitForm(page, '協定の締結へ')

  // The desk records the agreement with the signed document; that concludes it.
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(proposalUrl)
  await page.getByRole('link', { name: '協定を締結する' }).click()
  await page.waitForURL('**/agreement')
  await expectNoAxeViolations(page)
  const fillAgreement = async (until: string) => {
    await page.getByLabel('協定の種類').selectOption({ label: '事業連携協定' })
    await page.getByLabel('協定の当事者（1行に1者）').fill('小松市\n株式会社デモ')
    await page.getByLabel('締結日').fill('2026-04-01')
    await page.getByLabel('協定期間（開始）').fill('2026-04-01')
    await page.getByLabel('協定期間（終了）').fill(until)
  }
  // A term ending before it begins is said in Japanese beside its field, and nothing is recorded.
  await fillAgreement('2026-03-01')
  await submitForm(page, /協定を締結する/)
  await expect(page.getByText('終了日は開始日以降の日付にしてください。')).toBeVisible()
  await expect(page.getByText(/must not|before it begins/)).toHaveCount(0)
  await expect(page.getByText('まだ記録されていません。')).toBeVisible()
  await fillAgreement('2027-03-31')
  // A disguised file (HTML named .pdf) is refused by its content, and nothing is recorded.
  await page.getByLabel('締結した協定書（PDF など）').setInputFiles({
    name: 'agreement.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('<html><script>alert(1)</script></html>'),
  })
  await submitForm(page, /協定を締結する/)
  await expect(page.getByRole('alert')).toBeVisible()
  await expect(page.getByText('まだ記録されていません。')).toBeVisible()
  await fillAgreement('2027-03-31')
  await page.getByLabel('締結した協定書（PDF など）').setInputFiles({
    name: '事業連携協定書.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
  })
  await submitForm(page, /協定を締結する/)
  await expect(page.getByRole('link', { name: '事業連携協定書.pdf' })).toBeVisible()
  await expect(page.getByText('2026-04-01 ～ 2027-03-31')).toBeVisible()
  // The saved parties under a display term (not the form's "one per line" label); the desk's title pattern.
  await expect(page.locator('dt', { hasText: '協定の当事者' })).toHaveText('協定の当事者')
  await expect(page.getByText('小松市、株式会社デモ')).toBeVisible()
  await expect(page).toHaveTitle(`協定・実施方法: ${title} | 小松市`)
  await page.goto(proposalUrl)
  await expect(page.getByText('連携事業の実施').first()).toBeVisible()

  // Accompanied implementation: milestones with owners, and a note by the city.
  await page.getByRole('link', { name: '実施状況' }).click()
  await page.waitForURL('**/implementation')
  await expect(page).toHaveTitle(`実施状況: ${title} | 小松市`)
  const add = page.getByRole('form', { name: 'マイルストーンを追加' })
  // Owned by a department but none chosen: said in Japanese beside the field, from the locale files.
  await add.getByLabel('内容').fill('キックオフ会議')
  await add.getByLabel('期日').fill('2026-04-15')
  await add.getByLabel('担当', { exact: true }).selectOption({ label: '担当部局' })
  await submitForm(page, 'マイルストーンを追加')
  await expect(add.getByText('担当する部局を選んでください。')).toBeVisible()
  await expect(page.getByText(/must name/)).toHaveCount(0)
  await add.getByLabel('内容').fill('キックオフ会議')
  await add.getByLabel('期日').fill('2026-04-15')
  await add.getByLabel('担当', { exact: true }).selectOption({ label: '担当部局' })
  await add.getByLabel('担当部局（担当が部局のとき）').selectOption({ index: 1 })
  await submitForm(page, 'マイルストーンを追加')
  await add.getByLabel('内容').fill('実施報告書の提出')
  await add.getByLabel('期日').fill('2027-03-31')
  await add.getByLabel('担当', { exact: true }).selectOption({ label: '提案者' })
  await submitForm(page, 'マイルストーンを追加')
  await page.getByLabel('「キックオフ会議」の状況').selectOption({ label: '完了' })
  await page
    .getByRole('row', { name: /キックオフ会議/ })
    .getByRole('button', { name: '状況を更新' })
    .click()
  await remixSettled(page)
  await page.getByLabel('進捗の内容').fill('キックオフ会議を開催しました。')
  await submitForm(page, '進捗を投稿する')
  await expect(page.getByText('キックオフ会議を開催しました。')).toBeVisible()
  await expectNoAxeViolations(page)

  // The business sees the agreement, the milestones and the note, and posts its own progress.
  await signIn(page, 'biz1@example.com')
  await page.goto('/proposals')
  await page.getByRole('link', { name: title }).click()
  await page.getByRole('link', { name: '協定と実施状況' }).click()
  await page.waitForURL('**/implementation')
  await expect(page.getByRole('link', { name: '事業連携協定書.pdf' })).toBeVisible()
  await expect(page.getByRole('row', { name: /キックオフ会議/ })).toContainText('完了')
  await expect(page.getByText('キックオフ会議を開催しました。')).toBeVisible()
  await expect(page.getByText(`内部メモ ${stamp}`)).toHaveCount(0)
  await page.getByLabel('進捗の内容').fill('報告書を作成中です。')
  await submitForm(page, '進捗を投稿する')
  await expect(page.getByText('報告書を作成中です。')).toBeVisible()
  await expectNoAxeViolations(page)
  const download = await page.request.get(
    (await page.getByRole('link', { name: '事業連携協定書.pdf' }).getAttribute('href'))!,
  )
  expect(download.headers()['content-disposition']).toContain('attachment')
  expect(download.headers()['x-content-type-options']).toContain('nosniff')

  // The desk writes the case from the concluded proposal: a draft is public nowhere.
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk/cases`)
  await expectNoAxeViolations(page)
  await submitForm(page, `「${title}」から事例を作成`)
  await page.waitForURL(/\/desk\/cases\/[0-9a-f-]{36}\?done=saved$/)
  await expect(page.getByRole('status').filter({ hasText: '保存しました。' })).toBeVisible()
  const caseId = new URL(page.url()).pathname.split('/').pop()!
  const form = page.getByRole('form', { name: '事例を編集' })
  // Published before its public text is written: each missing part is named in Japanese, from the locale files.
  await submitForm(page, '公開する')
  await expect(form.getByText('公開する前に入力してください。').first()).toBeVisible()
  await expect(form.getByText('公開する前に分野を1つ以上選んでください。')).toBeVisible()
  await expect(page.getByText(/before publishing/)).toHaveCount(0)
  await form.getByLabel('題名（日本語）').fill(caseTitle)
  await form.getByLabel('題名（英語）').fill(`E2E published case ${stamp}`)
  await form.getByLabel('概要（日本語）').fill('空き店舗を創業支援の拠点として活用しました。')
  await form.getByLabel('成果（日本語）').fill('1年間で3件の創業につながりました。')
  await form.getByLabel('連携先（公表に同意した名称）').fill('株式会社デモ')
  await form.getByRole('checkbox', { name: '産業・雇用' }).check()
  await submitForm(page, '保存する')
  const images = page.getByRole('form', { name: '画像を追加' })
  await images.getByLabel('画像（PNG または JPEG）').setInputFiles({
    name: 'base.png',
    mimeType: 'image/png',
    buffer: Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    ),
  })
  await images.getByLabel('画像の説明（日本語）').fill('創業支援拠点の外観')
  await submitForm(page, '画像を追加')
  const preview = page.getByRole('region', { name: '公開される内容のプレビュー' })
  await expect(preview).toContainText(caseTitle)
  await expect(preview).toContainText('株式会社デモ')
  await expect(preview.getByRole('img', { name: '創業支援拠点の外観' })).toHaveCount(1)
  await expect(preview).not.toContainText(secret)
  await expectNoAxeViolations(page)
  let places = await everyPublicPlace(page, caseId)
  expect(places.all).not.toContain(caseTitle)
  expect(places.detail.status).toBe(404)
  for (const hidden of [secret, title, `内部メモ ${stamp}`]) expect(places.all).not.toContain(hidden)

  // Published: on the portal's list, its page (with the image), the home page, Atom, JSON Feed and CSV.
  await submitForm(page, '公開する')
  await expect(page.getByText('公開中')).toBeVisible()
  await expect(page.getByRole('link', { name: 'ポータルで見る' })).toHaveAttribute(
    'href',
    `/${CITY}/cases/${caseId}`,
  )
  await expect(page).toHaveTitle(`事例を編集: ${caseTitle} | 小松市`)
  places = await everyPublicPlace(page, caseId)
  expect(places.detail.status).toBe(200)
  for (const path of [
    `/${CITY}`,
    `/${CITY}/cases`,
    `/${CITY}/cases.atom`,
    `/${CITY}/cases.json`,
    `/${CITY}/cases.csv`,
  ]) {
    expect((await publicText(page, path)).body, path).toContain(caseTitle)
  }
  for (const hidden of [secret, `内部メモ ${stamp}`])
    expect(places.all + places.detail.body).not.toContain(hidden)
  await page.context().clearCookies()
  await page.goto(`/${CITY}/cases`)
  await page.getByRole('link', { name: caseTitle }).click()
  await expect(page.getByRole('heading', { level: 1, name: caseTitle })).toBeVisible()
  const image = page.getByRole('img', { name: '創業支援拠点の外観' })
  await expect(image).toHaveCount(1)
  const imageSrc = (await image.getAttribute('src'))!
  expect((await page.request.get(imageSrc)).status()).toBe(200)
  await expectNoAxeViolations(page)

  // Withdrawn: gone from every one of them, the image too.
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk/cases/${caseId}`)
  await submitForm(page, '公開を取り下げる')
  await expect(page.getByText('公開取下げ')).toBeVisible()
  places = await everyPublicPlace(page, caseId)
  expect(places.all).not.toContain(caseTitle)
  expect(places.detail.status).toBe(404)
  expect((await page.request.get(imageSrc, { headers: { Cookie: '' } })).status()).toBe(404)

  // Published again for the portal to show it (the demo's state after this run).
  await submitForm(page, '再公開する')
  expect((await publicText(page, `/${CITY}/cases.csv`)).body).toContain(caseTitle)
})
