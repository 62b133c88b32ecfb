import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localeCookie } from '~/utils/locale.server'
import { createHarness, demoSessionCookies, type Harness } from '~/test/harness'
import * as knowHowPage from '~/routes/$city.desk.know-how'
import * as operatorAccountsPage from '~/routes/operator.accounts'
import * as proposalFormPage from '~/routes/proposals.new'
import * as inboxPage from '~/routes/$city.desk._index'
import * as inboxCsv from '~/routes/$city.desk.inbox[.]csv'
import * as cityCasesPage from '~/routes/$city.cases._index'
import * as cityCasesAtom from '~/routes/$city.cases[.]atom'
import * as cityCasesCsv from '~/routes/$city.cases[.]csv'
import * as cityCasesJson from '~/routes/$city.cases[.]json'
import * as themesPage from '~/routes/themes._index'
import * as themesAtom from '~/routes/themes[.]atom'
import * as themesJson from '~/routes/themes[.]json'
import * as casesPage from '~/routes/cases._index'
import * as casesCsv from '~/routes/cases[.]csv'
import * as casesJson from '~/routes/cases[.]json'
import * as cityThemesPage from '~/routes/$city.themes._index'
import * as deskCasesPage from '~/routes/$city.desk.cases._index'
import * as deskThemesPage from '~/routes/$city.desk.themes'
import * as myProposalsPage from '~/routes/proposals._index'

/**
 * The lists' GET filter forms read as forms (issue 19): a value the form
 * does not offer (an unknown field, a year or page number that is not one)
 * is a 400 with its message at its field and what was sent, beside the list
 * without that filter, said so; a feed or file of the same query is a 400
 * with the reason in the reader's language — never a silent default under
 * the asked address, never a 500.
 */
let h: Harness
const CITY = 'komatsu'
const deskCookie = demoSessionCookies(() => h)

beforeAll(async () => {
  h = await createHarness()
})
afterAll(async () => {
  await h?.close()
})

type Loader = (args: { request: Request; context: never; params: Record<string, string> }) => Promise<unknown>

/** A loader's answer, thrown or returned, to a request in `locale` (the language cookie) with `cookie`. */
async function answer(
  route: { loader: unknown },
  path: string,
  {
    locale = 'ja',
    cookie = null,
    params = {},
  }: { locale?: 'ja' | 'en'; cookie?: string | null; params?: Record<string, string> } = {},
): Promise<Response> {
  const cookies = [await localeCookie.serialize(locale), cookie].filter(Boolean).join('; ')
  const request = new Request(`http://localhost${path}`, { headers: { Cookie: cookies } })
  try {
    const result = await (route.loader as Loader)({
      request,
      context: (await h.contextFor(cookie)) as never,
      params,
    })
    if (result instanceof Response) return result
    return new Response(JSON.stringify(result), { status: 200 })
  } catch (thrown) {
    if (thrown instanceof Response) return thrown
    throw thrown
  }
}

type Refused = { fieldErrors: Record<string, string>; values: Record<string, string> }

describe('a city’s published cases', () => {
  type CasesData = Refused & { matching: number; total: number; filters: Record<string, string> }
  const params = { city: CITY }

  it('takes the filters it offers', async () => {
    const response = await answer(cityCasesPage, `/${CITY}/cases?field=childcare&agreement=none`, { params })
    expect(response.status).toBe(200)
    const data = (await response.json()) as CasesData
    expect(data.fieldErrors).toEqual({})
    expect(data.filters).toMatchObject({ field: 'childcare', agreement: 'none' })
  })

  it.each([
    ['field=no-such-field', { field: 'auth:validation.choose' }],
    ['agreement=unknown', { agreement: 'auth:validation.choose' }],
    ['year=20x5', { year: 'auth:validation.choose' }],
    ['year=1850&field=childcare', { year: 'auth:validation.choose' }],
    ['page=abc', { page: 'common:query.page' }],
    ['page=0', { page: 'common:query.page' }],
  ])(
    'refuses ?%s (400) at its field, with what was sent, the list without it',
    async (query, fieldErrors) => {
      const response = await answer(cityCasesPage, `/${CITY}/cases?${query}`, { params })
      expect(response.status).toBe(400)
      const data = (await response.json()) as CasesData
      expect(data.fieldErrors).toEqual(fieldErrors)
      expect(data.values).toEqual(Object.fromEntries(new URLSearchParams(query)))
      // The list shown is the one without the refused filter (the page says so), the others still applied.
      for (const name of Object.keys(fieldErrors)) expect(data.filters[name] ?? '').toBe('')
    },
  )

  it('refuses the same query as Atom, JSON Feed and CSV (400) with the reason in the reader’s language', async () => {
    for (const route of [cityCasesAtom, cityCasesJson, cityCasesCsv]) {
      const ja = await answer(route, `/${CITY}/cases.json?field=no-such-field`, { params })
      expect(ja.status).toBe(400)
      expect(ja.headers.get('Content-Type')).toMatch(/^text\/plain/)
      expect(await ja.text()).toBe('分野: 選択肢から選んでください。\n')
      const en = await answer(route, `/${CITY}/cases.json?year=abc&page=-1`, { params, locale: 'en' })
      expect(en.status).toBe(400)
      expect(await en.text()).toMatch(/^Year: Please choose one of the options\.\n.*The page number must be/)
      expect((await answer(route, `/${CITY}/cases.json?field=childcare`, { params })).status).toBe(200)
    }
  })
})

describe('the cross-city lists, /themes and /cases', () => {
  type ListData = Refused & { total: number; q: string; filters: { name: string; value: string }[] }
  const valueOf = (data: ListData, name: string) => data.filters.find((filter) => filter.name === name)?.value

  it('take the filters their form offers', async () => {
    for (const path of [
      '/themes?field=public_assets&sort=newest&closing=30&q=%E5%85%AC%E5%85%B1',
      '/cases?field=public_assets&year=2025',
    ]) {
      const route = path.startsWith('/themes') ? themesPage : casesPage
      const response = await answer(route, path)
      expect(response.status, path).toBe(200)
      expect(((await response.json()) as ListData).fieldErrors).toEqual({})
    }
  })

  it.each([
    ['/themes?field=no-such-field', { field: 'auth:validation.choose' }],
    ['/themes?field=public_assets&field=nope', { field: 'auth:validation.choose' }],
    ['/themes?city=nowhere&sort=newest', { city: 'auth:validation.choose' }],
    ['/themes?prefecture=%E3%81%AA%E3%81%84', { prefecture: 'auth:validation.choose' }],
    ['/themes?type=nope', { type: 'auth:validation.choose' }],
    ['/themes?closing=3&sort=x', { closing: 'auth:validation.choose', sort: 'auth:validation.choose' }],
    [`/themes?q=${'a'.repeat(201)}`, { q: 'auth:validation.tooLong' }],
    ['/themes?page=-1', { page: 'common:query.page' }],
    ['/cases?method=nope', { method: 'auth:validation.choose' }],
    ['/cases?year=abc&field=public_assets', { year: 'auth:validation.choose' }],
    ['/cases?page=1.5', { page: 'common:query.page' }],
  ])('refuses %s (400) at its field, with what was sent, the list without it', async (path, fieldErrors) => {
    const response = await answer(path.startsWith('/themes') ? themesPage : casesPage, path)
    expect(response.status).toBe(400)
    const data = (await response.json()) as ListData
    expect(data.fieldErrors).toEqual(fieldErrors)
    expect(Object.keys(data.values).sort()).toEqual(
      [...new Set(new URL(path, 'http://x').searchParams.keys())].sort(),
    )
    for (const name of Object.keys(fieldErrors))
      if (name !== 'sort') expect(valueOf(data, name) ?? '').toBe('')
    // A filter that was taken still applies.
    if (path.includes('field=public_assets') && !('field' in fieldErrors))
      expect(valueOf(data, 'field')).toBe('public_assets')
  })

  it('refuse the same query as Atom, JSON Feed and CSV (400) with the reason in the reader’s language', async () => {
    for (const [route, path] of [
      [themesAtom, '/themes.atom'],
      [themesJson, '/themes.json'],
      [casesJson, '/cases.json'],
      [casesCsv, '/cases.csv'],
    ] as const) {
      const ja = await answer(route, `${path}?field=no-such-field`)
      expect(ja.status, path).toBe(400)
      expect(ja.headers.get('Content-Type')).toMatch(/^text\/plain/)
      expect(await ja.text()).toBe('分野: 選択肢から選んでください。\n')
      const en = await answer(route, `${path}?city=nowhere`, { locale: 'en' })
      expect(en.status).toBe(400)
      expect(await en.text()).toBe('Municipality: Please choose one of the options.\n')
      expect((await answer(route, `${path}?field=public_assets`)).status).toBe(200)
    }
  })
})

describe('the desk’s know-how search', () => {
  type KnowHowData = Refused & { total: number; search: { q: string; field: string } }
  const params = { city: CITY }
  const search = async (query: string, locale: 'ja' | 'en' = 'ja') =>
    answer(knowHowPage, `/${CITY}/desk/know-how?${query}`, {
      params,
      locale,
      cookie: await deskCookie('desk-staff@komatsu.example.jp'),
    })

  it('takes the words and a field of the city', async () => {
    const response = await search('q=%E8%B2%A1%E7%94%A3&field=childcare')
    expect(response.status).toBe(200)
    const data = (await response.json()) as KnowHowData
    expect(data.fieldErrors).toEqual({})
    expect(data.search).toEqual({ q: '財産', field: 'childcare' })
  })

  it.each([
    ['field=no-such-field&q=x', { field: 'auth:validation.choose' }],
    [`q=${'a'.repeat(201)}`, { q: 'auth:validation.tooLong' }],
    ['page=two', { page: 'common:query.page' }],
  ])(
    'refuses ?%s (400) at its field, with what was sent, the search without it',
    async (query, fieldErrors) => {
      const response = await search(query)
      expect(response.status).toBe(400)
      const data = (await response.json()) as KnowHowData
      expect(data.fieldErrors).toEqual(fieldErrors)
      expect(data.values).toEqual(Object.fromEntries(new URLSearchParams(query)))
      for (const name of Object.keys(fieldErrors)) expect(data.search[name as 'q' | 'field'] ?? '').toBe('')
      if (query.includes('q=x')) expect(data.search.q).toBe('x')
    },
  )
})

describe('the operator’s account search', () => {
  const find = async (query: string) => {
    const operator = 'operator@example.com'
    const cookie = await deskCookie(operator)
    // The second factor given (the TOTP step is tested in operator-session.test).
    await h.db
      .adminSql`UPDATE sessions SET second_factor_at = now() WHERE user_id = (SELECT id FROM users WHERE email = ${operator})`
    return answer(operatorAccountsPage, `/operator/accounts?${query}`, { cookie })
  }
  type AccountsData = Refused & { email: string; account: { email: string } | null }

  it('finds an account by its address', async () => {
    const response = await find('email=BIZ2%40example.com')
    expect(response.status).toBe(200)
    const data = (await response.json()) as AccountsData
    expect(data.account?.email).toBe('biz2@example.com')
    expect(data.fieldErrors).toEqual({})
  })

  it.each([
    ['email=not-an-address', 'auth:validation.email'],
    [`email=${'a'.repeat(250)}%40example.com`, 'auth:validation.tooLong'],
  ])('refuses ?%s (400) at its field with what was sent, and looks nothing up', async (query, message) => {
    const response = await find(query)
    expect(response.status).toBe(400)
    const data = (await response.json()) as AccountsData
    expect(data.fieldErrors).toEqual({ email: message })
    expect(data.values).toEqual(Object.fromEntries(new URLSearchParams(query)))
    expect(data.email).toBe('')
    expect(data.account).toBeNull()
  })
})

describe('the proposal form’s choice of organisation and cities', () => {
  type NewData = Refused & { organisationId: string | null; cities: { slug: string }[] }
  const open = async (query: string) =>
    answer(proposalFormPage, `/proposals/new?${query}`, { cookie: await deskCookie('biz1@example.com') })

  it('takes an organisation of the reader’s and the cities there are', async () => {
    const response = await open(`city=${CITY}`)
    expect(response.status).toBe(200)
    const data = (await response.json()) as NewData
    expect(data.fieldErrors).toEqual({})
    expect(data.cities.map((city) => city.slug)).toEqual([CITY])
    // Nothing refused, nothing 'sent back': the kit's boxes then tick the chosen cities.
    expect(data.values).toBeUndefined()
  })

  it('refuses a city there is not (400) at its field, what was sent checked again, and shows no city’s form', async () => {
    const response = await open(`city=nowhere&city=${CITY}`)
    expect(response.status).toBe(400)
    const data = (await response.json()) as NewData
    expect(data.fieldErrors).toEqual({ city: 'auth:validation.choose' })
    expect(data.values).toEqual({ city: ['nowhere', CITY] })
    expect(data.cities).toEqual([])
  })

  it('refuses an organisation the reader is not a member of (400) at its field, and shows their first', async () => {
    const [other] = await h.db.adminSql<{ id: string }[]>`
      SELECT o.id FROM organisations o WHERE NOT EXISTS (
        SELECT 1 FROM organisation_members m JOIN users u ON u.id = m.user_id
         WHERE m.organisation_id = o.id AND u.email = 'biz1@example.com') LIMIT 1`
    const response = await open(`organisation=${other!.id}&city=${CITY}`)
    expect(response.status).toBe(400)
    const data = (await response.json()) as NewData
    expect(data.fieldErrors).toEqual({ organisation: 'auth:validation.choose' })
    expect(data.organisationId).not.toBe(other!.id)
    expect(data.organisationId).not.toBeNull()
    expect(data.cities.map((city) => city.slug)).toEqual([CITY])
  })
})

describe('the desk inbox’s filters', () => {
  type InboxData = Refused & { total: number }
  const params = { city: CITY }
  const open = async (route: { loader: unknown }, path: string, locale: 'ja' | 'en' = 'ja') =>
    answer(route, path, { params, locale, cookie: await deskCookie('desk-staff@komatsu.example.jp') })

  it('takes what its form sends', async () => {
    const { tracks, departments } = h.tenants.get(CITY)!.config
    const query = new URLSearchParams({
      state: tracks[0]!.steps[0]!.id,
      track: tracks[0]!.id,
      department: departments[0]!.id,
      olderThanDays: '3',
      waitingOnly: 'on',
      sort: 'oldest',
      q: '公園',
    })
    const response = await open(inboxPage, `/${CITY}/desk?${query}`)
    expect(response.status).toBe(200)
    expect(((await response.json()) as InboxData).fieldErrors).toEqual({})
    expect((await open(inboxCsv, `/${CITY}/desk/inbox.csv?${query}`)).status).toBe(200)
  })

  it.each([
    ['state=no-such-stage', { state: 'auth:validation.choose' }],
    ['track=no-such-track', { track: 'auth:validation.choose' }],
    ['department=nowhere', { department: 'auth:validation.choose' }],
    ['themeId=not-an-id', { themeId: 'auth:validation.choose' }],
    ['themeId=00000000-0000-4000-8000-000000000000', { themeId: 'auth:validation.choose' }],
    ['olderThanDays=abc', { olderThanDays: 'desk:inbox.errors.olderThanDays' }],
    ['olderThanDays=0', { olderThanDays: 'desk:inbox.errors.olderThanDays' }],
    ['overdueOnly=yes', { overdueOnly: 'auth:validation.invalid' }],
    ['sort=random', { sort: 'auth:validation.choose' }],
    ['page=abc', { page: 'common:query.page' }],
  ])(
    'refuses ?%s (400) at its field with what was sent, the inbox without it',
    async (query, fieldErrors) => {
      const everything = (await (await open(inboxPage, `/${CITY}/desk`)).json()) as InboxData
      const response = await open(inboxPage, `/${CITY}/desk?${query}`)
      expect(response.status).toBe(400)
      const data = (await response.json()) as InboxData
      expect(data.fieldErrors).toEqual(fieldErrors)
      expect(data.values).toEqual(Object.fromEntries(new URLSearchParams(query)))
      // The inbox shown is the one without the refused filter (here: every proposal), never an empty one.
      expect(data.total).toBe(everything.total)
      expect(data.total).toBeGreaterThan(0)
    },
  )

  it('refuses the same query as CSV (400) with the reason in the reader’s language, downloading nothing', async () => {
    const ja = await open(inboxCsv, `/${CITY}/desk/inbox.csv?state=no-such-stage`)
    expect(ja.status).toBe(400)
    expect(ja.headers.get('Content-Type')).toMatch(/^text\/plain/)
    expect(await ja.text()).toBe('段階: 選択肢から選んでください。\n')
    const en = await open(inboxCsv, `/${CITY}/desk/inbox.csv?olderThanDays=-2`, 'en')
    expect(await en.text()).toBe(
      'Submitted at least this many days ago: Enter a number of days from 1 to 3650.\n',
    )
  })
})

describe('the lists with a pager and no filter form', () => {
  type PagedData = { fieldErrors: Record<string, string>; page: number; pageCount: number }
  const DESK = 'desk-staff@komatsu.example.jp'
  const lists = [
    { name: 'a city’s open themes', route: cityThemesPage, path: `/${CITY}/themes`, email: null },
    { name: 'the desk’s cases', route: deskCasesPage, path: `/${CITY}/desk/cases`, email: DESK },
    { name: 'the desk’s themes', route: deskThemesPage, path: `/${CITY}/desk/themes`, email: DESK },
    {
      name: 'the proposer’s proposals',
      route: myProposalsPage,
      path: '/proposals',
      email: 'biz1@example.com',
    },
  ]
  const open = async ({ route, path, email }: (typeof lists)[number], query: string) =>
    answer(route, `${path}?${query}`, { params: { city: CITY }, cookie: email && (await deskCookie(email)) })

  it.each(lists)('$name: takes a page number, and one past the last as before', async (list) => {
    const first = await open(list, 'page=1')
    expect(first.status).toBe(200)
    const data = (await first.json()) as PagedData
    expect(data.fieldErrors).toEqual({})
    expect(data.page).toBe(1)
    // Past the last page is a page number, not refused: each list answers it as it did.
    expect((await open(list, 'page=999')).status).toBe(200)
  })

  it.each(lists.flatMap((list) => ['abc', '0', '-1', '1.5'].map((page) => ({ ...list, page }))))(
    '$name: refuses ?page=$page (400) with the page number’s message, and shows the first page',
    async (list) => {
      const response = await open(list, `page=${list.page}`)
      expect(response.status).toBe(400)
      const data = (await response.json()) as PagedData
      expect(data.fieldErrors).toEqual({ page: 'common:query.page' })
      expect(data.page).toBe(1)
    },
  )
})
