import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, getRequest, type Harness } from '~/test/harness'
import { publishedContentChanged } from '~/operations/portal/published-content.server'
import { similarCasesForProposal } from '~/operations/across-cities/across-cities.server'
import { saveTheme } from '~/operations/themes/themes.server'
import {
  parseCaseSearch,
  parseSearchScope,
  parseThemeSearch,
  scopeQuery,
  themeProposalTypesOf,
} from '~/operations/across-cities/search'
import * as homePage from '~/routes/_index'
import * as themesPage from '~/routes/themes._index'
import * as themesAtom from '~/routes/themes[.]atom'
import * as themesJson from '~/routes/themes[.]json'
import * as casesPage from '~/routes/cases._index'
import * as casesCsv from '~/routes/cases[.]csv'
import * as casesJson from '~/routes/cases[.]json'

/**
 * /themes, /cases, their feeds and the platform home (issue 22) on the demo
 * seed of the two cities in tenants/: each city has an open theme, a closed
 * one, a published case and a draft case. Only open themes and published
 * cases of live cities ever appear, in pages, feeds and files.
 */

let h: Harness
let context: AppLoadContext
let slugs: string[]

beforeAll(async () => {
  h = await createHarness()
  context = await h.contextFor(null)
  slugs = h.tenants.list().map((city) => city.slug)
})
afterAll(async () => {
  await h?.close()
})

type Loader = (args: {
  request: Request
  context: AppLoadContext
  params: Record<string, string>
}) => Promise<Response>

async function data<T = Record<string, unknown>>(loader: unknown, path: string, status = 200): Promise<T> {
  const response = await (loader as Loader)({ request: getRequest(path), context, params: {} })
  expect(response.status).toBe(status)
  return (await response.json()) as T
}

async function text(loader: unknown, path: string): Promise<{ body: string; type: string | null }> {
  const response = await (loader as Loader)({ request: getRequest(path), context, params: {} })
  expect(response.status).toBe(200)
  return { body: await response.text(), type: response.headers.get('Content-Type') }
}

type ThemesData = {
  total: number
  themes: { title: string; slug: string; url: string; proposeUrl: string; fields: string[] }[]
}
type CasesData = { total: number; cases: { title: string; slug: string; url: string }[] }

async function withCityStatus(slug: string, status: 'draft' | 'suspended', run: () => Promise<void>) {
  await h.db.ownerSql`UPDATE tenants SET status = ${status} WHERE slug = ${slug}`
  publishedContentChanged(slug)
  try {
    await run()
  } finally {
    await h.db.ownerSql`UPDATE tenants SET status = 'live' WHERE slug = ${slug}`
    publishedContentChanged(slug)
  }
}

describe('/themes across cities', () => {
  it('lists every live city’s open themes, linked to the theme and to proposing for it, never a closed or draft one', async () => {
    // A row per city (VALUES, not INSERT … SELECT: Citus runs that as a COPY, which forced RLS refuses).
    for (const { id } of await h.db.ownerSql<{ id: string }[]>`SELECT id FROM tenants`)
      await h.db
        .ownerSql`INSERT INTO themes (tenant_id, title_ja, status) VALUES (${id}, '下書きの課題', 'draft')`
    publishedContentChanged(slugs[0]!)
    const page = await data<ThemesData>(themesPage.loader, '/themes')
    expect(page.total).toBe(2)
    expect(page.themes.map((theme) => theme.slug).sort()).toEqual([...slugs].sort())
    for (const theme of page.themes) {
      expect(theme.title).toBe('公共施設の利活用アイデア')
      expect(theme.url).toMatch(new RegExp(`^/${theme.slug}/themes/[0-9a-f-]{36}$`))
      expect(theme.proposeUrl).toMatch(new RegExp(`^/${theme.slug}/propose\\?theme=[0-9a-f-]{36}$`))
    }
    const all = JSON.stringify(page)
    expect(all).not.toContain('地域交通の課題')
    expect(all).not.toContain('下書きの課題')
  })

  it('filters by platform field and city, and finds half-width kana by its full-width form', async () => {
    const byField = await data<ThemesData>(themesPage.loader, '/themes?field=public_assets')
    const byOtherField = await data<ThemesData>(themesPage.loader, '/themes?field=urban_development')
    expect(byField.total + byOtherField.total).toBe(2)
    expect(byField.total).toBe(1)
    expect((await data<ThemesData>(themesPage.loader, '/themes?field=disaster_prevention')).total).toBe(0)
    expect(
      (await data<ThemesData>(themesPage.loader, `/themes?city=${slugs[0]}`)).themes.map((t) => t.slug),
    ).toEqual([slugs[0]])
    expect(
      (await data<ThemesData>(themesPage.loader, '/themes?q=%EF%BD%B1%EF%BD%B2%EF%BE%83%EF%BE%9E%EF%BD%B1'))
        .total,
    ).toBe(2)
    expect((await data<ThemesData>(themesPage.loader, '/themes?q=nothing-like-this')).total).toBe(0)
    // Unknown values are refused at their fields (400), the list shown without them (app/test/list-queries.test.ts).
    expect(
      (
        await data<ThemesData>(
          themesPage.loader,
          '/themes?field=nope&city=nowhere&closing=3&sort=x&page=-1',
          400,
        )
      ).total,
    ).toBe(2)
  })

  it('gives the same list as Atom and JSON Feed with the filters', async () => {
    const atom = await text(themesAtom.loader, '/themes.atom?field=public_assets')
    expect(atom.type).toMatch(/application\/atom\+xml/)
    expect(atom.body.match(/<entry>/g)).toHaveLength(1)
    expect(atom.body).toMatch(/\+09:00/)
    const feed = JSON.parse((await text(themesJson.loader, '/themes.json')).body) as {
      items: { url: string }[]
    }
    expect(feed.items).toHaveLength(2)
  })

  it('filters by the proposal type a theme is answered with (each city file’s type that answers published themes), in the page and the feeds', async () => {
    const typeOf = (slug: string) => themeProposalTypesOf(h.tenants.get(slug)!).map((type) => type.id)
    for (const slug of slugs) {
      const [type] = typeOf(slug)
      expect(type).toBeDefined()
      const page = await data<ThemesData & { filters: { name: string; value: string }[] }>(
        themesPage.loader,
        `/themes?type=${type}`,
      )
      expect(page.themes.map((theme) => theme.slug)).toEqual(
        slugs.filter((other) => typeOf(other).includes(type!)),
      )
      expect(page.filters.find((filter) => filter.name === 'type')?.value).toBe(type)
      const feed = JSON.parse((await text(themesJson.loader, `/themes.json?type=${type}`)).body) as {
        items: { url: string }[]
      }
      expect(feed.items.map((item) => new URL(item.url).pathname.split('/')[1])).toEqual(
        page.themes.map((theme) => theme.slug),
      )
    }
    // A city's type that does not answer themes (a free proposal) is no filter: refused (400), the list without it.
    const freeType = h.tenants
      .get(slugs[0]!)!
      .config.proposalTypes.find((type) => !type.answersPublishedTheme)!.id
    expect((await data<ThemesData>(themesPage.loader, `/themes?type=${freeType}`, 400)).total).toBe(2)
  })

  it('shares one parser with /cases: the same field, city and prefecture filters, each list its own extra', () => {
    const vocabulary = { taxonomy: context.taxonomy, cities: h.tenants.list() }
    const prefecture = vocabulary.cities[0]!.config.identity.prefecture!.ja
    const query = new URLSearchParams(<[string, string][]>[
      ['field', 'disaster_prevention'],
      ['field', 'nope'],
      ['city', slugs[0]!],
      ['city', slugs[0]!],
      ['prefecture', prefecture ?? ''],
      ['type', themeProposalTypesOf(vocabulary.cities[0]!)[0]!.id],
      ['method', vocabulary.cities[0]!.config.collaborationMethods[0]!.id],
    ])
    const themes = parseThemeSearch(query, vocabulary)
    const cases = parseCaseSearch(query, vocabulary)
    expect(themes.fields).toEqual(['disaster_prevention'])
    expect(cases.fields).toEqual(themes.fields)
    expect(cases.cities).toEqual([slugs[0]])
    expect(cases.prefecture).toBe(prefecture)
    expect(themes.method).toBeNull()
    expect(cases.proposalType).toBeNull()
    expect(parseSearchScope(scopeQuery(themes), vocabulary, 'themes')).toEqual(
      parseSearchScope(query, vocabulary, 'themes'),
    )
  })

  it('shows nothing of a draft city nor of a suspended one, in the page and the feeds', async () => {
    for (const status of ['draft', 'suspended'] as const) {
      await withCityStatus(slugs[0]!, status, async () => {
        const page = await data<ThemesData>(themesPage.loader, '/themes')
        expect(page.themes.map((theme) => theme.slug)).toEqual([slugs[1]])
        expect((await text(themesAtom.loader, '/themes.atom')).body).not.toContain(`/${slugs[0]}/`)
        expect((await text(themesJson.loader, '/themes.json')).body).not.toContain(`/${slugs[0]}/`)
      })
    }
  })
})

describe('/cases across cities', () => {
  it('lists every live city’s published cases, never a draft one, as a page, JSON and CSV with +09:00 times', async () => {
    const page = await data<CasesData>(casesPage.loader, '/cases')
    expect(page.total).toBe(2)
    expect(page.cases.map((row) => row.slug).sort()).toEqual([...slugs].sort())
    const drafts = await h.db.ownerSql<
      { id: string }[]
    >`SELECT id FROM published_cases WHERE status <> 'published'`
    expect(drafts.length).toBeGreaterThan(0)
    const csv = await text(casesCsv.loader, '/cases.csv')
    expect(csv.type).toMatch(/text\/csv/)
    expect(csv.body.trim().split('\n')).toHaveLength(3)
    expect(csv.body).toMatch(/T\d{2}:\d{2}:\d{2}\+09:00/)
    const json = (await text(casesJson.loader, '/cases.json')).body
    expect((JSON.parse(json) as { items: unknown[] }).items).toHaveLength(2)
    for (const draft of drafts) {
      for (const shown of [JSON.stringify(page), csv.body, json]) expect(shown).not.toContain(draft.id)
    }
  })

  it('shows nothing of a suspended or draft city in the page, the JSON or the CSV', async () => {
    for (const status of ['draft', 'suspended'] as const) {
      await withCityStatus(slugs[1]!, status, async () => {
        expect((await data<CasesData>(casesPage.loader, '/cases')).cases.map((row) => row.slug)).toEqual([
          slugs[0],
        ])
        expect((await text(casesCsv.loader, '/cases.csv')).body).not.toContain(`/${slugs[1]}/`)
        expect((await text(casesJson.loader, '/cases.json')).body).not.toContain(`/${slugs[1]}/`)
      })
    }
  })
})

describe('the platform home', () => {
  it('leads with the live cities and their desks, themes closing soon and recent cases', async () => {
    const home = await data<{
      cities: { slug: string; deskName: string }[]
      themes: unknown[]
      cases: unknown[]
    }>(homePage.loader, '/')
    expect(home.cities.map((city) => city.slug).sort()).toEqual([...slugs].sort())
    expect(home.cities.every((city) => city.deskName.length > 0)).toBe(true)
    expect(home.themes).toHaveLength(2)
    expect(home.cases).toHaveLength(2)
  })

  it('answers a current revalidation with 304', async () => {
    const first = await (themesPage.loader as unknown as Loader)({
      request: getRequest('/themes?_data=routes%2Fthemes._index'),
      context,
      params: {},
    })
    const etag = first.headers.get('ETag')!
    expect(etag).toMatch(/^W\//)
    const again = await (themesPage.loader as unknown as Loader)({
      request: new Request('http://localhost/themes?_data=routes%2Fthemes._index', {
        headers: { 'If-None-Match': etag },
      }),
      context,
      params: {},
    })
    expect(again.status).toBe(304)
  })
})

describe('similar cases elsewhere', () => {
  it('lists published cases of OTHER live cities in the proposal’s field; in that same field never the city’s own, an unpublished one, a draft city’s or a suspended city’s', async () => {
    const [home, other] = [h.tenants.get(slugs[0]!)!, h.tenants.get(slugs[1]!)!]
    const ids = await h.db.ownerSql<{ id: string; slug: string }[]>`SELECT id, slug FROM tenants`
    const tenantIdOf = (slug: string) => ids.find((row) => row.slug === slug)!.id
    const type = home.config.proposalTypes.find((candidate) => {
      const form = home.config.forms.find((f) => f.id === candidate.form)
      return form?.fields.some(
        (field) => field.type === 'multi_select' && field.options.some((o) => o.value === 'childcare'),
      )
    })!
    const form = home.config.forms.find((f) => f.id === type.form)!
    const fieldsQuestion = form.fields.find(
      (field) => field.type === 'multi_select' && field.options.some((o) => o.value === 'childcare'),
    )!
    const proposal = { proposalType: type.id, answers: { [fieldsQuestion.id]: ['childcare'] }, themeId: null }
    const similar = await similarCasesForProposal(h.db.runtimeDb, {
      tenantId: tenantIdOf(home.slug),
      config: home.config,
      proposal,
    })
    expect(similar.map((row) => row.citySlug)).toEqual([other.slug])
    const published = await h.db.ownerSql<{ id: string }[]>`
      SELECT id FROM published_cases WHERE tenant_id = ${tenantIdOf(other.slug)} AND status = 'published'`
    expect(similar.map((row) => row.id)).toEqual(published.map((row) => row.id))

    // In the SAME field: the other city's unpublished cases (a draft, a withdrawn one, one published
    // with a date still to come) and the home city's own published case — none is listed.
    const saved = await h.db.ownerSql<
      { id: string; status: string; platform_fields: string[]; published_at: Date | null }[]
    >`
      SELECT id, status, platform_fields, published_at FROM published_cases`
    const [draft] = await h.db.ownerSql<{ id: string }[]>`
      UPDATE published_cases SET platform_fields = ARRAY['childcare']
       WHERE tenant_id = ${tenantIdOf(other.slug)} AND status <> 'published' RETURNING id`
    expect(draft).toBeDefined()
    const [withdrawn, scheduled] = await h.db.ownerSql<{ id: string }[]>`
      INSERT INTO published_cases (tenant_id, status, title_ja, platform_fields, published_at, created_by)
      SELECT tenant_id, s.status, s.title, ARRAY['childcare'], s.published_at, created_by
        FROM published_cases, (VALUES (1, 'withdrawn', '取り下げた子育ての事例', now() - interval '1 day'),
                                      (2, 'published', '公表予定の子育ての事例', now() + interval '1 day'))
                              AS s (n, status, title, published_at)
       WHERE id = ${draft!.id} ORDER BY s.n RETURNING id`
    await h.db.ownerSql`
      UPDATE published_cases SET platform_fields = ARRAY['childcare']
       WHERE tenant_id = ${tenantIdOf(home.slug)} AND status = 'published'`
    const sameField = () =>
      similarCasesForProposal(h.db.runtimeDb, {
        tenantId: tenantIdOf(home.slug),
        config: home.config,
        proposal,
      })
    try {
      const listed = (await sameField()).map((row) => row.id)
      expect(listed).toEqual(published.map((row) => row.id))
      for (const hidden of [draft!.id, withdrawn!.id, scheduled!.id]) expect(listed).not.toContain(hidden)
      // The other city as a draft, then suspended: its published case in the same field is not listed.
      for (const status of ['draft', 'suspended'] as const) {
        await withCityStatus(other.slug, status, async () => {
          expect(await sameField()).toEqual([])
        })
      }
    } finally {
      await h.db
        .ownerSql`DELETE FROM published_cases WHERE id IN ${h.db.ownerSql([withdrawn!.id, scheduled!.id])}`
      for (const row of saved) {
        await h.db.ownerSql`
          UPDATE published_cases SET platform_fields = ${h.db.ownerSql.array(row.platform_fields)} WHERE id = ${row.id}`
      }
    }

    // Another field: nothing; the other city suspended: nothing.
    expect(
      await similarCasesForProposal(h.db.runtimeDb, {
        tenantId: tenantIdOf(home.slug),
        config: home.config,
        proposal: { ...proposal, answers: { [fieldsQuestion.id]: ['industry'] } },
      }),
    ).toEqual([])
    await withCityStatus(other.slug, 'suspended', async () => {
      expect(
        await similarCasesForProposal(h.db.runtimeDb, {
          tenantId: tenantIdOf(home.slug),
          config: home.config,
          proposal,
        }),
      ).toEqual([])
    })
  })
})

describe('similar cases elsewhere for a theme proposal', () => {
  it('looks in the fields of the proposal’s theme when the proposal names none, while the theme is open', async () => {
    const [home, other] = [h.tenants.get(slugs[0]!)!, h.tenants.get(slugs[1]!)!]
    const ids = await h.db.ownerSql<{ id: string; slug: string }[]>`SELECT id, slug FROM tenants`
    const tenantIdOf = (slug: string) => ids.find((row) => row.slug === slug)!.id
    const [theme] = await h.db.ownerSql<{ id: string; platform_fields: string[] }[]>`
      SELECT id, platform_fields FROM themes WHERE tenant_id = ${tenantIdOf(home.slug)} AND status = 'open' LIMIT 1`
    const [elsewhere] = await h.db.ownerSql<{ id: string; platform_fields: string[] }[]>`
      SELECT id, platform_fields FROM published_cases
       WHERE tenant_id = ${tenantIdOf(other.slug)} AND status = 'published' LIMIT 1`
    const similar = () =>
      similarCasesForProposal(h.db.runtimeDb, {
        tenantId: tenantIdOf(home.slug),
        config: home.config,
        proposal: { proposalType: home.config.proposalTypes[0]!.id, answers: {}, themeId: theme!.id },
      })
    try {
      await h.db.ownerSql`UPDATE themes SET platform_fields = ARRAY['childcare'] WHERE id = ${theme!.id}`
      await h.db
        .ownerSql`UPDATE published_cases SET platform_fields = ARRAY['childcare'] WHERE id = ${elsewhere!.id}`
      expect((await similar()).map((row) => row.id)).toEqual([elsewhere!.id])
      await h.db.ownerSql`UPDATE themes SET status = 'closed' WHERE id = ${theme!.id}`
      expect(await similar()).toEqual([])
    } finally {
      await h.db.ownerSql`
        UPDATE themes SET status = 'open', platform_fields = ${h.db.ownerSql.array(theme!.platform_fields)}
         WHERE id = ${theme!.id}`
      await h.db.ownerSql`
        UPDATE published_cases SET platform_fields = ${h.db.ownerSql.array(elsewhere!.platform_fields)}
         WHERE id = ${elsewhere!.id}`
    }
  })
})

describe('a desk opening a theme in a field', () => {
  it('shows it under that platform field on /themes at once; an unknown field is refused', async () => {
    const city = h.tenants.get(slugs[1]!)!
    const field = city.config.fieldsOfActivity.find(
      (candidate) => candidate.platformField === 'disaster_prevention',
    )!
    const [row] = await h.db.ownerSql<{ tenant_id: string; user_id: string }[]>`
      SELECT m.tenant_id, m.user_id FROM city_memberships m JOIN tenants t ON t.id = m.tenant_id
       WHERE t.slug = ${city.slug} AND m.role = 'desk_admin' LIMIT 1`
    const tenant = { id: row!.tenant_id, config: city.config, configVersion: city.version }
    const actor = { kind: 'staff' as const, userId: row!.user_id }
    const input = {
      titleJa: '避難所運営のデジタル化',
      titleEn: '',
      backgroundJa: '',
      backgroundEn: '',
      expectedOutcomeJa: '',
      expectedOutcomeEn: '',
      departmentKey: null,
      deadline: null,
    }
    await expect(
      saveTheme(h.db.runtimeDb, { tenant, actor, input: { ...input, fields: ['no_such_field'] } }),
    ).rejects.toThrow(/Unknown field of activity/)
    const { themeId } = await saveTheme(h.db.runtimeDb, {
      tenant,
      actor,
      input: { ...input, fields: [field.id] },
    })
    publishedContentChanged(city.slug)
    expect((await data<ThemesData>(themesPage.loader, '/themes?field=disaster_prevention')).total).toBe(0)
    await saveTheme(h.db.runtimeDb, { tenant, actor, themeId, status: 'open' })
    publishedContentChanged(city.slug)
    const listed = await data<ThemesData>(themesPage.loader, '/themes?field=disaster_prevention')
    expect(listed.themes.map((theme) => [theme.slug, theme.title])).toEqual([
      [city.slug, '避難所運営のデジタル化'],
    ])
    await saveTheme(h.db.runtimeDb, { tenant, actor, themeId, status: 'closed' })
    publishedContentChanged(city.slug)
    expect((await data<ThemesData>(themesPage.loader, '/themes?field=disaster_prevention')).total).toBe(0)
  })
})
