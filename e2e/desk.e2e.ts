import { expect, test } from './test'
import { expectNoAxeViolations } from './axe'
import { signIn, submitForm } from './session'

/**
 * The desk's theme screen feeding the portal and the proposal form; a
 * pre-consultation requested before submission reaching the second city's
 * desk; over-size files and another city's theme refused with a message.
 */

const [FIRST, SECOND] = ['komatsu', 'aomori']

test('the desk creates and opens a theme; "propose for this theme" opens the form with it chosen', async ({
  page,
}) => {
  const theme = `E2E テーマ ${Date.now()}`
  await signIn(page, `desk-staff@${FIRST}.example.jp`)
  await page.goto(`/${FIRST}/desk/themes`)
  await expectNoAxeViolations(page)
  const create = page.getByRole('form', { name: 'テーマを作成' })
  await create.getByLabel('題名（日本語）').fill(theme)
  await create.getByLabel('背景（日本語）').fill('駅前のにぎわいづくり')
  await submitForm(page, 'テーマを作成')
  await submitForm(page, `「${theme}」を公開する`)
  await expect(page.getByRole('heading', { name: theme })).toContainText('募集中')

  // The portal lists it at once (its cache is invalidated), and a business proposes for it.
  await signIn(page, 'biz2@example.com')
  await page.goto(`/${FIRST}/themes`)
  await page.getByRole('link', { name: theme }).click()
  await page.getByRole('link', { name: 'このテーマに提案する' }).click()
  await page.waitForURL('**/proposals/new?*')
  await expect(page.locator(`[name="${FIRST}.themeId"] option:checked`)).toHaveText(theme)

  // Another city's theme cannot be answered: the forged choice is refused at the field.
  await page.goto(`/proposals/new?city=${SECOND}`)
  const themeId = await page.evaluate(async (first) => {
    const html = await (await fetch(`/${first}/themes`)).text()
    return /\/themes\/([0-9a-f-]{36})/.exec(html)?.[1] ?? ''
  }, FIRST)
  await page.getByRole('radio', { name: '課題提案' }).check()
  await page.locator(`[name="${SECOND}.themeId"]`).evaluate((select, id) => {
    const option = document.createElement('option')
    option.value = id
    option.text = 'forged'
    select.appendChild(option)
    ;(select as HTMLSelectElement).value = id
  }, themeId)
  await page.locator(`[name="${SECOND}.subject"]`).fill('他市のテーマ')
  await page.locator(`[name="${SECOND}.content"]`).fill('内容')
  for (const box of await page.locator(`input[type="checkbox"][name="${SECOND}.notes"]`).all())
    await box.check()
  await page.getByRole('button', { name: '1市に提案する' }).click()
  await expect(page.locator('.field__error', { hasText: '募集中のテーマから選んでください。' })).toBeVisible()
})

test('a pre-consultation request reaches the desk before submission; an over-size file is refused', async ({
  page,
}) => {
  const subject = `E2E 事前相談 ${Date.now()}`
  await signIn(page, 'univ@example.com')
  await page.goto(`/proposals/new?city=${SECOND}`)
  await page.locator(`[name="${SECOND}.subject"]`).fill(subject)
  await page.locator(`[name="${SECOND}.documents"]`).setInputFiles({
    name: 'big.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)]),
  })
  await submitForm(page, '下書き保存')
  await expect(
    page.locator('.field__error', { hasText: '「添付資料」のファイルは10 MB以下にしてください。' }),
  ).toBeVisible()
  await page.locator(`[name="${SECOND}.documents"]`).setInputFiles([])
  await submitForm(page, '下書き保存')
  await page.waitForURL('**/proposals/new?draft=*')

  await page.goto('/proposals')
  await page.getByRole('link', { name: subject }).click()
  await submitForm(page, '事前相談を申し込む')
  await expect(page.getByText('事前相談').first()).toBeVisible()

  await signIn(page, `desk-staff@${SECOND}.example.jp`)
  await page.goto(`/${SECOND}/desk?q=${encodeURIComponent(subject)}`)
  const row = page.getByRole('row').filter({ hasText: subject })
  await expect(row).toContainText('提出前（事前相談）')
  await row.getByRole('link', { name: subject }).click()
  await page.getByLabel('本文').fill('事前相談の日程を調整しましょう。')
  await submitForm(page, '送信')
  await submitForm(page, '事前相談を終える')
  await expect(page.getByText('事前相談を終える → 事業企画')).toBeVisible()
})
