import { expect, test } from './test'
import {
  formFieldPath,
  isPlatformDefault,
  loadTenantFile,
  type TenantConfig,
} from '../packages/tenant-config/src/index'
import { inEnglish, signIn } from './session'

/**
 * The portal and the proposal form say what each city's file says, and no
 * more (issues 16 and 18): the eligibility self-check asks the proposer to
 * confirm statements worded by the file, and boxes with nothing to confirm
 * are not shown.
 */

async function tenant(slug: string): Promise<TenantConfig> {
  const result = await loadTenantFile(`tenants/${slug}.yaml`)
  if (!result.ok) throw new Error(`tenants/${slug}.yaml does not load`)
  return result.tenant.config
}

test('the eligibility self-check asks to confirm the file’s statements; empty boxes are not shown', async ({
  page,
}) => {
  const [komatsu, aomori] = [await tenant('komatsu'), await tenant('aomori')]
  await signIn(page, 'biz1@example.com')
  for (const locale of ['ja', 'en'] as const) {
    if (locale === 'en') await inEnglish(page)
    await page.goto('/proposals/new?city=komatsu&city=aomori')
    const heading = locale === 'ja' ? '提案できる要件の確認' : /please confirm/
    const section = (slug: string) =>
      page.locator('section.city-form').filter({ has: page.locator(`[name="${slug}.proposalType"]`) })
    // Each statement the proposer ticks is the file's confirmation, never the ground itself.
    const boxes = section('komatsu').getByRole('group', { name: heading }).getByRole('checkbox')
    const expected = komatsu.eligibility.criteria.filter((criterion) => criterion.confirmation)
    expect(expected.length).toBeGreaterThan(0)
    await expect(boxes).toHaveCount(expected.length)
    for (const [index, criterion] of expected.entries()) {
      await expect(boxes.nth(index)).toHaveAccessibleName(criterion.confirmation?.[locale] ?? '')
      await expect(boxes.nth(index)).not.toHaveAccessibleName(criterion.text[locale] ?? '')
    }
    if (locale === 'ja') await expect(boxes.first()).toHaveAccessibleName(/に該当しません。$/)
    // Komatsu has no notes to acknowledge; Aomori no criterion for the proposer to confirm.
    expect(komatsu.notes).toBeUndefined()
    await expect(
      section('komatsu').getByRole('group', { name: locale === 'ja' ? '留意事項' : 'Notes for proposers' }),
    ).toHaveCount(0)
    await expect(section('aomori').getByRole('group', { name: heading })).toHaveCount(0)
    await expect(section('aomori').locator('input[name="aomori.notes"]')).toHaveCount(
      aomori.notes?.items.length ?? 0,
    )
  }
})

test('on a phone (390 px) the role matrix and the flows fit the screen; each method’s roles are a simple table', async ({
  browser,
}) => {
  for (const locale of ['ja', 'en'] as const) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const value = encodeURIComponent(Buffer.from(JSON.stringify(locale)).toString('base64'))
    await context.addCookies([{ name: 'lng', value, url: test.info().project.use.baseURL ?? '' }])
    const page = await context.newPage()
    for (const path of [
      '/komatsu/methods',
      '/komatsu/how-to-propose',
      '/aomori/how-to-propose',
      '/aomori/experiments',
    ]) {
      await page.goto(path)
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        widest: Math.max(
          ...[...document.querySelectorAll('main table, main .gflow')].map(
            (el) => el.getBoundingClientRect().right,
          ),
        ),
      }))
      expect(widths.page, `${path} (${locale})`).toBeLessThanOrEqual(390)
      expect(widths.widest, `${path} (${locale})`).toBeLessThanOrEqual(390)
    }
    await page.goto('/komatsu/methods')
    // One simple table per method: one row of column headers, each row headed by its phase (no H43).
    const tables = page.locator('table.role-matrix')
    await expect(tables).toHaveCount(4)
    for (const table of await tables.all()) {
      await expect(table.locator('thead tr')).toHaveCount(1)
      await expect(table.locator('td[headers], th[rowspan], th[colspan]')).toHaveCount(0)
      for (const row of await table.locator('tbody tr').all())
        await expect(row.locator('th[scope="row"]')).toHaveCount(1)
    }
    await context.close()
  }
})

/**
 * Provenance: values the guideline does not state are marked in the file as
 * platform defaults; the desk is asked to confirm them, and no public page
 * states them as the city's word (the early-answer target days, the form).
 */
for (const slug of ['komatsu', 'aomori']) {
  test(`${slug}: platform defaults are never the city's word on the portal, and the desk is asked to confirm them`, async ({
    page,
  }) => {
    const config = await tenant(slug)
    expect(config.platformDefaults).toContain('earlyAnswerTargetDays')
    const days = config.earlyAnswerTargetDays
    for (const locale of ['ja', 'en'] as const) {
      if (locale === 'en') await inEnglish(page)
      await page.goto(`/${slug}`)
      const paths = await page
        .getByRole('navigation', { name: locale === 'ja' ? /のメニュー$/ : /menu$/ })
        .getByRole('link')
        .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))
      for (const path of paths) {
        await page.goto(path)
        const text = (await page.getByRole('main').textContent()) ?? ''
        expect(text, path).not.toMatch(
          locale === 'ja' ? new RegExp(`目安|${days}日以内`) : new RegExp(`within ${days} days`),
        )
      }
      await page.goto(`/${slug}/how-to-propose`)
      const note = page.getByText(locale === 'ja' ? /このポータルの設定です/ : /this portal's settings/)
      const formIsDefault =
        config.platformDefaults.includes('forms') || config.platformDefaults.includes('attachments')
      await expect(note).toHaveCount(formIsDefault ? 1 : 0)
      // A field the file marks as a platform default (a list item: forms[…].fields[…]) says it is the portal's.
      if (!isPlatformDefault(config, 'forms')) {
        const marked = config.forms.flatMap((form) =>
          form.fields.filter((field) => isPlatformDefault(config, formFieldPath(form.id, field.id))),
        )
        const badges = page.locator('.field-list .badge--platform')
        await expect(badges).toHaveCount(marked.length)
        for (const field of marked)
          await expect(
            page
              .locator('.field-list > div')
              .filter({ has: page.locator('dt', { hasText: field.label[locale] ?? '' }) })
              .first(),
          ).toContainText(locale === 'ja' ? 'ポータルの設定' : 'portal setting')
        if (process.env.E2E_SCREENSHOTS && locale === 'ja')
          for (const width of [1280, 390]) {
            await page.setViewportSize({ width, height: 900 })
            await page.screenshot({
              path: `${process.env.E2E_SCREENSHOTS}/${slug}-how-to-propose-${width}.png`,
              fullPage: true,
            })
          }
        await page.setViewportSize({ width: 1280, height: 900 })
      }
    }
    await signIn(page, `desk-staff@${slug}.example.jp`)
    await page.goto(`/${slug}/desk/dashboard`)
    const section = page.getByRole('region', { name: 'ガイドラインにない値の確認' })
    for (const path of config.platformDefaults)
      await expect(section.getByRole('rowheader', { name: path })).toBeVisible()
  })
}

test('the methods page lists the kinds of project the file words, with the experiment support’s split of roles', async ({
  page,
}) => {
  const aomori = await tenant('aomori')
  const shots = process.env.E2E_SCREENSHOTS
  await page.goto('/aomori/methods')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('連携手法と役割分担')
  const kinds = page.locator('#methods-kinds + ul > li')
  const worded = aomori.tracks.filter((track) => track.description)
  await expect(kinds.locator('h3')).toHaveText(worded.map((track) => track.label.ja ?? ''))
  await expect(kinds.locator('h3').first()).toHaveText('パートナーシップ')
  const partnership = kinds.filter({ hasText: 'パートナーシップ' })
  await expect(partnership).toContainText(worded[0]!.description!.ja ?? '')
  const experiment = page.locator('[data-kind="experiment"]')
  await expect(experiment.getByRole('heading', { level: 4 })).toHaveText(['青森市の役割', '事業者等の役割'])
  for (const offer of aomori.experimentSupport!.cityOffers)
    await expect(experiment).toContainText(offer.text.ja ?? '')
  for (const duty of aomori.experimentSupport!.proposerDuties)
    await expect(experiment).toContainText(duty.text.ja ?? '')
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
    if (shots) await page.screenshot({ path: `${shots}/aomori-methods-${width}.png`, fullPage: true })
  }
  // A city whose tracks the guideline does not word shows no such section.
  await page.goto('/komatsu/methods')
  await expect(page.locator('#methods-kinds')).toHaveCount(0)
})
