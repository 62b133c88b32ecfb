import { expect, test, type Page } from './test'
import { inEnglish, signIn } from './session'

/**
 * Issue 16, item 8: what the mails of a proposal say, read from the mail outbox. A business whose mail language is
 * English proposes to two cities: each city sends it a receipt; the desk is told of the new proposal by title; the
 * department it is routed to, and the proposer when it moves on, are told the new stage by name. Every mail names
 * the proposal by title and reference and links to the recipient's own page of it, never to /account.
 */

const PASSWORD = 'correct horse battery staple'
const [FIRST, SECOND] = ['komatsu', 'aomori']

/**
 * The outbox's mails to `to` that mention every text, newest first. A notification's mail is written by the job
 * worker after the request, so the outbox page is read again until `atLeast` of them are there.
 */
async function mailsTo(page: Page, to: string, texts: string | string[], atLeast = 1) {
  const mails = () =>
    [texts].flat().reduce((found, text) => found.filter({ hasText: text }), page.locator('article.mail').filter({ hasText: to }))
  await expect(async () => {
    await page.goto('/dev/mail')
    expect(await mails().count()).toBeGreaterThanOrEqual(atLeast)
  }).toPass({ timeout: 15_000, intervals: [250, 500, 1_000] })
  return mails()
}

test('proposal mails name the proposal, its stage and its own page, in each recipient’s language', async ({
  page,
}) => {
  const stamp = Date.now()
  const email = `mail-${stamp}@example.co.jp`
  const title = `メール確認の提案 ${stamp}`

  await test.step('a business signs up with English as its mail language and proposes to two cities', async () => {
    await page.goto('/sign-up')
    await page.getByLabel('氏名').fill('Mail Tester')
    await page.getByLabel('メールアドレス').fill(email)
    await page.getByLabel('パスワード', { exact: false }).first().fill(PASSWORD)
    await page.getByLabel('メールの言語').selectOption('en')
    await page.getByLabel('団体の種類').selectOption('corporation')
    await page.getByLabel('団体名').fill('Mail Test K.K.')
    await page.getByRole('button', { name: '登録する' }).click()
    await page.waitForURL('**/sign-in?signedUp=1')
    // The pages stay in Japanese; only the mails follow the account's language.
    await page.request.post('/locale', {
      form: { locale: 'ja', redirectTo: '/' },
      headers: { Origin: new URL(page.url()).origin },
    })
    await signIn(page, email, PASSWORD)
    await page.goto(`/proposals/new?city=${FIRST}&city=${SECOND}`)
    await page.locator(`[name="${FIRST}.title"]`).fill(title)
    await page.locator(`[name="${FIRST}.summary"]`).fill('メールの内容を確かめる提案です。')
    await page.locator(`[name="${SECOND}.subject"]`).fill(title)
    await page.locator(`[name="${SECOND}.content"]`).fill('メールの内容を確かめる提案です。')
    for (const box of await page
      .locator(`input[type="checkbox"][name$=".criteria"], input[type="checkbox"][name$=".notes"]`)
      .all())
      await box.check()
    await page.getByRole('button', { name: '確認画面へ' }).click()
    await page.getByRole('button', { name: '2市に提案する' }).click()
    await page.waitForURL('**/proposals?submitted=*')
  })

  const receipts = await mailsTo(page, email, title, 2)
  await test.step('each city sends the proposer a receipt in English, linking to the proposer’s page', async () => {
    await expect(receipts).toHaveCount(2)
    for (const [city, cityName, reference] of [
      [FIRST, 'Komatsu City', /KMT-\d{4}-\d{4}/],
      [SECOND, 'Aomori City', /AMR-\d{4}-\d{4}/],
    ] as const) {
      const receipt = receipts.filter({ hasText: `[${cityName}]` })
      await expect(receipt.getByRole('heading')).toHaveText(
        new RegExp(
          `^\\[${cityName}\\] Your proposal “${title}” has been received \\(${reference.source}\\)$`,
        ),
      )
      const body = receipt.locator('pre')
      await expect(body).toContainText(`has received your proposal “${title}”`)
      await expect(body).toContainText(/Current stage: \S/)
      await expect(body).toContainText(new RegExp(`/proposals/${city}/[0-9a-f-]{36}`))
      await expect(body).not.toContainText('/account')
    }
    await expect(receipts.filter({ hasText: '[Komatsu City]' }).locator('pre')).toContainText(
      'Current stage: Intake of the proposal',
    )
  })

  const deskPage =
    await test.step('the desk’s “new proposal” mail is in Japanese, with the title and the desk page', async () => {
      const [newProposal] = await (await mailsTo(page, `desk-staff@${FIRST}.example.jp`, title)).all()
      await expect(newProposal!.getByRole('heading')).toHaveText(
        new RegExp(`^【小松市】新しい提案 KMT-\\d{4}-\\d{4}「${title}」$`),
      )
      const body = newProposal!.locator('pre')
      await expect(body).toContainText('現在の段階：連携提案の受付')
      const link = /https?:\/\/\S+\/komatsu\/desk\/proposals\/[0-9a-f-]{36}/.exec(await body.innerText())![0]
      return link
    })

  await test.step('routed: the department is told the new stage by name, the proposer too, each with their page', async () => {
    await signIn(page, `desk-staff@${FIRST}.example.jp`)
    // The mail's link opens the proposal on the desk.
    await page.goto(new URL(deskPage).pathname)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
    const version = await page.locator('input[name="version"]').first().inputValue()
    const moved = await page.request.post(page.url(), {
      form: {
        intent: 'transition',
        transitionId: 'share_with_departments',
        version,
        departments: 'general_affairs',
      },
      headers: { Origin: new URL(page.url()).origin },
    })
    expect(moved.ok()).toBe(true)

    const routed = await mailsTo(page, `dept-staff@${FIRST}.example.jp`, title)
    await expect(routed).toHaveCount(1)
    await expect(routed.getByRole('heading')).toHaveText(
      new RegExp(`^【小松市】提案 KMT-\\d{4}-\\d{4}「${title}」が回付されました$`),
    )
    await expect(routed.locator('pre')).toContainText('現在の段階：対話による検討')
    await expect(routed.locator('pre')).toContainText(new URL(deskPage).pathname)

    const movedOn = await mailsTo(page, email, [title, 'has moved to'])
    await expect(movedOn.getByRole('heading')).toHaveText(
      /^\[Komatsu City\] Proposal KMT-\d{4}-\d{4} has moved to “Dialogue”$/,
    )
    await expect(movedOn.locator('pre')).toContainText(`The proposal “${title}”`)
    await expect(movedOn.locator('pre')).toContainText(/\/proposals\/komatsu\/[0-9a-f-]{36}/)
  })

  await test.step('the outbox page is readable in English too', async () => {
    await inEnglish(page)
    await page.goto('/dev/mail')
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await expect(page.locator('article.mail').filter({ hasText: title }).first()).toBeVisible()
  })
})
