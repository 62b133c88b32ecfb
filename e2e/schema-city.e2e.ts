import { expect, test, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { remixSettled, signIn, submitForm } from './session'
import { ownerSql, tenantsApply } from './harness/e2e-database'

/**
 * Issue 18: a city whose file uses every schema addition (e2e/fixtures/
 * tenants/fictional-village.yaml: requirement criteria, the no-agreement
 * outcome, SDG goals stored as numbers, codes, no role matrix, Japanese only)
 * is onboarded with `pnpm tenants:apply`, as an operator would from the
 * command line, against the e2e server's database; its portal shows no role
 * matrix; a business proposes to it through the form; the desk walks the
 * proposal to its end, a decision to go ahead with no agreement, and both
 * sides read the outcome by the village's word for it.
 *
 * The file sorts after operator.e2e.ts on purpose: that test counts the cities
 * of the operator console. The village is suspended at the end, so later
 * tests do not offer it to visitors.
 */

const FIXTURE = 'e2e/fixtures/tenants/fictional-village.yaml'
const SLUG = 'fictional-village'
const PASSWORD = 'village passphrase 2026'
const SHOTS = process.env.E2E_SCREENSHOTS

async function shots(page: Page, name: string) {
  if (!SHOTS) return
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 })
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      `${name} at ${width}`,
    ).toBeLessThanOrEqual(width)
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true })
  }
  await page.setViewportSize({ width: 1280, height: 900 })
}

test.describe.configure({ mode: 'serial', timeout: 240_000 })

test('a city using every schema addition is applied with tenants:apply, proposed to and walked to a decision with no agreement', async ({
  page,
  browser,
  baseURL,
}) => {
  const stamp = Date.now()
  const adminEmail = `village-admin-${stamp}@example.jp`
  const title = `村の見守りの協働 ${stamp}`
  const origin = baseURL ?? ''
  try {
    let invitation = ''
    await test.step('pnpm tenants:apply onboards the village, live, and invites its first desk admin', async () => {
      const applied = await tenantsApply([FIXTURE, '--live', '--admin-email', adminEmail], origin)
      expect(applied.stderr).toBe('')
      expect(applied.stdout).toContain(`new city: ${SLUG}`)
      expect(applied.stdout).toContain(`applied: ${SLUG} (live)`)
      invitation = new RegExp(`https?://\\S+/${SLUG}/invitation/\\S+`).exec(applied.stdout)?.[0] ?? ''
      expect(invitation).not.toBe('')
      // The running server picks the city up without a restart.
      await expect
        .poll(async () => (await page.request.get(`/${SLUG}`)).status(), { timeout: 20_000 })
        .toBe(200)
    })

    await test.step('the portal shows only what the file has: no role matrix, the form’s options by label', async () => {
      await page.goto(`/${SLUG}`)
      await expect(page.locator('.portal-header')).toContainText('架空村')
      const menu = page.getByRole('navigation', { name: /のメニュー$/ })
      await expect(menu.getByRole('link', { name: '連携手法', exact: true })).toBeVisible()
      await expect(menu).not.toContainText('役割分担')
      await shots(page, 'village-home')
      await page.goto(`/${SLUG}/methods`)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('連携手法')
      const main = page.getByRole('main')
      await expect(main.getByRole('heading', { name: /役割分担/ })).toHaveCount(0)
      await expect(main).not.toContainText('主担当')
      await expect(main.locator('table.role-matrix')).toHaveCount(0)
      await expect(main).toContainText('協定を結ばない協働')
      await expectNoAxeViolations(page)
      await shots(page, 'village-methods')
      await page.goto(`/${SLUG}/how-to-propose`)
      await expect(page.getByRole('main')).toContainText('目標13 気候変動に具体的な対策を')
      await expect(page.getByRole('main')).not.toContainText('role')
      // The one field the village's file marks as the platform's is said to be the portal's setting.
      const scale = page.locator('.field-list > div').filter({ hasText: '事業の規模' })
      await expect(scale.locator('.badge--platform')).toHaveText('ポータルの設定')
      await expect(page.locator('.field-list .badge--platform')).toHaveCount(1)
      await expectNoAxeViolations(page)
      await shots(page, 'village-how-to-propose')
    })

    await test.step('the first desk admin accepts the invitation', async () => {
      const admin = await (await browser.newContext()).newPage()
      await admin.goto(new URL(invitation).pathname)
      await admin.getByLabel('氏名').fill('架空 花子')
      await admin.getByLabel('パスワード').fill(PASSWORD)
      await admin.getByRole('button', { name: 'アカウントを作成して承諾する' }).click()
      await admin.waitForURL('**/account*')
      await admin.context().close()
    })

    let proposerUrl = ''
    await test.step('a business proposes: a requirement to confirm, SDG goals chosen by label', async () => {
      await signIn(page, 'biz1@example.com')
      await page.goto(`/proposals/new?city=${SLUG}`)
      await expect(page.getByRole('heading', { name: '架空村への提案' })).toBeVisible()
      // Requirements are confirmed in their own words (the desk still judges the one it decides).
      const requirements = page.getByRole('group', { name: '提案できる要件の確認' }).getByRole('checkbox')
      await expect(requirements).toHaveCount(2)
      await expect(requirements.nth(0)).toHaveAccessibleName('反社会的勢力でないこと')
      await expect(requirements.nth(1)).toHaveAccessibleName('村内で事業を実施できること')
      await page.locator(`[name="${SLUG}.title"]`).fill(title)
      await page.locator(`[name="${SLUG}.content"]`).fill('高齢者の見守りを村と協働で行います。')
      const goals = page.getByRole('group', { name: '関連するSDGsの目標' })
      await goals.getByRole('checkbox', { name: '目標3 すべての人に健康と福祉を' }).check()
      await goals.getByRole('checkbox', { name: '目標11 住み続けられるまちづくりを' }).check()
      await page.locator(`[name="${SLUG}.scale"]`).selectOption({ label: '村全体' })
      for (const box of await requirements.all()) await box.check()
      await page.getByRole('button', { name: '確認画面へ' }).click()
      const preview = page.getByRole('region', { name: '入力内容の確認' })
      await expect(preview).toContainText('目標3 すべての人に健康と福祉を、目標11 住み続けられるまちづくりを')
      await expect(preview).toContainText('村全体')
      await expect(preview).not.toContainText('S-2')
      await page.getByRole('button', { name: '1市に提案する' }).click()
      await page.waitForURL('**/proposals?submitted=*')
      await expect(page.getByRole('status')).toContainText('FCV-')
      await page.getByRole('link', { name: title }).click()
      await page.waitForURL(`**/proposals/${SLUG}/*`)
      proposerUrl = page.url()
    })

    await test.step('the desk walks it to its end: accepted, then decided with no agreement', async () => {
      await signIn(page, adminEmail, PASSWORD)
      await page.goto(`/${SLUG}/desk?q=${encodeURIComponent(title)}`)
      await page.getByRole('link', { name: title }).click()
      const answers = page.getByRole('region', { name: '提案の内容' })
      await expect(answers).toContainText('目標3 すべての人に健康と福祉を、目標11 住み続けられるまちづくりを')
      await expect(answers).toContainText('村全体')
      await submitForm(page, '受け付けて検討する', page.getByRole('form', { name: '受け付けて検討する' }))
      const decide = page.getByRole('form', { name: '協定を結ばずに実施することに決める' })
      await decide.getByLabel('判断の根拠').fill('村内の見守り体制の強化に資するため。')
      await decide.getByLabel('連携の方法').selectOption({ label: '協定によらない協働' })
      await submitForm(page, '協定を結ばずに実施することに決める', decide)
      const status = page.getByRole('region', { name: '状況' })
      await expect(status).toContainText('協定を結ばずに実施を決定')
      // The outcome by the village's word, not the platform's and not an id.
      await expect(status).toContainText('協定を結ばない協働')
      await expect(status).not.toContainText('協定なし')
      await expect(status).not.toContainText('no_agreement')
      await expect(page.getByRole('region', { name: '操作' })).toHaveCount(0)
      await expectNoAxeViolations(page)
      await shots(page, 'village-desk-proposal')
    })

    await test.step('the proposer reads the decision and its outcome by label', async () => {
      await signIn(page, 'biz1@example.com')
      await page.goto(proposerUrl)
      const facts = page.locator('dl.facts').first()
      await expect(facts).toContainText('協定を結ばずに実施を決定')
      await expect(facts).toContainText('協定を結ばない協働')
      await expect(page.getByRole('region', { name: '提出した内容' })).toContainText(
        '目標11 住み続けられるまちづくりを',
      )
      await expectNoAxeViolations(page)
      await shots(page, 'village-proposer')
    })

    await test.step('the desk admin is asked to confirm the values that are not the village’s word', async () => {
      await signIn(page, adminEmail, PASSWORD)
      await page.goto(`/${SLUG}/desk/dashboard`)
      const section = page.getByRole('region', { name: 'ガイドラインにない値の確認' })
      await expect(section.getByRole('row', { name: /forms\[proposal\]\.fields\[scale\]/ })).toContainText(
        '事業の規模',
      )
      await expect(section.getByRole('rowheader', { name: 'earlyAnswerTargetDays' })).toBeVisible()
      // The village words its no-agreement outcome itself: nothing to confirm there.
      await expect(section.getByRole('rowheader', { name: 'noAgreement' })).toHaveCount(0)
      await remixSettled(page)
      await shots(page, 'village-dashboard')
    })
  } finally {
    // Later tests count the cities offered to visitors: the village is suspended, as an operator would.
    const sql = ownerSql()
    try {
      await sql`UPDATE tenants SET status = 'suspended' WHERE slug = ${SLUG}`
    } finally {
      await sql.end()
    }
  }
})
