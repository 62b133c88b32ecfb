import { readFile } from 'node:fs/promises'
import { expect, test, type Page } from './test'
import { expectNoAxeViolations } from './axe'
import { expectFitsBothWidths } from './layout'
import { inEnglish, signIn, submitForm } from './session'
import { locales, wordsOf } from './locale-words'

/**
 * The desk's dashboard and know-how in a real browser: reached from the desk
 * navigation, charts that are images with a name and a table beside them,
 * CSV downloads of a table and of the inbox as filtered, a note marked as
 * good practice and found again by a Japanese word, nothing of it for a
 * proposer; axe on both pages in Japanese and English.
 */

const CITY = 'komatsu'

async function downloadText(page: Page, link: string) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: link }).click(),
  ])
  const bytes = await readFile((await download.path())!)
  return { name: download.suggestedFilename(), bytes, text: bytes.subarray(3).toString('utf8') }
}

test('the dashboard shows figures as charts with tables, filters by track and downloads a table', async ({
  page,
}) => {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk`)
  await page
    .getByRole('navigation', { name: 'デスクのメニュー' })
    .getByRole('link', { name: 'ダッシュボード' })
    .click()
  await expect(page.getByRole('heading', { level: 1, name: 'ダッシュボード' })).toBeVisible()

  await expect(page.locator('.key-figures').getByText('採択率', { exact: true })).toBeVisible()
  // Every chart is one image named by its title, with the figures in a captioned table beside it.
  await expect(page.getByRole('img', { name: '月別の提出数' })).toBeVisible()
  await expect(page.getByRole('img', { name: '担当課別の採択率' })).toBeVisible()
  const months = page.getByRole('table', { name: '月別の提出数' })
  await expect(months.getByRole('columnheader', { name: '提出数' })).toBeVisible()
  await expect(months.getByRole('row')).toHaveCount(13) // a header row and twelve months
  await expectNoAxeViolations(page)

  await page.getByLabel('進め方', { exact: true }).selectOption({ label: '「フリー型」の公民連携の進め方' })
  await page.getByRole('button', { name: '表示する' }).click()
  await page.waitForURL('**/desk/dashboard?*track=free*')
  const states = page.getByRole('table', { name: '状態別の提案数' })
  await expect(states.getByRole('cell', { name: '「テーマ型」の公民連携の進め方' })).toHaveCount(0)

  const csv = await downloadText(page, '「月別の提出数」をCSVでダウンロード')
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  expect(csv.name).toMatch(/^komatsu-months-\d{4}-\d{2}-\d{4}-\d{2}-free\.csv$/)
  expect(csv.text.split('\r\n')[0]).toBe('"提出月","提出数"')
  expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(13)

  // A bad period is refused with the reason, and the default shown.
  await page.goto(`/${CITY}/desk/dashboard?from=2025-06&to=2025-01`)
  await expect(page.getByRole('alert')).toContainText('開始月が終了月より後になっています')
})

test('a malformed month or period in the URL is refused at its field (400), in Japanese and English, and as CSV', async ({
  page,
}) => {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  for (const locale of locales) {
    const words = wordsOf(locale, 'dashboard')
    if (locale === 'en') await inEnglish(page)
    for (const [query, field, error, problem] of [
      ['from=2026-13', 'from', words.filters.errors.invalidMonth, words.problems.invalidMonth],
      ['to=abc', 'to', words.filters.errors.invalidMonth, words.problems.invalidMonth],
      ['from=2025-06&to=2025-01', 'from', words.filters.errors.reversed, words.problems.reversed],
    ] as const) {
      const response = await page.goto(`/${CITY}/desk/dashboard?${query}`)
      expect(response?.status(), query).toBe(400)
      const control = page.getByLabel(words.filters[field], { exact: true })
      await expect(control).toHaveAttribute('aria-invalid', 'true')
      await expect(control).toHaveAttribute(
        'aria-describedby',
        `dashboard-${field}-hint dashboard-${field}-error`,
      )
      await expect(page.locator(`#dashboard-${field}-error`)).toHaveText(error)
      await expect(page.locator(`#dashboard-${field}-hint`)).toHaveText(words.filters.monthHint)
      // The figures are the last twelve months', and the page says so.
      await expect(page.getByRole('alert')).toHaveText(problem)
      await expect(page.getByRole('table', { name: words.charts.months }).getByRole('row')).toHaveCount(13)
      await expectNoAxeViolations(page)
      const csv = await page.request.get(`/${CITY}/desk/dashboard.csv?${query}&table=months`)
      expect(csv.status()).toBe(400)
      expect(await csv.text()).toContain(error)
    }
    // Corrected in the form, the period is taken.
    await page.getByLabel(words.filters.from, { exact: true }).fill('2025-01')
    await page.getByLabel(words.filters.to, { exact: true }).fill('2025-03')
    await page.getByRole('button', { name: words.filters.apply }).click()
    await page.waitForURL('**/desk/dashboard?from=2025-01&to=2025-03*')
    await expect(page.getByRole('alert')).toHaveCount(0)
    await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0)
    await expect(page.getByRole('table', { name: words.charts.months }).getByRole('row')).toHaveCount(4)
    for (const width of [1280, 390]) {
      await page.goto(`/${CITY}/desk/dashboard?from=2025-06&to=2025-01`)
      await page.setViewportSize({ width, height: 900 })
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      await page
        .locator('.desk-filters')
        .screenshot({ path: test.info().outputPath(`dashboard-refused-${locale}-${width}.png`) })
    }
    await page.setViewportSize({ width: 1280, height: 900 })
  }
})

test('the inbox downloads as CSV with its filters, every page', async ({ page }) => {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk`)
  await page.getByLabel('キーワード').fill('実証')
  await page.getByRole('button', { name: '絞り込む' }).click()
  await page.waitForURL('**/desk?*q=*')
  const rows = page.getByRole('table').getByRole('row')
  // Every row on the page is a match before the list is downloaded.
  await expect(rows.filter({ hasNotText: '実証' })).toHaveCount(1) // the header row
  const csv = await downloadText(page, 'この一覧をCSVでダウンロード')
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const lines = csv.text.split('\r\n').filter(Boolean)
  expect(lines[0]).toContain('"受付番号","件名"')
  await expect(rows).toHaveCount(lines.length)
  expect(lines.slice(1).every((line) => line.includes('実証'))).toBe(true)
})

test('a filter the inbox does not offer is refused at its field (400), in Japanese and English, and as CSV', async ({
  page,
}) => {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  for (const locale of locales) {
    const words = wordsOf(locale, 'desk').inbox
    const common = wordsOf(locale, 'common')
    if (locale === 'en') await inEnglish(page)
    await page.goto(`/${CITY}/desk`)
    const everything = await page.getByRole('status').textContent()
    const response = await page.goto(`/${CITY}/desk?state=no-such-stage&olderThanDays=0&waitingOnly=on`)
    expect(response?.status()).toBe(400)
    const state = page.getByLabel(words.state, { exact: true })
    await expect(state).toHaveAttribute('aria-invalid', 'true')
    await expect(page.locator('#filter-state-error')).toHaveText(wordsOf(locale, 'auth').validation.choose)
    const days = page.getByLabel(words.olderThanDays, { exact: true })
    await expect(days).toHaveValue('0')
    await expect(days).toHaveAttribute('aria-describedby', 'filter-age-error')
    await expect(page.locator('#filter-age-error')).toHaveText(words.errors.olderThanDays)
    // The box that was taken stays ticked and applies; the refused filters are left out, and the page says so.
    await expect(page.getByLabel(words.waitingOnly, { exact: true })).toBeChecked()
    await expect(page.getByRole('alert')).toHaveText(common.query.refused)
    await expectNoAxeViolations(page)
    await expectFitsBothWidths(page, `inbox-refused-${locale}`, page.locator('.desk-filters'))
    const csv = await page.request.get(`/${CITY}/desk/inbox.csv?state=no-such-stage`)
    expect(csv.status()).toBe(400)
    expect(await csv.text()).toBe(`${words.state}: ${wordsOf(locale, 'auth').validation.choose}\n`)
    // Corrected in the form, the filters are taken.
    await state.selectOption({ index: 0 })
    await days.fill('')
    await page.getByLabel(words.waitingOnly, { exact: true }).uncheck()
    await page.getByRole('button', { name: words.apply }).click()
    await page.waitForURL((url) => url.pathname === `/${CITY}/desk` && url.searchParams.get('state') === '')
    await expect(page.getByRole('alert')).toHaveCount(0)
    await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0)
    await expect(page.getByRole('status')).toHaveText(everything ?? '')
  }
})

test('a note marked as good practice is found in the know-how, which proposers never see', async ({
  page,
}) => {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  await page.goto(`/${CITY}/desk/know-how`)
  await expect(page.getByRole('heading', { level: 1, name: 'ナレッジ（好事例）' })).toBeVisible()
  await expectNoAxeViolations(page)
  // The demo's marked note: open its proposal and change the mark there.
  await page.getByRole('table', { name: '好事例として登録された内部メモ' }).getByRole('link').first().click()
  const note = page.locator('.thread__entry--note').first()
  await note.getByText('ナレッジに登録済み').click()
  const lesson = `E2E 教訓 ${Date.now()}`
  await note.getByLabel(/教訓の見出し/).fill(lesson)
  await note.getByLabel('観光・交流').check()
  await submitForm(page, '登録内容を更新する', note)
  await expectNoAxeViolations(page)

  await page.goto(`/${CITY}/desk/know-how`)
  await page.getByLabel(/キーワード/).fill('庁内調整')
  await page.getByLabel('分野').selectOption({ label: '観光・交流' })
  await page.getByRole('button', { name: '検索' }).click()
  await page.waitForURL('**/know-how?*')
  await expect(page.getByRole('rowheader', { name: new RegExp(lesson) })).toBeVisible()
  await page.getByLabel(/キーワード/).fill('存在しない教訓')
  await page.getByRole('button', { name: '検索' }).click()
  await expect(page.getByText('該当するナレッジはありません。')).toBeVisible()

  await inEnglish(page)
  await page.goto(`/${CITY}/desk/know-how`)
  await expect(page.getByRole('heading', { level: 1, name: 'Know-how (good practice)' })).toBeVisible()
  await expectNoAxeViolations(page)
  await page.goto(`/${CITY}/desk/dashboard`)
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  await expectNoAxeViolations(page)

  await signIn(page, 'biz1@example.com')
  const response = await page.goto(`/${CITY}/desk/know-how`)
  expect(response?.status()).toBe(403)
  await expect(page.getByText(lesson)).toHaveCount(0)
})

test('a know-how search the form does not offer is refused at its field (400), in Japanese and English', async ({
  page,
}) => {
  await signIn(page, `desk-staff@${CITY}.example.jp`)
  for (const locale of locales) {
    const words = wordsOf(locale, 'dashboard').knowHow
    const common = wordsOf(locale, 'common')
    if (locale === 'en') await inEnglish(page)
    const response = await page.goto(
      `/${CITY}/desk/know-how?field=no-such-field&q=${encodeURIComponent('調整')}`,
    )
    expect(response?.status()).toBe(400)
    const field = page.getByLabel(words.field, { exact: true })
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await expect(field).toHaveAttribute('aria-describedby', 'know-how-field-error')
    await expect(page.locator('#know-how-field-error')).toHaveText(wordsOf(locale, 'auth').validation.choose)
    await expect(page.getByLabel(words.search, { exact: true })).toHaveValue('調整')
    await expect(page.getByRole('alert')).toHaveText(common.query.refused)
    await expectNoAxeViolations(page)
    expect((await page.goto(`/${CITY}/desk/know-how?page=two`))?.status()).toBe(400)
    await expect(page.getByRole('alert')).toHaveText(common.query.page)
    await expectNoAxeViolations(page)
  }
})

test('the desk menu calls the inbox by its heading and shows the staff page to desk admins only', async ({
  page,
}) => {
  const menu = (name: string) => page.getByRole('navigation', { name })
  for (const [account, seesStaff] of [
    ['desk-staff', false],
    ['dept-staff', false],
    ['desk-admin', true],
  ] as const) {
    await signIn(page, `${account}@${CITY}.example.jp`)
    await page.goto(`/${CITY}/desk`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('受付箱')
    await expect(menu('デスクのメニュー').getByRole('link', { name: '受付箱', exact: true })).toBeVisible()
    await expect(menu('デスクのメニュー').getByRole('link', { name: 'デスクの職員' })).toHaveCount(
      seesStaff ? 1 : 0,
    )
  }
  // The admin reaches the staff page from the menu, which stays there, in both languages.
  await menu('デスクのメニュー').getByRole('link', { name: 'デスクの職員' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('デスクの職員')
  await expect(menu('デスクのメニュー').getByRole('link', { name: 'デスクの職員' })).toHaveAttribute(
    'aria-current',
    'page',
  )
  await expectNoAxeViolations(page)
  await inEnglish(page)
  await page.goto(`/${CITY}/desk`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inbox')
  await expect(menu('Desk menu').getByRole('link', { name: 'Inbox', exact: true })).toBeVisible()
  await menu('Desk menu').getByRole('link', { name: 'Desk staff' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Desk staff')
  await expectNoAxeViolations(page)
})
