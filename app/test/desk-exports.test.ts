import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  countTransactions,
  createHarness,
  getRequest,
  demoSessionCookies,
  type Harness,
} from '~/test/harness'
import { localeCookie } from '~/utils/locale.server'
import * as dashboardCsv from '~/routes/$city.desk.dashboard[.]csv'
import * as dashboardPage from '~/routes/$city.desk.dashboard'
import * as inboxCsv from '~/routes/$city.desk.inbox[.]csv'
import * as inboxPage from '~/routes/$city.desk._index'
import * as knowHowPage from '~/routes/$city.desk.know-how'
import * as proposerProposalPage from '~/routes/proposals.$city.$proposalId'

/**
 * The desk's exports and know-how through the real routes, on the demo seed:
 * who may read them, that the CSV is exactly the inbox's view on every page,
 * that its text is safe in a spreadsheet, and that every read is audited.
 */
let h: Harness
const DESK = 'desk-staff@komatsu.example.jp'
const DEPARTMENT = 'dept-staff@komatsu.example.jp'
const PROPOSER = 'biz1@example.com'
const OTHER_CITY = 'desk-admin@aomori.example.jp'

const demoCookie = demoSessionCookies(() => h)
const cookieOf = async (email: string | null): Promise<string | null> => (email ? demoCookie(email) : null)

type Loader = (args: { request: Request; context: never; params: Record<string, string> }) => Promise<unknown>

async function load(
  route: { loader: unknown },
  path: string,
  email: string | null,
  params: Record<string, string>,
) {
  const cookie = await cookieOf(email)
  return (route.loader as Loader)({
    request: getRequest(path, cookie),
    context: (await h.contextFor(cookie)) as never,
    params,
  })
}

/** The HTTP status a loader ends with: its Response's, a thrown Response's, or 200 for data. */
async function statusOf(run: Promise<unknown>): Promise<number> {
  try {
    const result = await run
    return result instanceof Response ? result.status : 200
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status
    throw thrown
  }
}

/** RFC 4180, as a spreadsheet reads it: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"'
        index += 1
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      row.push(field)
      field = ''
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      index += 1
    } else field += char
  }
  return rows
}

async function csvOf(response: unknown) {
  expect(response).toBeInstanceOf(Response)
  const bytes = new Uint8Array(await (response as Response).arrayBuffer())
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  return parseCsv(new TextDecoder().decode(bytes.slice(3)))
}

async function auditRows(action: string) {
  return h.db.adminSql<{ payload: Record<string, unknown>; email: string }[]>`
    SELECT a.payload, u.email FROM audit_log a JOIN users u ON u.id = a.actor_user_id
     WHERE a.action = ${action} ORDER BY a.at`
}

let city: { id: string; organisationId: string; submitter: string }
const komatsu = { city: 'komatsu' }

beforeAll(async () => {
  h = await createHarness()
  const [row] = await h.db.adminSql<{ id: string; organisation_id: string; submitter_user_id: string }[]>`
    SELECT t.id, p.organisation_id, p.submitter_user_id FROM tenants t JOIN proposals p ON p.tenant_id = t.id
     WHERE t.slug = 'komatsu' AND p.submitted_at IS NOT NULL LIMIT 1`
  city = { id: row!.id, organisationId: row!.organisation_id, submitter: row!.submitter_user_id }
  // 30 more proposals than a page holds, with titles a spreadsheet would misread.
  const titles = [
    ...Array.from({ length: 28 }, (_, index) => `書き出し試験 ${String(index).padStart(2, '0')}`),
    '=HYPERLINK("http://example.com","書き出し試験")',
    '書き出し試験, "引用" と改行\nの件',
  ]
  for (const [index, title] of titles.entries()) {
    await h.db.adminSql`
      INSERT INTO proposals (tenant_id, id, organisation_id, submitter_user_id, proposal_type, track, state,
                             reference_code, title, submitted_at, early_answer_due_at)
      VALUES (${city.id}, ${randomUUID()}, ${city.organisationId}, ${city.submitter}, 'free', 'free', 'intake',
              ${`EXP-${String(index).padStart(2, '0')}`}, ${title},
              ${new Date(Date.UTC(2025, 0, 1 + index))}, ${new Date(Date.UTC(2025, 1, 1 + index))})`
  }
})
afterAll(async () => {
  await h?.close()
})

describe('the inbox as CSV', () => {
  it('lists exactly the current view on every page, in its order, safe for spreadsheets, and audits it', async () => {
    const query = `?q=${encodeURIComponent('書き出し試験')}&sort=oldest&overdueOnly=on`
    const rows = await csvOf(await load(inboxCsv, `/komatsu/desk/inbox.csv${query}`, DESK, komatsu))
    const [header, ...body] = rows
    expect(header).toEqual([
      '受付番号',
      '件名',
      '提案者',
      '提案の種類',
      '進め方',
      '状況',
      '担当課',
      '提出日',
      '早期回答の目安日',
      '目安超過',
    ])
    expect(body).toHaveLength(30)

    // The same proposals as the inbox's pages, in the same order.
    const pages = []
    for (const page of [1, 2]) {
      const data = (await load(inboxPage, `/komatsu/desk${query}&page=${page}`, DESK, komatsu)) as Response
      pages.push(...((await data.json()) as { rows: { referenceCode: string }[] }).rows)
    }
    expect(body.map((row) => row[0])).toEqual(pages.map((row) => row.referenceCode))

    expect(body[0]!.slice(0, 2)).toEqual(['EXP-00', '書き出し試験 00'])
    expect(body[0]![7]).toBe('2025-01-01')
    expect(body[0]![9]).toBe('超過')
    // A formula stays text; commas, quotes and line breaks survive quoting.
    expect(body[28]![1]).toBe(`'=HYPERLINK("http://example.com","書き出し試験")`)
    expect(body[29]![1]).toBe('書き出し試験, "引用" と改行\nの件')

    const [audit] = (await auditRows('proposal.list_exported')).slice(-1)
    expect(audit).toEqual({
      email: DESK,
      payload: { filters: { q: '書き出し試験', sort: 'oldest', overdueOnly: true }, rows: 30 },
    })
  })

  it('honours the other filters and gives department staff only their proposals', async () => {
    const none = await csvOf(
      await load(inboxCsv, '/komatsu/desk/inbox.csv?q=no-such-words-anywhere', DESK, komatsu),
    )
    expect(none).toHaveLength(1)
    // A stage the city does not have is refused (400, app/test/list-queries.test.ts), not an empty file.
    expect(await statusOf(load(inboxCsv, '/komatsu/desk/inbox.csv?state=no_such_state', DESK, komatsu))).toBe(
      400,
    )
    const department = await csvOf(await load(inboxCsv, '/komatsu/desk/inbox.csv', DEPARTMENT, komatsu))
    const page = (await (
      (await load(inboxPage, '/komatsu/desk', DEPARTMENT, komatsu)) as Response
    ).json()) as { total: number }
    expect(department.length - 1).toBe(page.total)
    expect(department.slice(1).some((row) => row[1]!.includes('書き出し試験'))).toBe(false)
  })

  it('is refused to proposers, other cities and anonymous visitors', async () => {
    expect(await statusOf(load(inboxCsv, '/komatsu/desk/inbox.csv', PROPOSER, komatsu))).toBe(403)
    expect(await statusOf(load(inboxCsv, '/komatsu/desk/inbox.csv', OTHER_CITY, komatsu))).toBe(403)
    expect(await statusOf(load(inboxCsv, '/komatsu/desk/inbox.csv', null, komatsu))).toBe(302)
    expect(await statusOf(load(inboxPage, '/komatsu/desk', PROPOSER, komatsu))).toBe(403)
    expect(await statusOf(load(inboxPage, '/komatsu/desk', OTHER_CITY, komatsu))).toBe(403)
    expect(await statusOf(load(inboxPage, '/komatsu/desk', null, komatsu))).toBe(302)
  })

  it('reads the membership, the inbox and the filter’s themes in one tenant transaction', async () => {
    const page = async (email: string) => {
      const cookie = await cookieOf(email)
      const context = await h.contextFor(cookie) // the session middleware's own transaction, not counted
      const { transactions, result } = await countTransactions(h, async () => {
        const response = (await inboxPage.loader({
          request: getRequest('/komatsu/desk', cookie),
          context,
          params: komatsu,
        })) as Response
        return (await response.json()) as { total: number; themes: unknown[] }
      })
      return { transactions, data: result }
    }
    await page(DESK) // the city's row id is looked up once per process
    const desk = await page(DESK)
    expect(desk.transactions).toBe(1)
    expect(desk.data.total).toBeGreaterThan(0)
    expect(desk.data.themes.length).toBeGreaterThan(0)
    const department = await page(DEPARTMENT)
    expect(department.transactions).toBe(1)
    expect(department.data.themes).toEqual([])
  })

  it('refuses a theme the filter does not offer (400, the reason in the reader’s language), in its one transaction, exporting and auditing nothing', async () => {
    const [theme] = await h.db.adminSql<{ id: string }[]>`
      SELECT th.id FROM themes th JOIN tenants t ON t.id = th.tenant_id WHERE t.slug = 'komatsu' LIMIT 1`
    const csvOf = async (themeId: string, email = DESK, locale: 'ja' | 'en' = 'ja') => {
      const cookie = [await cookieOf(email), await localeCookie.serialize(locale)].join('; ')
      const context = await h.contextFor(await cookieOf(email))
      return countTransactions(h, () =>
        (
          inboxCsv.loader({
            request: getRequest(`/komatsu/desk/inbox.csv?themeId=${themeId}`, cookie),
            context,
            params: komatsu,
          }) as Promise<Response>
        ).catch((thrown: unknown) => thrown as Response),
      )
    }
    const taken = await csvOf(theme!.id)
    expect(taken.result.status).toBe(200)
    const audits = (await auditRows('proposal.list_exported')).length
    // A well-formed id that is none of the city's themes: on main an empty file, 200, audited.
    const unknown = await csvOf(randomUUID())
    expect(unknown.result.status).toBe(400)
    expect(unknown.result.headers.get('Content-Type')).toMatch(/^text\/plain/)
    expect(await unknown.result.text()).toBe('テーマ: 選択肢から選んでください。\n')
    expect(unknown.transactions).toBe(taken.transactions)
    expect((await auditRows('proposal.list_exported')).length).toBe(audits)
    const english = await csvOf(randomUUID(), DESK, 'en')
    expect(await english.result.text()).toBe('Theme: Please choose one of the options.\n')
    // Department staff have no theme filter (the page refuses any theme id for them): so does the CSV.
    expect((await csvOf(theme!.id, DEPARTMENT)).result.status).toBe(400)
  })
})

describe('the dashboard page and its CSV', () => {
  it('shows the figures to desk and department staff only', async () => {
    const data = (await (
      (await load(
        dashboardPage,
        '/komatsu/desk/dashboard?from=2025-01&to=2025-12',
        DESK,
        komatsu,
      )) as Response
    ).json()) as { figures: { total: { submitted: number } }; problem: string | null }
    expect(data.problem).toBeNull()
    expect(data.figures.total.submitted).toBe(30)
    expect(await statusOf(load(dashboardPage, '/komatsu/desk/dashboard', DEPARTMENT, komatsu))).toBe(200)
    expect(await statusOf(load(dashboardPage, '/komatsu/desk/dashboard', PROPOSER, komatsu))).toBe(403)
    expect(await statusOf(load(dashboardPage, '/komatsu/desk/dashboard', OTHER_CITY, komatsu))).toBe(403)
  })

  it('says why a bad period was not taken, and shows the default instead', async () => {
    const data = (await (
      (await load(
        dashboardPage,
        '/komatsu/desk/dashboard?from=2025-06&to=2025-01',
        DESK,
        komatsu,
      )) as Response
    ).json()) as { problem: string; figures: { period: { from: string; to: string } } }
    expect(data.problem).toBe('reversed')
    expect(data.figures.period.to > '2025-06').toBe(true)
  })

  type Refused = {
    problem: string | null
    fieldErrors: Record<string, string>
    values: Record<string, string>
    figures: { period: { from: string; to: string } }
  }
  it.each([
    ['?from=2026-13', { from: 'dashboard:filters.errors.invalidMonth' }, 'invalidMonth'],
    ['?to=abc', { to: 'dashboard:filters.errors.invalidMonth' }, 'invalidMonth'],
    [
      '?from=2025-00&to=20251',
      { from: 'dashboard:filters.errors.invalidMonth', to: 'dashboard:filters.errors.invalidMonth' },
      'invalidMonth',
    ],
    ['?from=2025-06&to=2025-01', { from: 'dashboard:filters.errors.reversed' }, 'reversed'],
    ['?from=2000-01&to=2025-01', { from: 'dashboard:filters.errors.tooLong' }, 'tooLong'],
    ['?track=no-such-track', { track: 'auth:validation.choose' }, null],
  ])(
    'refuses %s (400) with the message at its field and what was sent',
    async (query, fieldErrors, problem) => {
      const response = (await load(
        dashboardPage,
        `/komatsu/desk/dashboard${query}`,
        DESK,
        komatsu,
      )) as Response
      expect(response.status).toBe(400)
      const data = (await response.json()) as Refused
      expect(data.fieldErrors).toEqual(fieldErrors)
      expect(data.problem).toBe(problem)
      expect(data.values).toEqual(Object.fromEntries(new URLSearchParams(query)))
      // The figures shown are the default period's, which the page says (never the refused period's).
      expect(data.figures.period.to >= '2026-01').toBe(true)
    },
  )

  it('refuses a CSV of a bad period (400) with the reason in the reader’s language, never the default’s figures', async () => {
    for (const query of ['from=2026-13', 'to=abc', 'from=2025-06&to=2025-01']) {
      const response = (await load(
        dashboardCsv,
        `/komatsu/desk/dashboard.csv?${query}&table=months`,
        DESK,
        komatsu,
      ).catch((thrown: unknown) => thrown)) as Response
      expect(response.status).toBe(400)
      expect(response.headers.get('Content-Type')).toMatch(/^text\/plain/)
      expect(await response.text()).toMatch(/開始月|YYYY-MM/)
    }
    const before = (await auditRows('dashboard.exported')).length
    await load(dashboardCsv, '/komatsu/desk/dashboard.csv?to=abc&table=months', DESK, komatsu).catch(
      () => null,
    )
    expect(await auditRows('dashboard.exported')).toHaveLength(before)
  })

  it('exports a table as shown, with the byte-order mark, and audits it; an unknown table is 404', async () => {
    const rows = await csvOf(
      await load(
        dashboardCsv,
        '/komatsu/desk/dashboard.csv?from=2025-01&to=2025-03&table=months',
        DESK,
        komatsu,
      ),
    )
    expect(rows).toEqual([
      ['提出月', '提出数'],
      ['2025-01', '30'],
      ['2025-02', '0'],
      ['2025-03', '0'],
    ])
    const [audit] = (await auditRows('dashboard.exported')).slice(-1)
    expect(audit).toEqual({
      email: DESK,
      payload: { period: { from: '2025-01', to: '2025-03' }, track: null },
    })
    expect(
      await statusOf(load(dashboardCsv, '/komatsu/desk/dashboard.csv?table=secrets', DESK, komatsu)),
    ).toBe(404)
    expect(
      await statusOf(load(dashboardCsv, '/komatsu/desk/dashboard.csv?table=months', PROPOSER, komatsu)),
    ).toBe(403)
  })
})

describe('know-how', () => {
  async function post(email: string, fields: Record<string, string | string[]>) {
    const cookie = await cookieOf(email)
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(fields))
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one)
    const request = new Request('http://localhost/komatsu/desk/know-how', {
      method: 'POST',
      headers: {
        Origin: 'http://localhost',
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(cookie ? { Cookie: cookie } : {}),
      },
      body,
    })
    return knowHowPage
      .action({ request, context: await h.contextFor(cookie), params: komatsu })
      .catch((thrown: unknown) => thrown)
  }
  const list = async (email: string, query = '') =>
    (await (
      (await load(knowHowPage, `/komatsu/desk/know-how${query}`, email, komatsu)) as Response
    ).json()) as {
      rows: { title: string; noteBody: string; fields: string[]; markedByName: string; proposalId: string }[]
    }

  let note: { id: string; proposal_id: string }
  beforeAll(async () => {
    const [row] = await h.db.adminSql<{ id: string; proposal_id: string }[]>`
      SELECT n.id, n.proposal_id FROM internal_notes n JOIN tenants t ON t.id = n.tenant_id
       WHERE t.slug = 'komatsu' LIMIT 1`
    note = row!
    await h.db.adminSql`DELETE FROM know_how_entries WHERE internal_note_id = ${note.id}`
  })

  it('lets staff mark a note as good practice and find it by Japanese words and field', async () => {
    const back = `/komatsu/desk/proposals/${note.proposal_id}`
    const response = (await post(DESK, {
      noteId: note.id,
      title: '財産活用の担当と早めに共有する',
      fields: ['industry', 'dx'],
      redirectTo: back,
    })) as Response
    expect([response.status, response.headers.get('Location')]).toEqual([302, back])

    const all = await list(DESK)
    expect(all.rows).toHaveLength(1)
    expect(all.rows[0]).toMatchObject({
      title: '財産活用の担当と早めに共有する',
      fields: ['industry', 'dx'],
      proposalId: note.proposal_id,
    })
    expect(all.rows[0]!.markedByName).not.toBe('')
    expect((await list(DESK, `?q=${encodeURIComponent('庁内調整')}`)).rows).toHaveLength(1) // the note's text
    expect((await list(DESK, `?q=${encodeURIComponent('早めに　共有')}`)).rows).toHaveLength(1) // full-width space
    expect((await list(DESK, `?q=${encodeURIComponent('存在しない語')}`)).rows).toHaveLength(0)
    expect((await list(DESK, '?field=dx')).rows).toHaveLength(1)
    expect((await list(DESK, '?field=tourism')).rows).toHaveLength(0)
    // The demo note sits on a proposal routed to the department staff's department.
    expect((await list(DEPARTMENT)).rows).toHaveLength(1)

    const audits = await auditRows('know_how.listed')
    expect(audits.at(-1)).toEqual({ email: DEPARTMENT, payload: { q: '', field: null, page: 1, rows: 1 } })
    expect((await auditRows('know_how.marked')).at(-1)!.email).toBe(DESK)
  })

  it('refuses bad input with a message per field and changes nothing', async () => {
    const tooLong = (await post(DESK, { noteId: note.id, title: 'あ'.repeat(81) })) as Response
    // A form the schema refuses is an invalid_form 400, as every form read by parseSubmission (cea7bac).
    expect(tooLong.status).toBe(400)
    expect(Object.keys(((await tooLong.json()) as { fieldErrors: object }).fieldErrors)).toEqual(['title'])
    const unknownField = (await post(DESK, { noteId: note.id, fields: ['no_such_field'] })) as Response
    expect(unknownField.status).toBe(400)
    expect(Object.keys(((await unknownField.json()) as { fieldErrors: object }).fieldErrors)).toEqual([
      'fields',
    ])
    expect(await statusOf(post(DESK, { noteId: randomUUID() }))).toBe(404)
    expect((await list(DESK)).rows[0]).toMatchObject({ title: '財産活用の担当と早めに共有する' })
  })

  it('is never shown to proposers or other cities', async () => {
    expect(await statusOf(load(knowHowPage, '/komatsu/desk/know-how', PROPOSER, komatsu))).toBe(403)
    expect(await statusOf(load(knowHowPage, '/komatsu/desk/know-how', OTHER_CITY, komatsu))).toBe(403)
    expect(await statusOf(post(PROPOSER, { noteId: note.id, intent: 'unmark' }))).toBe(403)
    // The proposer's own page of that proposal carries neither the note nor the mark.
    const [owner] = await h.db.adminSql<{ email: string }[]>`
      SELECT u.email FROM proposals p JOIN organisation_members om ON om.organisation_id = p.organisation_id
        JOIN users u ON u.id = om.user_id WHERE p.id = ${note.proposal_id} LIMIT 1`
    const page = (await load(proposerProposalPage, `/proposals/komatsu/${note.proposal_id}`, owner!.email, {
      city: 'komatsu',
      proposalId: note.proposal_id,
    })) as Response
    const text = JSON.stringify(await page.json())
    expect(text).not.toContain('財産活用の担当と早めに共有する')
    expect(text).not.toContain('庁内調整')
  })

  it('unmarks', async () => {
    expect(((await post(DESK, { noteId: note.id, intent: 'unmark' })) as Response).status).toBe(302)
    expect((await list(DESK)).rows).toHaveLength(0)
  })
})
