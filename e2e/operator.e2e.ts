import { readFile } from 'node:fs/promises'
import { expect, test, type Browser, type Page } from './test'
import { sql } from 'drizzle-orm'
import { parseTenantSource } from '@desk/tenant-config'
import { readProposerProposalPage } from '../app/operations/proposals/testing.server'
import { submitProposal } from '../app/operations/proposals/submit-proposal.server'
import { transitionProposal } from '../app/operations/proposals/transition-proposal.server'
import { totpCode, totpStep } from '../app/operations/operator/totp.server'
import { locales, wordsOf } from './locale-words'
import { closeRuntimeDb, createRuntimeDb, type RuntimeDb } from '../db/runtime'
import { withTenant, type TenantContext } from '../db/tenant-context'
import { expectNoAxeViolations } from './axe'
import { pa11yErrors } from './pa11y'
import { corruptedPages, crawlPublicPages, visitorIn } from './public-pages'

/**
 * Issue 10 in a real browser: the operator signs in with a second factor,
 * applies the third city's file from the console, previews the draft, makes it
 * live; its first desk admin joins from the invitation; a business signs up
 * and proposes there and is answered; then the operator suspends and resumes
 * the city.
 *
 * The proposal itself goes through the proposal operations (the proposal form
 * is being built in parallel), on the e2e server's database as the runtime role.
 */

const FIXTURE = 'e2e/fixtures/tenants/sample-town.yaml'
const SLUG = 'sample-town'
const PASSWORD = 'correct horse battery staple'
const SHOTS = process.env.E2E_SCREENSHOTS

/** The e2e server's embedded cluster, as the role the web server uses (e2e/global-setup.ts). */
function runtimeDatabase(): RuntimeDb {
  const port = process.env.E2E_PG_PORT ?? '54331'
  return createRuntimeDb(`postgres://desk_app:e2e-runtime-password@127.0.0.1:${port}/desk`, { max: 2 })
}

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in')
  await page.getByLabel('メールアドレス').fill(email)
  await page.getByLabel('パスワード').fill(password)
  await page.getByRole('button', { name: 'ログイン', exact: true }).click()
}

async function anonymousPage(browser: Browser) {
  return (await browser.newContext()).newPage()
}

/**
 * On an English page: the texts marked with another language (the language
 * switch's own name aside), and the Japanese words outside any such mark.
 */
async function textsInOtherLanguages(page: Page): Promise<{ marked: string[]; unmarked: string[] }> {
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  return page.evaluate(() => {
    const japanese = /[\u3040-\u30ff\u3400-\u9fff]/
    const marked = [...document.body.querySelectorAll('[lang]:not(button)')].map(
      (element) => element.textContent ?? '',
    )
    const unmarked: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? ''
      if (!japanese.test(text) || node.parentElement?.closest('script, style')) continue
      if (node.parentElement?.closest('[lang]')?.getAttribute('lang') !== 'ja') unmarked.push(text)
    }
    return { marked, unmarked }
  })
}

function cityRow(page: Page) {
  return page.locator(`tr[data-city="${SLUG}"]`)
}

test.describe.configure({ mode: 'serial', timeout: 180_000 })

test('the operator onboards a third city from its file, a business proposes there, and the city is suspended and resumed', async ({
  page,
  browser,
  playwright,
}) => {
  const db = runtimeDatabase()
  const stamp = Date.now()
  const adminEmail = `town-admin-${stamp}@example.jp`
  const businessEmail = `town-business-${stamp}@example.co.jp`
  try {
    await test.step('the operator signs in and enrols a TOTP second factor', async () => {
      await signIn(page, 'operator@example.com', 'demo-pass-2026')
      await page.waitForURL('**/operator/verify**')
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('二要素認証')
      await expectNoAxeViolations(page)
      await shot(page, 'operator-verify')
      // The console refuses the session until the second factor is given.
      await page.goto('/operator')
      await page.waitForURL('**/operator/verify**')
      const secret = (await page.getByTestId('totp-secret').innerText()).trim()
      await page.getByLabel('6桁のコード').fill(totpCode(secret, totpStep()))
      await page.getByRole('button', { name: '確認して設定を完了する' }).click()
      await page.waitForURL(/\/operator$/)
    })

    await test.step('the console lists every city with numbers only', async () => {
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('自治体')
      const table = page.getByRole('table', { name: '自治体ごとの状態・設定・稼働状況' })
      await expect(table.locator('tbody tr')).toHaveCount(2)
      await expect(table).toContainText('公開中')
      await expect(table).toContainText('有効・適用中')
      await expectNoAxeViolations(page)
      await shot(page, 'operator-console')
    })

    await test.step('the operator disables an account by its e-mail: its open session ends at once; re-enabled', async () => {
      const member = await anonymousPage(browser)
      await signIn(member, 'biz2@example.com', 'demo-pass-2026')
      await member.waitForURL('**/account')
      await page
        .getByRole('navigation', { name: '運営者コンソール' })
        .getByRole('link', { name: 'アカウント', exact: true })
        .click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('アカウント')
      await page.getByLabel('メールアドレス').fill('BIZ2@example.com')
      await page.getByRole('button', { name: '探す' }).click()
      await page.getByRole('button', { name: /アカウントを無効化/ }).click()
      await expect(page.getByRole('status')).toHaveText(
        'アカウントを無効化し、そのセッションを終了しました。',
      )
      await expect(page.getByRole('button', { name: /アカウントを再び有効化/ })).toBeVisible()
      await expectNoAxeViolations(page)
      await shot(page, 'operator-account-disabled')
      await member.goto('/account')
      await member.waitForURL('**/sign-in**')
      await page.getByRole('button', { name: /アカウントを再び有効化/ }).click()
      await expect(page.getByRole('status')).toHaveText('アカウントを再び有効化しました。')
      await member.context().close()
    })

    await test.step('a search that is not an e-mail address is refused at its field (400), in Japanese and English', async () => {
      for (const locale of locales) {
        const words = wordsOf(locale, 'operator').accounts
        await page.request.post('/locale', {
          form: { locale, redirectTo: '/' },
          headers: { Origin: new URL(page.url()).origin },
        })
        const response = await page.goto('/operator/accounts?email=not-an-address')
        expect(response?.status()).toBe(400)
        const field = page.getByRole('textbox', { name: words.email })
        await expect(field).toHaveAttribute('aria-invalid', 'true')
        await expect(field).toHaveValue('not-an-address')
        await expect(page.locator('#account-email-error')).toHaveText(
          wordsOf(locale, 'auth').validation.email,
        )
        await expect(page.getByRole('alert')).toContainText(words.email)
        await expect(page.getByRole('button', { name: /無効化|Disable/ })).toHaveCount(0)
        await expectNoAxeViolations(page)
      }
      // Back to Japanese for the steps after.
      await page.request.post('/locale', {
        form: { locale: 'ja', redirectTo: '/' },
        headers: { Origin: new URL(page.url()).origin },
      })
      await page.goto('/operator/accounts')
    })

    await test.step('the operator applies the file: validation, dry-run plan, then a draft city', async () => {
      await page
        .getByRole('navigation', { name: '運営者コンソール' })
        .getByRole('link', { name: 'テナントファイルの適用' })
        .click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('テナントファイルの適用')
      await expectNoAxeViolations(page)
      await page.getByLabel('テナントファイル（YAML）').setInputFiles(FIXTURE)
      await page.getByLabel('最初のデスク管理者のメールアドレス（任意）').fill(adminEmail)
      await page.getByRole('button', { name: '検証して計画を表示' }).click()
      await expect(page.getByRole('heading', { name: `${SLUG} の変更計画（ドライラン）` })).toBeVisible()
      await expect(page.getByText('新しい自治体を下書きとして作成します。')).toBeVisible()
      await expect(page.getByText('追加される段階：', { exact: false })).toContainText('manager_approval')
      await expectNoAxeViolations(page)
      await shot(page, 'operator-plan')
      await page.getByRole('button', { name: 'この計画を適用する' }).click()
      await expect(page.getByRole('status')).toContainText(`${SLUG}を適用しました（下書き）`)
      await expect(page.getByRole('status')).toContainText(adminEmail)
    })

    await test.step('the draft portal is a preview for the operator and a 404 for everyone else', async () => {
      await page.getByRole('link', { name: `${SLUG}のポータルをプレビュー` }).click()
      await expect(page.getByRole('note')).toContainText('下書きの自治体のプレビューです')
      await expect(page.locator('.portal-header')).toContainText('見本町')
      await shot(page, 'operator-preview')
      const visitor = await anonymousPage(browser)
      expect((await visitor.goto(`/${SLUG}`))?.status()).toBe(404)
      await visitor.goto('/')
      await expect(visitor.getByRole('main')).not.toContainText('見本町')
      await visitor.context().close()
    })

    await test.step('the operator makes the city live: its portal appears without a restart', async () => {
      await page.goto('/operator')
      await cityRow(page).getByRole('button', { name: '公開する' }).click()
      await expect(page.getByRole('status')).toContainText('見本町を公開しました')
      await expect(cityRow(page)).toContainText('公開中')
      const visitor = await anonymousPage(browser)
      expect((await visitor.goto(`/${SLUG}`))?.status()).toBe(200)
      await expect(visitor.getByRole('note')).toHaveCount(0)
      await visitor.goto('/')
      await expect(visitor.getByRole('main')).toContainText('見本町')
      // English is a fallback locale of this city: the untranslated purpose shows in Japanese.
      await visitor.goto(`/${SLUG}`)
      await visitor.getByRole('button', { name: 'English' }).click()
      await expect(visitor.getByRole('main')).toContainText('町の暮らしを事業者とともに支えます。')
      await expect(visitor.getByRole('main')).toContainText('Sample Town')
      // The Japanese text carries its language, and no other text claims to be Japanese.
      expect(await textsInOtherLanguages(visitor)).toEqual({
        marked: ['町の暮らしを事業者とともに支えます。'],
        unmarked: [],
      })
      await visitor.context().close()
    })

    await test.step('the first desk admin accepts the invitation from the mail outbox', async () => {
      const admin = await anonymousPage(browser)
      await admin.goto('/dev/mail')
      const body = await admin
        .getByRole('article')
        .filter({ hasText: adminEmail })
        .first()
        .locator('pre')
        .innerText()
      const link = new RegExp(`https?://\\S+/${SLUG}/invitation/\\S+`).exec(body)?.[0]
      expect(link).toBeTruthy()
      await admin.goto(new URL(link!).pathname)
      await admin.getByLabel('氏名').fill('見本 花子')
      await admin.getByLabel('パスワード').fill(PASSWORD)
      await admin.getByRole('button', { name: 'アカウントを作成して承諾する' }).click()
      await admin.waitForURL('**/account*')
      await expect(admin.getByRole('list', { name: '職員として所属する市' })).toContainText('見本町')
      await admin.context().close()
    })

    const proposerOf = { email: businessEmail }
    await test.step('a business signs up and proposes to the third city, and the desk answers', async () => {
      const business = await anonymousPage(browser)
      await business.goto('/sign-up')
      await business.getByLabel('氏名').fill('町田 一郎')
      await business.getByLabel('メールアドレス').fill(businessEmail)
      await business.getByLabel('パスワード', { exact: false }).first().fill(PASSWORD)
      await business.getByLabel('団体の種類').selectOption('corporation')
      await business.getByLabel('団体名').fill('株式会社まちだ')
      await business.getByRole('button', { name: '登録する' }).click()
      await business.waitForURL('**/sign-in?signedUp=1')
      await business.getByLabel('メールアドレス').fill(businessEmail)
      await business.getByLabel('パスワード').fill(PASSWORD)
      await business.getByRole('button', { name: 'ログイン', exact: true }).click()
      await business.waitForURL('**/account')
      await expect(business.getByRole('list', { name: '提案できる市' })).toContainText('見本町')
      await business.context().close()

      const system: TenantContext = { tenantId: null, userId: null, actor: 'system' }
      const userIdOf = async (email: string) =>
        (
          await withTenant(db, system, (tx) =>
            tx.execute<{ id: string }>(sql`select id from find_user_for_sign_in(${email})`),
          )
        )[0]!.id
      const businessId = await userIdOf(proposerOf.email)
      const adminId = await userIdOf(adminEmail)
      const [organisation] = await withTenant(
        db,
        { tenantId: null, userId: businessId, actor: 'proposer' },
        (tx) =>
          tx.execute<{ organisation_id: string }>(
            sql`select organisation_id from organisation_members where user_id = ${businessId}`,
          ),
      )
      const [city] = await withTenant(db, { tenantId: null, userId: null, actor: 'public' }, (tx) =>
        tx.execute<{ id: string }>(sql`select id from tenants where slug = ${SLUG}`),
      )
      const loaded = parseTenantSource(await readFile(FIXTURE, 'utf8'), FIXTURE)
      if (!loaded.ok) throw new Error('the fixture is invalid')
      const tenant = {
        id: city!.id,
        config: loaded.tenant.config,
        configVersion: loaded.tenant.contentVersion,
      }

      const { proposal } = await submitProposal(db, {
        tenant,
        actor: { kind: 'proposer', userId: businessId },
        proposal: {
          organisationId: organisation!.organisation_id,
          proposalTypeId: 'pilot',
          trackId: 'town_pilot',
        },
        idempotencyKey: `e2e-${stamp}`,
        answers: { title: '朝市の試行', participants: 40 },
        acknowledgedNoteIds: ['no_compensation'],
      })
      expect(proposal.referenceCode).toMatch(/^SMT-\d{4}-\d{4}$/)
      let version = proposal.version
      for (const [transitionId, input] of [
        ['request_approval', { collaborationMethod: 'informal' }],
        ['approve', { decision: { grounds: '町の賑わいづくりに資するため。' } }],
      ] as const) {
        const moved = await transitionProposal(db, {
          tenant,
          actor: { kind: 'staff', userId: adminId },
          proposalId: proposal.id,
          transitionId,
          input,
          expectedVersion: version,
        })
        version = moved.proposal.version
      }
      const { status } = await readProposerProposalPage(db, {
        tenant,
        actor: { kind: 'proposer', userId: businessId },
        proposalId: proposal.id,
        locale: 'ja',
      })
      expect(status).toMatchObject({ stepLabel: '実施' })
    })

    await test.step('the console shows the new city’s numbers', async () => {
      await page.goto('/operator')
      // Each state by the name the city's file gives it, not its id.
      await expect(cityRow(page)).toContainText('実施: 1 件')
      await expect(cityRow(page)).not.toContainText('implementation')
      await expect(cityRow(page)).toContainText('合計 1 件')
      await expect(cityRow(page).locator('td').nth(2)).toHaveText('1')
      await expectNoAxeViolations(page)
      await shot(page, 'operator-console-live')
    })

    await test.step('suspended: the portal shows a notice, city sign-ins are refused; resumed: back to normal', async () => {
      await cityRow(page).getByRole('button', { name: '停止する' }).click()
      await expect(page.getByRole('status')).toContainText('見本町を停止しました')
      await expect(cityRow(page)).toContainText('停止中')
      await expectNoAxeViolations(page)
      await shot(page, 'operator-console-suspended')

      const visitor = await anonymousPage(browser)
      await visitor.goto(`/${SLUG}`)
      await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('この公民連携デスクは停止中です')
      await expectNoAxeViolations(visitor)
      await shot(visitor, 'portal-suspended')
      await signIn(visitor, adminEmail, PASSWORD)
      await expect(visitor.getByRole('alert')).toContainText('一時停止中のため、職員はサインインできません')
      await visitor.context().close()

      await cityRow(page).getByRole('button', { name: '再開する' }).click()
      await expect(page.getByRole('status')).toContainText('見本町を再開しました')
      const again = await anonymousPage(browser)
      await signIn(again, adminEmail, PASSWORD)
      await again.waitForURL('**/account')
      await again.goto(`/${SLUG}`)
      await expect(again.getByRole('heading', { level: 1 })).not.toHaveText('この公民連携デスクは停止中です')
      await again.context().close()
    })

    await test.step('every public page of the fixture city is served intact and pa11y finds no error, in ja and en', async () => {
      const origin = new URL(page.url()).origin
      for (const locale of ['ja', 'en'] as const) {
        const visitor = await visitorIn(playwright, origin, locale)
        const pages = await crawlPublicPages(visitor, [SLUG], { onlyCities: true })
        expect(pages.map((visited) => visited.path)).toContain(`/${SLUG}/how-to-propose`)
        expect(corruptedPages(pages)).toEqual([])
        const live = pages.filter((visited) => visited.status === 200).map((visited) => visited.path)
        expect(await pa11yErrors(origin, live, visitor)).toEqual([])
        if (locale === 'en') {
          // Every Japanese text of an English page is marked lang="ja" (the purpose, the only untranslated text).
          const reader = await (await browser.newContext({ baseURL: origin })).newPage()
          await reader.context().request.post('/locale', {
            form: { locale: 'en', redirectTo: '/' },
            headers: { Origin: origin },
          })
          for (const path of live) {
            await reader.goto(path)
            const texts = await textsInOtherLanguages(reader)
            expect(texts.unmarked, path).toEqual([])
            expect(texts.marked, path).toEqual(
              path === `/${SLUG}` ? ['町の暮らしを事業者とともに支えます。'] : [],
            )
          }
          await reader.context().close()
        }
        await visitor.dispose()
      }
    })
  } finally {
    // Other e2e files count the cities offered to visitors: leave the fixture city out of their lists.
    await page.goto('/operator')
    const suspend = cityRow(page).getByRole('button', { name: '停止する' })
    if (await suspend.count()) await suspend.click()
    await closeRuntimeDb(db)
  }
})
