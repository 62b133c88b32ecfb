import { expect, test, type Browser, type Page } from './test'
import { DEMO_PASSWORD, inEnglish } from './session'

/**
 * Without JavaScript, a form the server refuses comes back with what was
 * typed (issue 19): the page rendered from the action's answer shows the error
 * summary in the reader's language and every answer again, but never the
 * password. Sign-up (anonymous) and a desk admin's staff invitation, in ja and
 * en; the pages after the refusal go to E2E_SCREENSHOTS at 390 and 1280 px.
 */

const SHOTS = process.env.E2E_SCREENSHOTS

async function shot(page: Page, name: string) {
  // No sideways scroll on a phone, refusal shown.
  await page.setViewportSize({ width: 390, height: 900 })
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  if (!SHOTS) return
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 })
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true })
  }
}

/** A browser page with JavaScript off, in `locale`. */
async function withoutJavaScript(browser: Browser, locale: 'ja' | 'en') {
  const context = await browser.newContext({ javaScriptEnabled: false })
  const page = await context.newPage()
  await page.goto('/')
  if (locale === 'en') await inEnglish(page)
  return page
}

const words = {
  ja: {
    summary: '入力内容に誤りがあります。',
    displayName: '氏名',
    email: 'メールアドレス',
    password: 'パスワード',
    organisationName: '団体名',
    signUp: '登録する',
    emailMessage: 'name@example.jp のような形式でメールアドレスを入力してください。',
    invite: '職員を招待する',
    role: '役割',
    send: '招待を送る',
    signIn: 'ログイン',
    profile: '団体情報',
    corporateNumber: '法人番号',
    saveProfile: '団体情報を保存する',
    corporateNumberMessage: '法人番号は13桁の数字です',
  },
  en: {
    summary: 'Some entries need correcting.',
    displayName: 'Your name',
    email: 'E-mail address',
    password: 'Password',
    organisationName: 'Name of the organisation',
    signUp: 'Create the account',
    emailMessage: 'Please enter an e-mail address such as name@example.jp.',
    invite: 'Invite someone',
    role: 'Role',
    send: 'Send the invitation',
    signIn: 'Sign in',
    profile: 'Profile',
    corporateNumber: 'Corporate number (法人番号)',
    saveProfile: 'Save the profile',
    corporateNumberMessage: 'A corporate number has 13 digits',
  },
} as const

for (const locale of ['ja', 'en'] as const) {
  const say = words[locale]

  test(`sign-up without JavaScript (${locale}): a bad address comes back with every answer but the password`, async ({
    browser,
  }) => {
    const page = await withoutJavaScript(browser, locale)
    await page.goto('/sign-up')
    await page.getByLabel(say.displayName).fill('山田 花子')
    await page.getByLabel(say.email).fill('hanako@')
    await page.getByLabel(say.password, { exact: false }).first().fill('a long enough passphrase')
    await page.getByLabel(say.organisationName).fill('山田デザイン事務所')
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.getByRole('button', { name: say.signUp }).click(),
    ])
    expect(answer.status()).toBe(400)
    await expect(page.locator('.error-summary')).toContainText(say.summary)
    await expect(page.locator('#email-error')).toHaveText(say.emailMessage)
    await expect(page.getByLabel(say.displayName)).toHaveValue('山田 花子')
    await expect(page.getByLabel(say.email)).toHaveValue('hanako@')
    await expect(page.getByLabel(say.organisationName)).toHaveValue('山田デザイン事務所')
    await expect(page.getByLabel(say.password, { exact: false }).first()).toHaveValue('')
    await shot(page, `form-echo-sign-up-${locale}`)
    await page.context().close()
  })

  test(`a staff invitation without JavaScript (${locale}): a bad address comes back with the role and department chosen`, async ({
    browser,
  }) => {
    const page = await withoutJavaScript(browser, locale)
    await page.goto('/sign-in')
    await page.getByLabel(say.email).fill('desk-admin@komatsu.example.jp')
    await page.getByLabel(say.password).fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: say.signIn, exact: true }).click()
    await page.waitForURL('**/account')
    await page.goto('/komatsu/desk/staff')
    const invite = page.getByRole('form', { name: say.invite })
    await invite.getByLabel(say.email).fill('new-staff@komatsu')
    await invite.getByLabel(say.role).selectOption('desk_staff')
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      invite.getByRole('button', { name: say.send }).click(),
    ])
    expect(answer.status()).toBe(400)
    const refused = page.getByRole('form', { name: say.invite })
    await expect(page.locator('.error-summary')).toContainText(say.emailMessage)
    await expect(refused.getByLabel(say.email)).toHaveValue('new-staff@komatsu')
    await expect(refused.getByLabel(say.role)).toHaveValue('desk_staff')
    await shot(page, `form-echo-staff-${locale}`)
    await page.context().close()
  })

  test(`an organisation's profile without JavaScript (${locale}): a bad 法人番号 is refused at its field, the answers kept`, async ({
    browser,
  }) => {
    const page = await withoutJavaScript(browser, locale)
    await page.goto('/sign-in')
    await page.getByLabel(say.email).fill('biz2@example.com')
    await page.getByLabel(say.password).fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: say.signIn, exact: true }).click()
    await page.waitForURL('**/account')
    await page.goto(
      (await page.getByRole('main').locator('a[href^="/organisations/"]').first().getAttribute('href'))!,
    )
    const profile = page.getByRole('form', { name: say.profile })
    await profile.getByLabel(say.corporateNumber).fill('12345')
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      profile.getByRole('button', { name: say.saveProfile }).click(),
    ])
    expect(answer.status()).toBe(400)
    await expect(page.locator('.error-summary')).toContainText(say.corporateNumberMessage)
    await expect(page.getByRole('form', { name: say.profile }).getByLabel(say.corporateNumber)).toHaveValue(
      '12345',
    )
    await shot(page, `form-echo-organisation-${locale}`)
    await page.context().close()
  })
}
