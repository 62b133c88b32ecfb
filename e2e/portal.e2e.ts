import { expect, test, type BrowserContext, type Page } from './test'
import { loadTenantFile, type TenantConfig } from '../packages/tenant-config/src/index'
import { expectNoAxeViolations } from './axe'
import { expectFitsBothWidths } from './layout'
import { E2E_PORT } from './playwright.config'
import { locales, wordsOf, type Locale } from './locale-words'

/**
 * The public portal of each city: every page type in both languages passes
 * axe, shows the city's real content, and every text of the tenant file can
 * be reached from the city's home page.
 */

async function tenant(slug: string): Promise<TenantConfig> {
  const result = await loadTenantFile(`tenants/${slug}.yaml`)
  if (!result.ok) throw new Error(`tenants/${slug}.yaml does not load`)
  return result.tenant.config
}

/** The language cookie as the server writes it (Remix cookie: base64 of JSON). */
async function useLocale(context: BrowserContext, locale: Locale) {
  const value = encodeURIComponent(Buffer.from(JSON.stringify(locale)).toString('base64'))
  await context.addCookies([{ name: 'lng', value, url: `http://localhost:${E2E_PORT}` }])
}

async function open(page: Page, path: string, locale: Locale) {
  await useLocale(page.context(), locale)
  const response = await page.goto(path)
  expect(response?.status(), path).toBe(200)
  await expect(page.locator('html')).toHaveAttribute('lang', locale)
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1)
}

/** Every tenant text of a file (ja or en): the walk finds each `{ ja, en }` object. */
function tenantTexts(config: TenantConfig, locale: Locale): string[] {
  const texts: string[] = []
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit)
    if (!value || typeof value !== 'object') return
    const record = value as Record<string, unknown>
    if (typeof record.ja === 'string') {
      texts.push(String(record[locale] ?? record.ja))
      return
    }
    Object.values(record).forEach(visit)
  }
  // Placeholder departments are not shown to the public; forms are shown by their fields; the
  // operational tracks are the platform's, shown to signed-in users only (the guideline's flows stand for them).
  // The statements a proposer ticks (eligibility confirmations) are the proposal form's.
  visit({
    ...config,
    tracks: [],
    departments: config.departments.filter((department) => !department.provisional),
    eligibility: {
      ...config.eligibility,
      criteria: config.eligibility.criteria.map(({ confirmation: _, ...criterion }) => criterion),
    },
  })
  return texts
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim()

const pageTypes = [
  { path: '', name: 'home' },
  { path: '/how-to-propose', name: 'how to propose' },
  { path: '/themes', name: 'themes' },
  { path: '/cases', name: 'cases' },
  { path: '/methods', name: 'methods' },
  { path: '/notes', name: 'notes' },
  { path: '/eligibility', name: 'eligibility' },
  { path: '/contact', name: 'contact' },
]

for (const slug of ['komatsu', 'aomori']) {
  for (const locale of locales) {
    test(`${slug} (${locale}): every page type passes axe`, async ({ page }) => {
      const config = await tenant(slug)
      const extra = [
        ...(config.experimentSupport ? [{ path: '/experiments', name: 'experiments' }] : []),
        ...(config.otherSchemes ? [{ path: '/schemes', name: 'schemes' }] : []),
      ]
      for (const { path } of [...pageTypes, ...extra]) {
        await open(page, `/${slug}${path}`, locale)
        await expectNoAxeViolations(page)
      }
      // A theme's page, reached from the list (the demo seed opens one per city).
      await open(page, `/${slug}/themes`, locale)
      const themeLinks = page.getByRole('main').locator('.card-list a')
      if ((await themeLinks.count()) > 0) {
        await themeLinks.first().click()
        await expect(page).toHaveURL(new RegExp(`/${slug}/themes/[0-9a-f-]{36}$`))
        await expect(
          page.getByRole('link', {
            name: locale === 'ja' ? 'このテーマに提案する' : 'Propose for this theme',
          }),
        ).toBeVisible()
        await expectNoAxeViolations(page)
      }
    })

    test(`${slug} (${locale}): every text of the tenant file is reachable from the home page`, async ({
      page,
    }) => {
      const config = await tenant(slug)
      await open(page, `/${slug}`, locale)
      const menu = page.getByRole('navigation', { name: locale === 'ja' ? /のメニュー$/ : /menu$/ })
      const paths = await menu
        .getByRole('link')
        .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))
      expect(paths.length).toBeGreaterThanOrEqual(8)
      let seen = ''
      for (const path of paths) {
        await page.goto(path)
        seen += ` ${normalise((await page.locator('body').textContent()) ?? '')}`
      }
      const missing = tenantTexts(config, locale).filter((text) => !seen.includes(normalise(text)))
      expect(missing).toEqual([])
    })
  }
}

test('the role matrix: business agreement × conclusion is △ for the desk and ◎ for the department', async ({
  page,
}) => {
  for (const locale of locales) {
    await open(page, '/komatsu/methods', locale)
    // One table per method, captioned by the method.
    const table = page.getByRole('table', {
      name: locale === 'ja' ? '事業連携協定' : 'Business partnership agreement',
      exact: true,
    })
    const row = table.getByRole('row').filter({
      has: page.getByRole('rowheader', {
        name: locale === 'ja' ? '協定の締結' : 'Conclusion of the agreement',
        exact: true,
      }),
    })
    const cells = row.getByRole('cell')
    await expect(cells.nth(0)).toContainText('△')
    await expect(cells.nth(0)).toContainText(locale === 'ja' ? '必要に応じて関与' : 'Involved as needed')
    await expect(cells.nth(1)).toContainText('◎')
    await expect(cells.nth(1)).toContainText(locale === 'ja' ? '主担当' : 'Lead')
    // The legend is printed as text.
    await expect(
      page.getByText(locale === 'ja' ? '基本的に関与しない' : 'Basically not involved').last(),
    ).toBeVisible()
  }
})

test('a city without a role matrix or experiment track has no such table or page', async ({
  page,
  request,
}) => {
  await open(page, '/aomori/methods', 'ja')
  await expect(page.locator('table.role-matrix')).toHaveCount(0)
  expect((await request.get('/komatsu/experiments')).status()).toBe(404)
  expect((await request.get('/komatsu/schemes')).status()).toBe(404)
  expect((await request.get('/no-such-city')).status()).toBe(404)
})

test("Aomori's five other schemes, every note and the experiment support", async ({ page }) => {
  const config = await tenant('aomori')
  for (const locale of locales) {
    await open(page, '/aomori/schemes', locale)
    await expect(page.getByRole('main').locator('.card-list > li')).toHaveCount(5)
    for (const scheme of config.otherSchemes?.items ?? []) {
      await expect(page.getByRole('heading', { name: scheme.title[locale] ?? '', exact: true })).toBeVisible()
    }

    await open(page, '/aomori/notes', locale)
    const notes = page.getByRole('main').locator('.numbered-list > li')
    await expect(notes).toHaveCount(config.notes?.items.length ?? 0)
    for (const note of config.notes?.items ?? [])
      await expect(notes.getByText(note.text[locale] ?? '', { exact: true })).toBeVisible()

    await open(page, '/aomori/experiments', locale)
    await expect(page.getByText('AOMORI STARTUP CENTER')).toBeVisible()
    await expect(page.getByText(config.experimentSupport?.costRule[locale] ?? '')).toBeVisible()
    // The experiment figure, headed once (not 「実証実験の流れの流れ」).
    await expect(
      page.getByRole('heading', {
        level: 2,
        name:
          locale === 'ja' ? 'フロー図（実証実験サポート）' : 'Flow chart (demonstration-experiment support)',
      }),
    ).toBeVisible()
    await expect(page.getByText(/の流れの流れ|flow flow/)).toHaveCount(0)
  }
})

/**
 * The flows a guideline publishes, read from the tenant file, are exactly what
 * the portal shows: each flow's steps in order, each step in its lanes (or,
 * where who leads depends on the method, the role matrix's leads per method),
 * and no step of the operational tracks the guideline does not draw.
 */
for (const slug of ['komatsu', 'aomori']) {
  test(`${slug}: the portal shows the guideline's flows exactly, step by step, lane by lane`, async ({
    page,
  }) => {
    const config = await tenant(slug)
    expect(config.guidelineFlows.length).toBeGreaterThan(0)
    const experimentTrack = config.experimentSupport?.track
    const laneLabel = (lane: 'proposer' | 'desk' | 'department', locale: Locale) =>
      config.laneLabels?.[lane]?.[locale] ?? ''
    // The guideline's own words: its flows' steps and its role matrix's phases.
    const drawn = new Set([
      ...config.guidelineFlows.flatMap((flow) =>
        flow.steps.flatMap((step) => [step.label?.ja, step.text?.ja]),
      ),
      ...(config.roleMatrix?.phases.map((phase) => phase.label.ja) ?? []),
    ])
    for (const locale of locales) {
      for (const flow of config.guidelineFlows) {
        const onExperimentPage = flow.tracks.length === 1 && flow.tracks[0] === experimentTrack
        await open(page, `/${slug}/${onExperimentPage ? 'experiments' : 'how-to-propose'}`, locale)
        const section = page.locator(`section[data-flow="${flow.id}"]`)
        await expect(section.getByRole('heading').first()).toHaveText(flow.title[locale] ?? '')
        const steps = section.locator('ol.gflow__steps > li')
        await expect(steps).toHaveCount(flow.steps.length)
        for (const [index, step] of flow.steps.entries()) {
          const item = steps.nth(index)
          await expect(item).toHaveAttribute('data-step', step.id)
          if (step.label) await expect(item.locator('.gflow__label')).toContainText(step.label[locale] ?? '')
          if (step.text) await expect(item.locator('.gflow__text')).toHaveText(step.text[locale] ?? '')
          const lanes = step.lanes.length > 0 ? flow.lanes.filter((lane) => step.lanes.includes(lane)) : []
          if (lanes.length > 0) {
            await expect(item.locator('.gflow__lanes-of-step')).toHaveText(
              (locale === 'ja' ? '担当: ' : 'Carried out by: ') +
                lanes.map((lane) => laneLabel(lane, locale)).join(locale === 'ja' ? '、' : ', '),
            )
          } else {
            await expect(item.locator('.gflow__lanes-of-step')).toHaveCount(0)
          }
          // Where the guideline leaves it to the role matrix, each method names the matrix's leads.
          const matrix = config.roleMatrix
          const methods = item.locator('.gflow__by-method dl > div')
          if (step.matrixPhases.length === 0 || !matrix) {
            await expect(methods).toHaveCount(0)
            continue
          }
          for (const method of config.collaborationMethods) {
            for (const phase of step.matrixPhases) {
              const cell = matrix.cells.find(
                (candidate) => candidate.method === method.id && candidate.phase === phase,
              )
              const entry = methods
                .filter({ has: page.locator('dt', { hasText: method.label[locale] ?? '' }) })
                .locator(`dd[data-phase="${phase}"]`)
              if (!cell) {
                await expect(entry).toHaveCount(0)
                continue
              }
              const leads = matrix.parties
                .filter((party) => cell[party] === 'lead')
                .map((party) => laneLabel(party, locale))
              await expect(entry).toHaveText(
                `${matrix.phases.find((p) => p.id === phase)?.label[locale]}: ${leads.join(locale === 'ja' ? '、' : ', ')}`,
              )
            }
          }
        }
      }
    }
    // No step of the operational tracks that the guideline does not draw reaches the public pages.
    const operationalOnly = [
      ...new Set(config.tracks.flatMap((track) => track.steps.map((step) => step.label.ja ?? ''))),
    ].filter((label) => !drawn.has(label))
    expect(operationalOnly.length).toBeGreaterThan(0)
    for (const path of ['/how-to-propose', ...(experimentTrack ? ['/experiments'] : [])]) {
      await open(page, `/${slug}${path}`, 'ja')
      const text = (await page.getByRole('main').textContent()) ?? ''
      for (const label of operationalOnly) expect(text, `${path}: ${label}`).not.toContain(label)
    }
  })
}

test('public pages are cacheable and feeds revalidate with 304', async ({ request }) => {
  const document = await request.get('/komatsu', { headers: { Accept: 'text/html' } })
  expect(document.headers()['cache-control']).toBe('public, max-age=60')
  expect(document.headers()['vary']).toContain('Cookie')

  for (const [path, type] of [
    ['/komatsu/cases.atom', 'application/atom+xml'],
    ['/komatsu/cases.json', 'application/feed+json'],
    ['/komatsu/cases.csv', 'text/csv'],
  ] as const) {
    const first = await request.get(path)
    expect(first.status()).toBe(200)
    expect(first.headers()['content-type']).toContain(type)
    const etag = first.headers()['etag'] ?? ''
    expect(etag).toMatch(/^W\/".+"$/)
    const again = await request.get(path, { headers: { 'If-None-Match': etag } })
    expect(again.status()).toBe(304)
  }

  // Remix's client-side data requests revalidate too.
  const data = await request.get('/komatsu?_data=routes/$city._index')
  const etag = data.headers()['etag'] ?? ''
  expect(
    (
      await request.get('/komatsu?_data=routes/$city._index', { headers: { 'If-None-Match': etag } })
    ).status(),
  ).toBe(304)
  // Another language is another version.
  const english = await request.get('/komatsu?_data=routes/$city._index', {
    headers: { Cookie: `lng=${encodeURIComponent(Buffer.from('"en"').toString('base64'))}` },
  })
  expect(english.headers()['etag']).not.toBe(etag)
})

test('a filter the cases list does not offer is refused at its field (400), in Japanese and English, and in the feeds', async ({
  page,
}) => {
  for (const locale of locales) {
    const words = wordsOf(locale, 'portal')
    const auth = wordsOf(locale, 'auth')
    const common = wordsOf(locale, 'common')
    await useLocale(page.context(), locale)
    const response = await page.goto('/komatsu/cases?field=no-such-field&agreement=none')
    expect(response?.status()).toBe(400)
    const field = page.getByLabel(words.cases.field, { exact: true })
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await expect(field).toHaveAttribute('aria-describedby', 'cases-field-error')
    await expect(page.locator('#cases-field-error')).toHaveText(auth.validation.choose)
    // The filter that was taken stays; the list is the one without the refused filter, and the page says so.
    await expect(page.getByLabel(words.cases.agreement, { exact: true })).toHaveValue('none')
    await expect(page.getByLabel(words.cases.agreement, { exact: true })).not.toHaveAttribute('aria-invalid')
    await expect(page.getByRole('alert')).toHaveText(common.query.refused)
    await expectNoAxeViolations(page)
    await expectFitsBothWidths(page, `cases-refused-${locale}`, page.locator('.filters'))
    // A page number that is not one has no field: the alert says it, and the first page is shown.
    expect((await page.goto('/komatsu/cases?page=abc'))?.status()).toBe(400)
    await expect(page.getByRole('alert')).toHaveText(common.query.page)
    await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0)
    for (const feed of ['atom', 'json', 'csv']) {
      const refused = await page.request.get(`/komatsu/cases.${feed}?field=no-such-field`)
      expect(refused.status()).toBe(400)
      expect(await refused.text()).toBe(`${words.cases.field}: ${auth.validation.choose}\n`)
    }
    // Corrected in the form, the filter is taken.
    await page.goto('/komatsu/cases?field=no-such-field')
    await page.getByLabel(words.cases.field, { exact: true }).selectOption({ index: 0 })
    await page.getByRole('button', { name: words.cases.apply }).click()
    await page.waitForURL((url) => url.pathname === '/komatsu/cases' && url.searchParams.get('field') === '')
    await expect(page.getByRole('alert')).toHaveCount(0)
    await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0)
  }
})

test('a page number that is not one is refused on a city’s open themes (400), in Japanese and English: the alert says so, the first page is shown', async ({
  page,
}) => {
  for (const locale of locales) {
    const common = wordsOf(locale, 'common')
    await open(page, '/komatsu/themes', locale)
    const themes = page.locator('main h3')
    const firstPage = await themes.allTextContents()
    expect(firstPage.length).toBeGreaterThan(0)
    for (const asked of ['abc', '0', '1.5']) {
      expect((await page.goto(`/komatsu/themes?page=${asked}`))?.status()).toBe(400)
      // The list has no filter form: the page number's own message is the alert, and no field is marked.
      await expect(page.getByRole('alert')).toHaveText(common.query.page)
      await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0)
      expect(await themes.allTextContents()).toEqual(firstPage)
    }
    await expectNoAxeViolations(page)
    await expectFitsBothWidths(page, `themes-page-refused-${locale}`)
    // Past the last page is a page number: the last page, as before, and nothing refused.
    expect((await page.goto('/komatsu/themes?page=999'))?.status()).toBe(200)
    await expect(page.getByRole('alert')).toHaveCount(0)
    expect(await themes.allTextContents()).toEqual(firstPage)
  }
})

test('navigation between portal pages works in the browser and the language switch keeps the page', async ({
  page,
}) => {
  await open(page, '/komatsu', 'ja')
  await page
    .getByRole('navigation', { name: /のメニュー$/ })
    .getByRole('link', { name: '連携手法と役割分担' })
    .click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('連携手法と役割分担')
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Collaboration methods and roles')
  await expect(page).toHaveURL(/\/komatsu\/methods$/)
})
