import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { expect, test, type Page } from '../test'
import { expectNoAxeViolations } from '../axe'
import { inEnglish, signIn } from '../session'

/**
 * Issue 17, findings 6 and 7, in the browser: file names as people's
 * computers write them upload (`a=b.pdf` was a bare 400); a name that claims
 * another type than its content is refused with a message saying which
 * extension it needs, storing nothing; bidirectional overrides leave names;
 * downloads are attachments under a safe name, never sniffed.
 */

const CITY = 'komatsu'
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300, 0x20)])
/** The e2e server's DATA_DIR (global-setup.ts). */
const UPLOADS = path.join(process.env.E2E_DATA_DIR ?? '.data/e2e', 'uploads')
const storedFiles = async () => (await readdir(UPLOADS).catch(() => [])).length

async function fillProposal(page: Page, title: string) {
  await page.goto(`/proposals/new?city=${CITY}`)
  await page.locator(`[name="${CITY}.title"]`).fill(title)
  await page.locator(`[name="${CITY}.summary"]`).fill('ファイル名の確認をします。')
  for (const box of await page
    .locator(`input[type="checkbox"][name$=".criteria"], input[type="checkbox"][name$=".notes"]`)
    .all())
    await box.check()
}

const pdfNamed = (name: string) => ({ name, mimeType: 'application/pdf', buffer: PDF })

test('names with =, ;, quotes and Japanese upload and download as written; a bidi override is taken out', async ({
  page,
}) => {
  await signIn(page, 'biz2@example.com')
  const title = `ファイル名 ${Date.now()}`
  await fillProposal(page, title)
  await page
    .locator(`[name="${CITY}.documents"]`)
    .setInputFiles(
      ['a=b.pdf', 'a;b.pdf', 'he said "hi".pdf', '提案書 最終版.pdf', 'invoice\u202elmth.pdf'].map(pdfNamed),
    )
  await page.getByRole('button', { name: '1市に提案する' }).click()
  await page.waitForURL('**/proposals?submitted=*')
  await page.getByRole('link', { name: title }).click()
  const files = page.getByRole('region', { name: '提出した資料' })
  for (const name of ['a=b.pdf', 'a;b.pdf', 'he said "hi".pdf', '提案書 最終版.pdf', 'invoicelmth.pdf'])
    await expect(files.getByRole('link', { name, exact: true })).toBeVisible()
  await expect(page.getByText('invoice\u202elmth.pdf')).toHaveCount(0)

  const link = files.getByRole('link', { name: 'he said "hi".pdf', exact: true })
  const download = await page.request.get((await link.getAttribute('href'))!)
  expect(download.status()).toBe(200)
  expect(download.headers()['content-type']).toBe('application/pdf')
  // Set by the download and by the site's security headers: browsers read the first value.
  expect(download.headers()['x-content-type-options']).toMatch(/^nosniff(, nosniff)?$/)
  // RFC 6266: an attachment, the quote escaped in the ASCII name.
  expect(download.headers()['content-disposition']).toBe('attachment; filename="he said \\"hi\\".pdf"')
  const japanese = files.getByRole('link', { name: '提案書 最終版.pdf', exact: true })
  const disposition = (await page.request.get((await japanese.getAttribute('href'))!)).headers()[
    'content-disposition'
  ]
  expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('提案書 最終版.pdf')}`)
  expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=/)
})

for (const [locale, message] of [
  [
    'ja',
    '「添付資料」の「report.html」は、名前の拡張子が中身の種類と合いません。名前の最後を「.pdf」に変えてから添付してください。',
  ],
  [
    'en',
    '"Attachments": the name "report.html" does not match what the file contains. Rename it to end in ".pdf" and attach it again.',
  ],
] as const)
  for (const width of [1280, 390])
    test(`a PDF named report.html is refused with the extension it needs (${locale}, ${width} px); nothing is stored`, async ({
      page,
    }) => {
      await page.setViewportSize({ width, height: 900 })
      await signIn(page, 'biz2@example.com')
      if (locale === 'en') await inEnglish(page)
      await page.goto('/proposals')
      const proposalsBefore = await page.getByRole('row').count()
      const filesBefore = await storedFiles()
      await fillProposal(page, `拡張子の確認 ${locale} ${width}`)
      await page.locator(`[name="${CITY}.documents"]`).setInputFiles([
        {
          name: 'report.html',
          mimeType: 'text/html',
          buffer: Buffer.concat([PDF, Buffer.from('<html><script>alert(1)</script>')]),
        },
      ])
      await page.getByRole('button', { name: locale === 'ja' ? '1市に提案する' : /^Submit to 1 cit/ }).click()
      // The message stands at the field, and the error summary links to it.
      const error = page.locator(`[id="${CITY}.documents-error"]`)
      await expect(error).toHaveText(message)
      await expect(page.locator('.error-summary').getByRole('link', { name: message })).toHaveAttribute(
        'href',
        `#${CITY}.documents`,
      )
      await error.scrollIntoViewIfNeeded()
      if (process.env.E2E_SCREENSHOTS)
        await page.screenshot({
          path: path.join(process.env.E2E_SCREENSHOTS, `upload-refusal-${locale}-${width}.png`),
        })
      // The message fits the screen: nothing pushes the page sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      await expectNoAxeViolations(page)
      expect(await storedFiles()).toBe(filesBefore)
      await page.goto('/proposals')
      expect(await page.getByRole('row').count()).toBe(proposalsBefore)
    })
