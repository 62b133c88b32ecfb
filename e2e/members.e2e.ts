import { expect, test, type Browser, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { expectTableRowsAligned } from './layout'
import { signIn } from './session'

/**
 * Invitations by email link in a real browser: an organisation's owner
 * invites a member, who accepts from the mail outbox and sees the
 * organisation; a desk admin cancels an invitation (its link then says so)
 * and resends another (only the newest link works). Every new page is checked
 * with axe in Japanese and in English.
 */

const PASSWORD = 'correct horse battery staple'
const SHOTS = process.env.E2E_SCREENSHOTS

async function shot(page: Page, name: string) {
  if (!SHOTS) return
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 })
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true })
  }
}

/** axe in Japanese, then in English (the language switch in the header), back to Japanese. */
async function expectAccessibleInBothLanguages(page: Page, name: string) {
  await expectNoAxeViolations(page)
  await shot(page, `${name}-ja`)
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expectNoAxeViolations(page)
  await shot(page, `${name}-en`)
  await page.getByRole('button', { name: '日本語' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
}

/** The newest link of this kind in the mail outbox for this address. */
async function linkFromOutbox(browser: Browser, to: string, path: string): Promise<string> {
  const page = await (await browser.newContext()).newPage()
  await page.goto('/dev/mail')
  const body = await page.getByRole('article').filter({ hasText: to }).first().locator('pre').innerText()
  await page.context().close()
  const link = new RegExp(`https?://\\S+${path}\\S+`).exec(body)?.[0]
  expect(link, `a link for ${to}`).toBeTruthy()
  return new URL(link!).pathname
}

test.describe.configure({ timeout: 120_000 })

test('an owner invites a member, who accepts and sees the organisation', async ({ page, browser }) => {
  const invitee = `member-${Date.now()}@example.co.jp`
  await signIn(page, 'biz1@example.com')
  const organisationLink = page.getByRole('main').locator('a[href^="/organisations/"]').first()
  const organisationName = (await organisationLink.innerText()).trim()
  await page.goto((await organisationLink.getAttribute('href'))!)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(organisationName)
  await expectTableRowsAligned(page)
  const invite = page.getByRole('form', { name: 'メンバーを招待する' })
  await invite.getByLabel('メールアドレス').fill(invitee)
  await invite.getByLabel('役割').selectOption('member')
  await invite.getByRole('button', { name: '招待を送る' }).click()
  await expect(page.getByRole('status')).toContainText(invitee)
  const pending = page.getByRole('listitem').filter({ hasText: invitee })
  await expect(pending).toContainText('メンバー')
  await expect(pending.getByRole('button', { name: `${invitee} への招待を再送する` })).toBeVisible()
  await expectAccessibleInBothLanguages(page, 'organisation-owner')

  const link = await linkFromOutbox(browser, invitee, '/organisations/invitation/')
  const guest = await (await browser.newContext()).newPage()
  await guest.goto(link)
  await expect(guest.getByRole('heading', { level: 1 })).toHaveText('団体への招待')
  await expect(guest.getByText(organisationName, { exact: false }).first()).toBeVisible()
  await expectAccessibleInBothLanguages(guest, 'member-invitation')
  await guest.getByLabel('氏名').fill('招待 花子')
  await guest.getByLabel('パスワード').fill(PASSWORD)
  await guest.getByRole('button', { name: 'アカウントを作成して承諾する' }).click()
  await guest.waitForURL('**/organisations/**')
  await expect(guest.getByRole('heading', { level: 1 })).toHaveText(organisationName)
  await expect(guest.getByRole('status')).toContainText(`${organisationName} に参加しました`)
  await expect(guest.getByRole('table')).toContainText('招待 花子')
  // A plain member reads the profile and may leave, but manages nothing.
  await expect(guest.getByRole('form', { name: 'メンバーを招待する' })).toHaveCount(0)
  await expectAccessibleInBothLanguages(guest, 'organisation-member')
  await guest.goto('/account')
  await expect(guest.getByRole('main')).toContainText(organisationName)

  // The link works once.
  await guest.goto(link)
  await expect(guest.getByRole('alert')).toContainText('すでに承諾されています')
  await guest.context().close()

  // The owner sees the new member, and no invitation waiting for them.
  await page.reload()
  await expect(page.getByRole('table')).toContainText(invitee)
  await expect(page.getByRole('listitem').filter({ hasText: invitee })).toHaveCount(0)
})

test('a desk admin cancels one invitation and resends another: only the newest link works', async ({
  page,
  browser,
}) => {
  const stamp = Date.now()
  const cancelled = `cancelled-${stamp}@komatsu.example.jp`
  const resent = `resent-${stamp}@komatsu.example.jp`
  await signIn(page, 'desk-admin@komatsu.example.jp')
  await page.goto('/komatsu/desk/staff')
  await expectTableRowsAligned(page)
  const invite = page.getByRole('form', { name: '職員を招待する' })
  for (const email of [cancelled, resent]) {
    await invite.getByLabel('メールアドレス').fill(email)
    await invite.getByLabel('役割').selectOption('desk_staff')
    await invite.getByRole('button', { name: '招待を送る' }).click()
    await expect(page.getByRole('status')).toContainText(email)
  }
  await expectAccessibleInBothLanguages(page, 'desk-staff')

  const cancelledLink = await linkFromOutbox(browser, cancelled, '/komatsu/invitation/')
  await page.getByRole('button', { name: `${cancelled} への招待を取り消す` }).click()
  await expect(page.getByRole('status')).toHaveText(
    '招待を取り消しました。送ったリンクは使えなくなりました。',
  )
  await expect(page.getByRole('listitem').filter({ hasText: cancelled })).toHaveCount(0)

  const firstLink = await linkFromOutbox(browser, resent, '/komatsu/invitation/')
  await page.getByRole('button', { name: `${resent} への招待を再送する` }).click()
  await expect(page.getByRole('status')).toContainText(resent)
  await expect(page.getByRole('listitem').filter({ hasText: resent })).toHaveCount(1)
  const secondLink = await linkFromOutbox(browser, resent, '/komatsu/invitation/')
  expect(secondLink).not.toBe(firstLink)

  const guest = await (await browser.newContext()).newPage()
  for (const link of [cancelledLink, firstLink]) {
    await guest.goto(link)
    await expect(guest.getByRole('alert')).toContainText('取り消されたか、新しい招待に置き換えられました')
    await expect(guest.getByRole('button', { name: 'アカウントを作成して承諾する' })).toHaveCount(0)
  }
  await expectAccessibleInBothLanguages(guest, 'invitation-revoked')
  await guest.goto(secondLink)
  await guest.getByLabel('氏名').fill('再送 次郎')
  await guest.getByLabel('パスワード').fill(PASSWORD)
  await guest.getByRole('button', { name: 'アカウントを作成して承諾する' }).click()
  await guest.waitForURL('**/account*')
  await expect(guest.getByRole('list', { name: '職員として所属する市' })).toContainText('小松市')
  await guest.context().close()
})

test('a desk admin disables a staff account: its open session is refused on its next request, and it cannot sign in', async ({
  page,
  browser,
}) => {
  const member = 'dept-staff@komatsu.example.jp'
  // The member is signed in and working in another browser.
  const other = await (await browser.newContext()).newPage()
  await signIn(other, member)
  await other.goto('/komatsu/desk')
  await expect(other).toHaveURL(/\/komatsu\/desk/)

  await signIn(page, 'desk-admin@komatsu.example.jp')
  await page.goto('/komatsu/desk/staff')
  const row = page.getByRole('row').filter({ hasText: member })
  await row.getByRole('button', { name: /アカウントを無効化/ }).click()
  await expect(page.getByRole('status')).toHaveText('アカウントを無効化し、そのセッションを終了しました。')
  await expect(row).toContainText('無効')
  // The admin's own row offers no way to disable themselves.
  await expect(
    page
      .getByRole('row')
      .filter({ hasText: 'desk-admin@komatsu.example.jp' })
      .getByRole('button', { name: /無効化/ }),
  ).toHaveCount(0)
  await expectAccessibleInBothLanguages(page, 'desk-staff-disabled')

  try {
    // The member's next page load lands on sign-in.
    await other.goto('/komatsu/desk')
    await expect(other).toHaveURL(/\/sign-in/)
    // Signing in again with the right password says the account is disabled.
    await other.getByLabel('メールアドレス').fill(member)
    await other.getByLabel('パスワード').fill('demo-pass-2026')
    await other.getByRole('button', { name: 'ログイン', exact: true }).click()
    await expect(other.getByRole('alert')).toContainText(
      'このアカウントは無効化されているため、サインインできません。',
    )
    await expectNoAxeViolations(other)
  } finally {
    // Re-enabled, so the other specs keep their demo account.
    await row.getByRole('button', { name: /アカウントを再び有効化/ }).click()
    await expect(page.getByRole('status')).toHaveText('アカウントを再び有効化しました。')
    await other.context().close()
  }
  // Re-enabled, the account signs in again.
  const again = await (await browser.newContext()).newPage()
  await signIn(again, member)
  await again.context().close()
})
