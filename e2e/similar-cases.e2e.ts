import { expect, test, type Locator, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { inEnglish, signIn, submitForm } from './session'
import { ownerSql, tenantsApply } from './harness/e2e-database'

/**
 * Issue 22's last step (the story's start — a business subscribing to 防災,
 * a desk opening a 防災 theme, the mail, the proposal — is e2e/alerts.e2e.ts):
 * the desk of a third city sees the first city's published 防災 case under
 * "similar cases elsewhere" on a 防災 proposal, with a link that works, and
 * not the first city's 防災 case that is still a draft.
 *
 * - The first city's desk writes and publishes the case in its own UI, from a
 *   concluded proposal of the demo that has no case yet, and moves its demo
 *   draft case into 防災 (left a draft).
 * - The third city (e2e/fixtures/tenants/coast-town.yaml: 防災 mapped to the
 *   platform's disaster_prevention, a form asking for the fields) is onboarded
 *   with `pnpm tenants:apply --live`, as an operator would; its first desk
 *   admin accepts the invitation; a business proposes there in 防災.
 *
 * The file sorts after operator.e2e.ts on purpose (that test counts the
 * cities of the operator console); the town is suspended at the end, as
 * schema-city.e2e.ts leaves its village, so nothing later offers it.
 * Screenshots of the block at 1280 and 390 px, ja and en, go to
 * E2E_SCREENSHOTS when set.
 */

const FIRST = 'komatsu'
const THIRD = 'coast-town'
const FIXTURE = 'e2e/fixtures/tenants/coast-town.yaml'
/** A concluded proposal of the first city's demo data that has no case yet (db/seed/demo-history.ts). */
const CONCLUDED = '防災備蓄品の共同調達'
const CONCLUDED_EN = 'Joint procurement of disaster stockpiles'
/** The first city's demo case that is still a draft. */
const DRAFT_CASE = '高齢者見守りセンサーの共同実証'
const PASSWORD = 'coast town passphrase 2026'
const SHOTS = process.env.E2E_SCREENSHOTS

/** The block at 1280 and 390 px (no sideways scroll at either), to E2E_SCREENSHOTS. */
async function shots(page: Page, block: Locator, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 })
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      `${name} at ${width}`,
    ).toBeLessThanOrEqual(width)
    if (SHOTS) await block.screenshot({ path: `${SHOTS}/${name}-${width}.png` })
  }
  await page.setViewportSize({ width: 1280, height: 900 })
}

test.describe.configure({ mode: 'serial', timeout: 240_000 })

test('the desk of a third city sees the first city’s published 防災 case under similar cases elsewhere on a 防災 proposal, and not its draft', async ({
  page,
  browser,
  baseURL,
}) => {
  const stamp = Date.now()
  const origin = baseURL ?? ''
  const adminEmail = `coast-admin-${stamp}@example.jp`
  const title = `津波避難の見える化 ${stamp}`
  let caseId = ''
  let draftCaseId = ''
  try {
    await test.step('the first city’s desk writes a 防災 case from a concluded proposal and publishes it', async () => {
      await signIn(page, `desk-staff@${FIRST}.example.jp`)
      await page.goto(`/${FIRST}/desk/cases`)
      const start = page.getByRole('button', { name: `「${CONCLUDED}」から事例を作成` })
      if ((await start.count()) > 0) {
        await submitForm(page, `「${CONCLUDED}」から事例を作成`)
        await page.waitForURL(/\/desk\/cases\/[0-9a-f-]{36}\?done=saved$/)
      } else {
        // A retry: the case was written by the first attempt.
        await page.getByRole('link', { name: CONCLUDED, exact: true }).click()
        await page.waitForURL(/\/desk\/cases\/[0-9a-f-]{36}$/)
      }
      caseId = new URL(page.url()).pathname.split('/').pop()!
      const form = page.getByRole('form', { name: '事例を編集' })
      await form.getByLabel('題名（英語）').fill(CONCLUDED_EN)
      await form
        .getByLabel('概要（日本語）')
        .fill('災害時の備蓄品を事業者と共同で調達する仕組みをつくりました。')
      await form.getByLabel('成果（日本語）').fill('備蓄品の調達費用を抑え、更新の漏れをなくしました。')
      await form.getByLabel('連携先（公表に同意した名称）').fill('株式会社デモ')
      await form.getByRole('checkbox', { name: '防災', exact: true }).check()
      await submitForm(page, '保存する')
      if ((await page.getByRole('button', { name: '公開する', exact: true }).count()) > 0)
        await submitForm(page, '公開する')
      await expect(page.getByText('公開中').first()).toBeVisible()
    })

    await test.step('its demo draft case is moved into 防災 and left a draft', async () => {
      await page.goto(`/${FIRST}/desk/cases`)
      await page.getByRole('link', { name: DRAFT_CASE, exact: true }).click()
      await page.waitForURL(/\/desk\/cases\/[0-9a-f-]{36}$/)
      draftCaseId = new URL(page.url()).pathname.split('/').pop()!
      const form = page.getByRole('form', { name: '事例を編集' })
      await form.getByRole('checkbox', { name: '防災', exact: true }).check()
      await submitForm(page, '保存する')
      await expect(form.getByRole('checkbox', { name: '防災', exact: true })).toBeChecked()
      await expect(page.getByRole('button', { name: '公開する', exact: true })).toBeVisible()
      await expect(page.getByText('下書き（非公開）').first()).toBeVisible()
    })

    let invitation = ''
    await test.step('pnpm tenants:apply onboards the third city, live, and invites its first desk admin', async () => {
      const applied = await tenantsApply([FIXTURE, '--live', '--admin-email', adminEmail], origin)
      expect(applied.stderr).toBe('')
      expect(applied.stdout).toContain(`applied: ${THIRD} (live)`)
      invitation = new RegExp(`https?://\\S+/${THIRD}/invitation/\\S+`).exec(applied.stdout)?.[0] ?? ''
      expect(invitation).not.toBe('')
      await expect
        .poll(async () => (await page.request.get(`/${THIRD}`)).status(), { timeout: 20_000 })
        .toBe(200)
      const admin = await (await browser.newContext()).newPage()
      await admin.goto(new URL(invitation).pathname)
      await admin.getByLabel('氏名').fill('海辺 太郎')
      await admin.getByLabel('パスワード').fill(PASSWORD)
      await admin.getByRole('button', { name: 'アカウントを作成して承諾する' }).click()
      await admin.waitForURL('**/account*')
      await admin.context().close()
    })

    await test.step('a business proposes to the third city in 防災', async () => {
      await signIn(page, 'biz1@example.com')
      await page.goto(`/proposals/new?city=${THIRD}`)
      await page.locator(`[name="${THIRD}.title"]`).fill(title)
      await page.locator(`[name="${THIRD}.content"]`).fill('津波避難の経路と避難所の混雑を地図で示します。')
      await page.getByRole('group', { name: '分野' }).getByRole('checkbox', { name: '防災' }).check()
      for (const box of await page
        .locator('input[type="checkbox"][name$=".criteria"], input[type="checkbox"][name$=".notes"]')
        .all())
        await box.check()
      await page.getByRole('button', { name: '確認画面へ' }).click()
      await page.getByRole('button', { name: '1市に提案する' }).click()
      await page.waitForURL('**/proposals?submitted=*')
      await expect(page.getByRole('status')).toContainText('CST-')
    })

    await test.step('its desk sees the first city’s published 防災 case, not the draft, and the link works', async () => {
      await signIn(page, adminEmail, PASSWORD)
      await page.goto(`/${THIRD}/desk?q=${encodeURIComponent(title)}`)
      await page.getByRole('link', { name: title }).click()
      await page.waitForURL(`**/${THIRD}/desk/proposals/*`)
      const similar = page.getByRole('region', { name: '他の自治体の類似事例' })
      const link = similar.getByRole('link', { name: CONCLUDED, exact: true })
      await expect(link).toHaveAttribute('href', `/${FIRST}/cases/${caseId}`)
      await expect(similar).toContainText('小松市')
      await expect(similar).toContainText('株式会社デモ')
      await expect(similar).not.toContainText(DRAFT_CASE)
      expect(await similar.innerHTML()).not.toContain(draftCaseId)
      await expectNoAxeViolations(page)
      await shots(page, similar, 'similar-cases-ja')
      const proposalUrl = page.url()

      await inEnglish(page)
      await page.goto(proposalUrl)
      const similarEn = page.getByRole('region', { name: 'Similar cases elsewhere' })
      await expect(similarEn.getByRole('link', { name: CONCLUDED_EN, exact: true })).toHaveAttribute(
        'href',
        `/${FIRST}/cases/${caseId}`,
      )
      await expect(similarEn).toContainText('Komatsu')
      await expect(similarEn).not.toContainText(DRAFT_CASE)
      await expectNoAxeViolations(page)
      await shots(page, similarEn, 'similar-cases-en')

      // The link leads to the first city's public case page.
      await similarEn.getByRole('link', { name: CONCLUDED_EN, exact: true }).click()
      await page.waitForURL(`**/${FIRST}/cases/${caseId}`)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(CONCLUDED_EN)
      const draftPage = await page.request.get(`/${FIRST}/cases/${draftCaseId}`, { headers: { Cookie: '' } })
      expect(draftPage.status()).toBe(404)
    })
  } finally {
    // Nothing later offers the town to visitors: suspended, as an operator would.
    const sql = ownerSql()
    try {
      await sql`UPDATE tenants SET status = 'suspended' WHERE slug = ${THIRD}`
    } finally {
      await sql.end()
    }
  }
})
