import { expect, test, type Page } from './test'
import { expectNoAxeViolations } from './axe'

const PASSWORD = 'correct horse battery staple'

async function signUp(
  page: Page,
  options: { name: string; email: string; kind: string; organisation?: string },
) {
  await page.goto('/sign-up')
  await expectNoAxeViolations(page)
  await page.getByLabel('氏名').fill(options.name)
  await page.getByLabel('メールアドレス').fill(options.email)
  await page.getByLabel('パスワード', { exact: false }).first().fill(PASSWORD)
  await page.getByLabel('団体の種類').selectOption(options.kind)
  if (options.organisation) await page.getByLabel('団体名').fill(options.organisation)
  await page.getByRole('button', { name: '登録する' }).click()
  // The same answer as for an address that already has an account (issue 17): sign in next.
  await page.waitForURL('**/sign-in?signedUp=1')
  await expect(page.getByRole('status')).toContainText('お知らせを送りました')
  await signIn(page, options.email, PASSWORD)
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in')
  await page.getByLabel('メールアドレス').fill(email)
  await page.getByLabel('パスワード').fill(password)
  await page.getByRole('button', { name: 'ログイン', exact: true }).click()
  await page.waitForURL('**/account')
}

/**
 * Returns once the sign-out has been answered. `exact`: the signed-in nav's own link
 * "… さんがログイン中" contains ログイン, so a loose match passed at once and the next
 * page.goto raced the sign-out (and could land on a page rendered before it).
 */
async function signOut(page: Page) {
  const nav = page.getByRole('navigation', { name: 'アカウント' })
  await nav.getByRole('button', { name: 'ログアウト' }).click()
  await expect(nav.getByRole('link', { name: 'ログイン', exact: true })).toBeVisible()
  await expect(nav.getByRole('button', { name: 'ログアウト' })).toHaveCount(0)
}

test('a business signs up and sees both cities it can propose to', async ({ page }) => {
  const email = `owner-${Date.now()}@example.co.jp`
  await signUp(page, { name: '高橋 次郎', email, kind: 'corporation', organisation: '株式会社テスト' })
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('マイアカウント')
  await expect(page.getByRole('navigation', { name: 'アカウント' })).toContainText('高橋 次郎')
  const cities = page.getByRole('list', { name: '提案できる市' }).getByRole('link', { name: /に提案する$/ })
  await expect(cities).toHaveText(['青森市に提案する', '小松市に提案する'])
  await expect(page.getByText('個人の方は提案できません')).toHaveCount(0)
  await expectNoAxeViolations(page)

  await page.getByRole('link', { name: '株式会社テスト' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('株式会社テスト')
  await expect(page.getByRole('table', { name: '株式会社テスト のメンバー' })).toContainText(email)
  await expectNoAxeViolations(page)

  await page.goto('/account/settings')
  const sessions = page.getByRole('table', { name: '有効なセッション' })
  await expect(sessions).toContainText('このセッション')
  // The device in short (the test browser is Chromium on Linux); the full string when opened.
  const device = sessions.locator('details.device').first()
  await expect(device.locator('summary')).toHaveText('Chrome · Linux')
  await device.locator('summary').click()
  await expect(device.locator('code')).toHaveText(await page.evaluate(() => navigator.userAgent))
  await expectNoAxeViolations(page)
  await signOut(page)
})

test('an individual is told plainly that they cannot propose, and can still read the portals', async ({
  page,
}) => {
  await signUp(page, { name: '個人 花子', email: `person-${Date.now()}@example.jp`, kind: 'individual' })
  await expect(page.getByRole('heading', { name: '個人の方は提案できません' })).toBeVisible()
  await expect(page.getByText('この種類の団体からの提案を受け付けている市はありません。')).toBeVisible()
  await expectNoAxeViolations(page)
  const portal = await page.goto('/komatsu')
  expect(portal?.status()).toBe(200)
  await signOut(page)
})

test('sign-in errors are per field and in the visitor language, and a wrong password says nothing more', async ({
  page,
}) => {
  await page.goto('/sign-in')
  await page.getByRole('button', { name: 'ログイン', exact: true }).click()
  await expect(page.getByLabel('メールアドレス')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText('入力してください。').first()).toBeVisible()
  await expectNoAxeViolations(page)
  await page.getByLabel('メールアドレス').fill('biz1@example.com')
  await page.getByLabel('パスワード').fill('not the password')
  await page.getByRole('button', { name: 'ログイン', exact: true }).click()
  await expect(page.getByRole('alert')).toHaveText('メールアドレスまたはパスワードが正しくありません。')
})

test('a desk admin invites a department member, who accepts from the mail outbox and works in that city only', async ({
  page,
}) => {
  const invitee = `new-dept-${Date.now()}@komatsu.example.jp`
  await signIn(page, 'desk-admin@komatsu.example.jp', 'demo-pass-2026')
  await page.goto('/komatsu/desk/staff')
  await expectNoAxeViolations(page)
  const invite = page.getByRole('form', { name: '職員を招待する' })
  await invite.getByLabel('メールアドレス').fill(invitee)
  await invite.getByLabel('役割').selectOption('department_staff')
  await invite.getByLabel('部署').selectOption({ index: 1 })
  await invite.getByRole('button', { name: '招待を送る' }).click()
  await expect(page.getByRole('status')).toContainText(invitee)
  await expect(page.getByText(invitee)).toHaveCount(2)
  await signOut(page)

  await page.goto('/dev/mail')
  await expectNoAxeViolations(page)
  const mail = page.getByRole('article').filter({ hasText: invitee }).first()
  const body = await mail.locator('pre').innerText()
  const link = /https?:\/\/\S+\/komatsu\/invitation\/\S+/.exec(body)?.[0]
  expect(link).toBeTruthy()

  await page.goto(new URL(link!).pathname)
  await expect(page.getByRole('heading', { level: 1 })).toContainText('への招待')
  await expectNoAxeViolations(page)
  await page.getByLabel('氏名').fill('新人 三郎')
  await page.getByLabel('パスワード').fill(PASSWORD)
  await page.getByRole('button', { name: 'アカウントを作成して承諾する' }).click()
  await page.waitForURL('**/account*')
  const cities = page.getByRole('list', { name: '職員として所属する市' }).getByRole('listitem')
  await expect(cities).toHaveCount(1)
  await expect(cities.first()).toContainText('事業担当課')
  await signOut(page)

  // The link works once.
  await page.goto(new URL(link!).pathname)
  await expect(page.getByText('この招待は無効です', { exact: false })).toBeVisible()

  // Signing in again: that city only.
  await signIn(page, invitee, PASSWORD)
  await expect(page.getByRole('list', { name: '職員として所属する市' }).getByRole('listitem')).toHaveCount(1)
  expect((await page.goto('/aomori/desk/staff'))?.status()).toBe(403)
  // Department staff do not manage the desk's staff either.
  expect((await page.goto('/komatsu/desk/staff'))?.status()).toBe(403)
})

test('forgotten password: the reset link from the outbox works once and signs the user in', async ({
  page,
}) => {
  const email = `reset-${Date.now()}@example.co.jp`
  await signUp(page, { name: '再設定 太郎', email, kind: 'npo', organisation: 'NPO法人テスト' })
  await signOut(page)
  await page.goto('/forgot-password')
  await expectNoAxeViolations(page)
  await page.getByLabel('メールアドレス').fill(email)
  await page.getByRole('button', { name: 'リンクを送る' }).click()
  await expect(page.getByRole('status')).toContainText('リンクを送信しました')
  await page.goto('/dev/mail')
  const body = await page.getByRole('article').filter({ hasText: email }).first().locator('pre').innerText()
  const link = /https?:\/\/\S+\/reset-password\/\S+/.exec(body)?.[0]
  expect(link).toBeTruthy()
  await page.goto(new URL(link!).pathname)
  await expectNoAxeViolations(page)
  await page.getByLabel('新しいパスワード').fill('another long passphrase')
  await page.getByRole('button', { name: 'パスワードを設定する' }).click()
  await page.waitForURL('**/account')
  await signOut(page)
  await signIn(page, email, 'another long passphrase')
})

test('the session cookie is HttpOnly, SameSite=Lax, Secure and __Host- prefixed in production', async ({
  page,
  context,
}) => {
  await signIn(page, 'biz2@example.com', 'demo-pass-2026')
  const cookie = (await context.cookies()).find((c) => c.name === '__Host-session')
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' })
  // CSP with nonce still lets the forms' pages hydrate: client-side navigation works.
  await page.getByRole('link', { name: 'アカウント設定' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('アカウント設定')
  await signOut(page)
})
