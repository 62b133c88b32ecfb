import { randomUUID } from 'node:crypto'
import { readdir, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { expect, test, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { inEnglish, signIn } from './session'
import { locales, wordsOf } from './locale-words'
import { ownerSql, serverDataDir } from './harness/e2e-database'
import { uploadDirectory } from '../db/file-storage/disk.server'
import { enqueueJob } from '../db/queue/enqueue'
import { ORPHAN_GRACE_MS } from '../app/operations/attachments/sweep-orphan-files.server'

/**
 * Issue 20 (files outlive a draft): a file chosen before "save as draft" is
 * stored with the draft, shown when the draft is reopened (with a way to
 * remove it), and submitted with it — the desk downloads exactly those bytes.
 * And after a preview and a double-submit with a file, the orphan sweep leaves
 * on disk exactly the files the attachment rows name.
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
const twice = pdf('double-submit.pdf', 't')

async function tickEveryCriterionAndNote(page: Page) {
  for (const box of await page
    .locator(`input[type="checkbox"][name$=".criteria"], input[type="checkbox"][name$=".notes"]`)
    .all())
    await box.check()
}

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
  // Nothing has happened to a draft yet: its history says so, as its dialogue does, not an empty list.
  const history = page.getByRole('region', { name: '経過' })
  await expect(history).toContainText('まだ経過はありません。')
  await expect(history.locator('ol')).toHaveCount(0)
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
  await tickEveryCriterionAndNote(page)
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

test('after a preview and a double-submit with a file, the sweep leaves no orphan: the files on disk are exactly those the rows name', async ({
  page,
}) => {
  test.setTimeout(120_000)
  const subject = `二度押しの添付 ${stamp}`
  await signIn(page, 'biz1@example.com')
  await page.goto(`/proposals/new?city=${CITY}`)
  await page.locator(`[name="${CITY}.title"]`).fill(subject)
  await page.locator(`[name="${CITY}.summary"]`).fill('確認画面を見てから二度押しで提出します。')
  await page.locator(`[name="${CITY}.documents"]`).setInputFiles([twice])
  await tickEveryCriterionAndNote(page)
  await page.getByRole('button', { name: '確認画面へ' }).click()
  await expect(page.getByRole('region', { name: '入力内容の確認' })).toContainText(subject)
  // Back on the form below the preview, the file is chosen (again) and the form sent twice.
  await page.locator(`[name="${CITY}.documents"]`).setInputFiles([twice])
  await page.getByRole('button', { name: '1市に提案する' }).dblclick()
  await page.waitForURL('**/proposals?submitted=*')
  await expect(page.getByRole('link', { name: subject })).toHaveCount(1)
  await page.getByRole('link', { name: subject }).click()
  await expect(page.getByRole('link', { name: 'double-submit.pdf' })).toHaveCount(1)

  const owner = ownerSql()
  try {
    const named = await owner<{ stored_name: string }[]>`
      SELECT a.stored_name FROM attachments a JOIN proposals p ON p.tenant_id = a.tenant_id AND p.id = a.proposal_id
       WHERE p.title = ${subject}`
    expect(named, 'the proposal has its file once').toHaveLength(1)

    // What a crash between storing a file and committing its row leaves: a file no row names.
    const uploads = uploadDirectory(serverDataDir())
    const crashLeftover = randomUUID()
    await writeFile(path.join(uploads, crashLeftover), twice.buffer)
    // Time moved past the grace period: every stored file is made older than it, then the sweep job runs.
    const past = new Date(Date.now() - 2 * ORPHAN_GRACE_MS)
    for (const name of await readdir(uploads)) await utimes(path.join(uploads, name), past, past)
    await enqueueJob(owner, 'files.sweep', {})
    await expect
      .poll(
        async () =>
          (await owner`SELECT 1 FROM pgboss.job WHERE name = 'files.sweep' AND state <> 'completed'`).length,
      )
      .toBe(0)

    const rows = await owner<{ stored_name: string }[]>`
      SELECT stored_name FROM attachments UNION SELECT stored_name FROM case_images`
    const onDisk = (await readdir(uploads)).sort()
    expect(onDisk, 'no orphan on disk, and no row without its file').toEqual(
      rows.map((row) => row.stored_name).sort(),
    )
    expect(onDisk).toContain(named[0]!.stored_name)
    expect(onDisk).not.toContain(crashLeftover)
  } finally {
    await owner.end()
  }
})

/**
 * A reopened draft to two cities sent with something wrong: the page that answers shows the draft's saved
 * files again, with the box ticked as it was, and the corrected form submits them. Without JavaScript the
 * page after the post is loaded from the form's own address (it names the drafts); with JavaScript the
 * refusal is the server's (a file too large: the browser's check knows no file sizes).
 */
for (const javaScript of [false, true])
  test(`a reopened draft to two cities keeps its saved files through a refusal (${javaScript ? 'with' : 'without'} JavaScript)`, async ({
    browser,
  }) => {
    test.setTimeout(120_000)
    const SECOND = 'aomori'
    const subject = `断られた下書き ${javaScript ? 'js' : 'nojs'} ${stamp}`
    const context = await browser.newContext({ javaScriptEnabled: javaScript })
    const page = await context.newPage()
    try {
      await signIn(page, 'biz1@example.com')
      await page.goto(`/proposals/new?city=${CITY}&city=${SECOND}`)
      await page.locator(`[name="${CITY}.title"]`).fill(subject)
      await page.locator(`[name="${CITY}.summary"]`).fill('二市への下書きに資料を添えます。')
      await page.locator(`[name="${CITY}.documents"]`).setInputFiles([kept, dropped])
      await page.locator(`[name="${SECOND}.subject"]`).fill(subject)
      await page.locator(`[name="${SECOND}.content"]`).fill('二市目にも資料を添えます。')
      await page.locator(`[name="${SECOND}.documents"]`).setInputFiles([pdf('second-city.pdf', 's')])
      await page.getByRole('button', { name: '下書き保存' }).click()
      await page.waitForURL('**/proposals/new?draft=*saved=1')

      const savedIn = (slug: string) =>
        page
          .locator(`[id="${slug}-heading"]`)
          .locator('..')
          .getByRole('group', { name: '保存済みの添付資料' })
      await savedIn(CITY)
        .getByRole('checkbox', { name: /削除する\s*（drop-draft\.pdf）/ })
        .check()
      await tickEveryCriterionAndNote(page)
      if (javaScript)
        await page
          .locator(`[name="${CITY}.documents"]`)
          .setInputFiles([pdf('too-large.pdf', 'x'.repeat(6000))])
      else await page.locator(`[name="${CITY}.title"]`).fill('長すぎる件名'.repeat(20))
      await page.getByRole('button', { name: '2市に提案する' }).click()

      await expect(page.locator('.error-summary')).toBeVisible()
      await expect(savedIn(CITY).getByRole('link', { name: 'keep-plan.pdf' })).toBeVisible()
      await expect(
        savedIn(CITY).getByRole('checkbox', { name: /削除する\s*（drop-draft\.pdf）/ }),
      ).toBeChecked()
      await expect(
        savedIn(CITY).getByRole('checkbox', { name: /削除する\s*（keep-plan\.pdf）/ }),
      ).not.toBeChecked()
      await expect(savedIn(SECOND).getByRole('link', { name: 'second-city.pdf' })).toBeVisible()

      // Corrected and sent again: each city's proposal has its draft's files, less the one taken out.
      if (javaScript) await page.locator(`[name="${CITY}.documents"]`).setInputFiles([])
      else await page.locator(`[name="${CITY}.title"]`).fill(subject)
      await page.getByRole('button', { name: '2市に提案する' }).click()
      await page.waitForURL('**/proposals?submitted=*')
      const owner = ownerSql()
      try {
        const attached = await owner<{ slug: string; original_name: string }[]>`
          SELECT t.slug, a.original_name FROM attachments a
            JOIN proposals p ON p.tenant_id = a.tenant_id AND p.id = a.proposal_id
            JOIN tenants t ON t.id = p.tenant_id
           WHERE p.submitted_at IS NOT NULL AND (p.title = ${subject} OR p.answers->>'subject' = ${subject})
           ORDER BY t.slug, a.original_name`
        expect(attached).toEqual([
          { slug: SECOND, original_name: 'second-city.pdf' },
          { slug: CITY, original_name: 'keep-plan.pdf' },
        ])
      } finally {
        await owner.end()
      }
    } finally {
      await context.close()
    }
  })

/**
 * A draft saved to a city that is suspended afterwards: the proposer still finds it in their list, marked as
 * waiting for the city; its page and its "continue" link say, in their language, that the city is not taking
 * proposals and that the draft is kept; nothing is a 500. Resumed, the city's draft opens in the form as saved.
 */
test('a draft to a city suspended since it was saved is kept in sight and says why it waits, in Japanese and English', async ({
  page,
}) => {
  test.setTimeout(120_000)
  const CLOSED = 'aomori'
  const cityNames = { ja: '青森市', en: 'Aomori City' }
  const subject = `停止中の市への下書き ${stamp}`
  const worded = (template: string, values: Record<string, string>) =>
    template.replace(/{{(\w+)}}/g, (_, name: string) => values[name] ?? '')
  await signIn(page, 'biz1@example.com')
  await page.goto(`/proposals/new?city=${CLOSED}`)
  await page.locator(`[name="${CLOSED}.subject"]`).fill(subject)
  await page.locator(`[name="${CLOSED}.content"]`).fill('市が受付を止めても残る下書き。')
  await page.getByRole('button', { name: '下書き保存' }).click()
  await page.waitForURL('**/proposals/new?draft=*saved=1')
  const draftLink = new URL(page.url()).searchParams.get('draft')!
  const owner = ownerSql()
  const setStatus = async (status: 'live' | 'suspended') => {
    await owner`UPDATE tenants SET status = ${status} WHERE slug = ${CLOSED}`
    // The server's registry follows the database's cities: wait until it shows the city as it is now.
    const suspended = status === 'suspended'
    await expect
      .poll(async () => (await (await page.request.get(`/${CLOSED}`)).text()).includes('suspended-heading'), {
        timeout: 30_000,
      })
      .toBe(suspended)
  }
  try {
    await setStatus('suspended')
    for (const locale of locales) {
      const proposals = wordsOf(locale, 'proposals')
      const city = cityNames[locale]
      if (locale === 'en') await inEnglish(page)
      // The list still has it, its city marked as not taking proposals.
      await page.goto('/proposals')
      const row = page.getByRole('row').filter({ hasText: subject })
      await expect(row).toHaveCount(1)
      await expect(row.getByRole('cell').first()).toContainText(proposals.mine.notAccepting)
      await expectNoAxeViolations(page)
      // Its page shows it as saved, says why it waits, and offers no way on for now.
      await row.getByRole('link', { name: subject }).click()
      await page.waitForURL(`**/proposals/${CLOSED}/*`)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(subject)
      const waits = page.getByRole('region', {
        name: worded(proposals.detail.notAccepting.heading, { city }),
      })
      await expect(waits).toContainText(proposals.detail.notAccepting.body)
      await expect(page.getByRole('link', { name: proposals.detail.continue })).toHaveCount(0)
      // No step is offered that the suspended city would refuse (as "no permission").
      await expect(page.locator('.transition-forms')).toHaveCount(0)
      await expectNoAxeViolations(page)
      // The "continue" link as saved (a bookmark, the page after the save): the city is named, the draft kept.
      const response = await page.goto(`/proposals/new?${new URLSearchParams({ draft: draftLink })}`)
      expect(response?.status()).toBe(200)
      const notice = page.getByRole('region', { name: proposals.new.notAccepting.heading })
      await expect(notice).toContainText(worded(proposals.new.notAccepting.draftKept, { cities: city }))
      await expect(notice.getByRole('link', { name: proposals.new.notAccepting.toMine })).toHaveAttribute(
        'href',
        '/proposals',
      )
      await expectNoAxeViolations(page)
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 })
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
        await page.screenshot({ path: test.info().outputPath(`closed-draft-${locale}-${width}.png`) })
      }
      await page.setViewportSize({ width: 1280, height: 720 })
    }
  } finally {
    await setStatus('live').finally(() => owner.end())
  }
  // Resumed: the draft opens in the form as it was saved.
  await page.goto(`/proposals/new?${new URLSearchParams({ draft: draftLink })}`)
  await expect(page.locator(`[name="${CLOSED}.subject"]`)).toHaveValue(subject)
})
