import { expect, test } from './test'
import { expectNoAxeViolations } from './axe'
import { signIn } from './session'

/**
 * Issue 20 (files outlive a draft): a file chosen before "save as draft" is
 * stored with the draft, shown when the draft is reopened (with a way to
 * remove it), and submitted with it — the desk downloads exactly those bytes.
 */

const CITY = 'komatsu'
const stamp = Date.now()
const title = `下書きの添付 ${stamp}`
const pdf = (name: string, filler: string) => ({
  name,
  mimeType: 'application/pdf',
  buffer: Buffer.from(`%PDF-1.7\n${filler.repeat(2000)}`),
})
const kept = pdf('keep-plan.pdf', 'k')
const dropped = pdf('drop-draft.pdf', 'd')

test('a draft keeps its files: reopened it shows them, one is removed, the other is submitted and the desk downloads it', async ({
  page,
}) => {
  test.setTimeout(120_000)
  await signIn(page, 'biz1@example.com')
  await page.goto(`/proposals/new?city=${CITY}`)
  await page.locator(`[name="${CITY}.title"]`).fill(title)
  await page.locator(`[name="${CITY}.summary"]`).fill('下書きに資料を添えて後で提出します。')
  await page.locator(`[name="${CITY}.documents"]`).setInputFiles([kept, dropped])
  await page.getByRole('button', { name: '下書き保存' }).click()
  await page.waitForURL('**/proposals/new?draft=*')

  // Reopened from the proposer's list: the files are there, as links with a way to remove each.
  await page.goto('/proposals')
  await page.getByRole('link', { name: title }).click()
  // The draft's own page lists them as saved with the draft, not as handed in.
  const draftFiles = page.getByRole('region', { name: '下書きに保存した資料' })
  await expect(draftFiles.getByRole('link', { name: 'keep-plan.pdf' })).toBeVisible()
  await page.getByRole('link', { name: '下書きの続きを入力する' }).click()
  await page.waitForURL('**/proposals/new?draft=*')
  const saved = page.getByRole('group', { name: '保存済みの添付資料' })
  await expect(saved.getByRole('link', { name: 'keep-plan.pdf' })).toBeVisible()
  await expect(saved.getByRole('link', { name: 'drop-draft.pdf' })).toBeVisible()
  await expectNoAxeViolations(page)
  await saved.getByRole('checkbox', { name: /削除する\s*（drop-draft\.pdf）/ }).check()
  await page.getByRole('button', { name: '下書き保存' }).click()
  await page.waitForURL('**/proposals/new?draft=*saved=1')
  await expect(saved.getByRole('link', { name: 'keep-plan.pdf' })).toBeVisible()
  await expect(saved.getByRole('link', { name: 'drop-draft.pdf' })).toHaveCount(0)

  // Submitted without choosing the file again: it goes with the proposal.
  for (const box of await page
    .locator(`input[type="checkbox"][name$=".criteria"], input[type="checkbox"][name$=".notes"]`)
    .all())
    await box.check()
  await page.getByRole('button', { name: '1市に提案する' }).click()
  await page.waitForURL('**/proposals?submitted=*')
  await page.getByRole('link', { name: title }).click()
  await expect(page.getByRole('link', { name: 'keep-plan.pdf' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'drop-draft.pdf' })).toHaveCount(0)

  // The desk downloads the very bytes chosen before the draft was saved.
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk?q=${encodeURIComponent(title)}`)
  await page.getByRole('link', { name: title }).click()
  await page.waitForURL('**/desk/proposals/*')
  const link = page.getByRole('link', { name: 'keep-plan.pdf' })
  await expect(link).toBeVisible()
  const download = await page.request.get((await link.getAttribute('href'))!)
  expect(download.status()).toBe(200)
  expect(Buffer.compare(await download.body(), kept.buffer)).toBe(0)
  await expect(page.getByRole('link', { name: 'drop-draft.pdf' })).toHaveCount(0)
})
