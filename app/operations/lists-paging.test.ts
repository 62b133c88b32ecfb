import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../db/testing'
import { withTenant } from '../../db/tenant-context'
import { filterCases } from '~/http/portal/case-filters'
import { listPublishedCases, pagePublishedCases, type CaseFilters } from '~/operations/portal/cases.server'
import { pageOpenThemes } from '~/operations/portal/themes.server'
import { listCasesForDesk } from './cases/cases.server'
import { listKnowHow } from './know-how/know-how.server'
import { LIST_PAGE_SIZE } from '~/utils/paging'
import { createTestCitiesAndProposers, submitTestProposal, type TestCity } from './proposals/testing.server'
import { listThemesForDesk } from './themes/themes.server'

/** Issue 17, finding 9: the desk's and the portal's lists come a page at a time, counted in SQL. */

let db: TestDatabase
let komatsu: TestCity
let aomori: TestCity

const ROWS = 120

// The fixture's rows are written as VALUES, not INSERT … SELECT generate_series: Citus runs the latter as a
// COPY into the shards, which forced row-level security refuses (the file runs in pnpm test:citus too).
const numbered = (count: number) => Array.from({ length: count }, (_, index) => index + 1)
const startedAt = Date.now()
const minutesAgo = (minutes: number) => new Date(startedAt - minutes * 60_000)

beforeAll(async () => {
  db = await createTestDatabase()
  const world = await createTestCitiesAndProposers(db.ownerSql)
  komatsu = world.cities.komatsu!
  aomori = world.cities.aomori!
  // Row n changed n minutes ago: newest first is 1, 2, … ROWS. Another city's rows are not counted.
  for (const [city, rows] of [
    [komatsu, ROWS],
    [aomori, 3],
  ] as const) {
    // Published n minutes ago too; the first 60 started in 2024; every second has a business agreement, every third the field dx.
    await db.ownerSql`INSERT INTO published_cases ${db.ownerSql(
      numbered(rows).map((n) => ({
        tenant_id: city.tenant.id,
        title_ja: `事例${n}`,
        status: 'published',
        updated_at: minutesAgo(n),
        published_at: minutesAgo(n),
        started_on: n <= 60 ? '2024-04-01' : null,
        agreement_kind: n % 2 === 0 ? 'business' : null,
        fields: n % 3 === 0 ? '{dx}' : '{}',
      })),
    )}`
    await db.ownerSql`INSERT INTO themes ${db.ownerSql(
      numbered(rows).map((n) => ({
        tenant_id: city.tenant.id,
        title_ja: `テーマ${n}`,
        created_at: minutesAgo(n),
      })),
    )}`
  }
  // Open themes for the portal: open n closes on day n; aomori's 3 drafts (above) are not the public's.
  await db.ownerSql`INSERT INTO themes ${db.ownerSql(
    numbered(ROWS).map((n) => ({
      tenant_id: aomori.tenant.id,
      title_ja: `募集中${n}`,
      status: 'open',
      deadline: new Date(Date.UTC(2027, 0, 1 + n)).toISOString().slice(0, 10),
      published_at: new Date(),
    })),
  )}`
  // Know-how: ROWS notes on one proposal, each marked; entry n marked n minutes ago.
  const proposal = await submitTestProposal(db.runtimeDb, {
    city: komatsu,
    proposer: world.business,
    answers: { title: '空き店舗の活用', summary: '空き店舗を創業支援の拠点にします。' },
  })
  const notes = await db.ownerSql<{ id: string; body: string }[]>`INSERT INTO internal_notes ${db.ownerSql(
    numbered(ROWS).map((n) => ({ tenant_id: komatsu.tenant.id, proposal_id: proposal.id, body: `所見${n}` })),
  )} RETURNING id, body`
  await db.ownerSql`INSERT INTO know_how_entries ${db.ownerSql(
    notes.map((note) => {
      const n = Number(note.body.slice('所見'.length))
      return {
        tenant_id: komatsu.tenant.id,
        internal_note_id: note.id,
        proposal_id: proposal.id,
        title: `ナレッジ${n}`,
        marked_at: minutesAgo(n),
      }
    }),
  )}`
}, 120_000)
afterAll(async () => {
  await db?.drop()
})

const expectedTitles = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`)

type Page = { page: number; pageCount: number; total: number }

/**
 * The paging every list shares: pages 1 and 3 of ROWS hold the titles in order, each page states the
 * total, and a page past the last answers the last. `rowsOf` picks a result's rows as { id, title }.
 */
async function expectPagedTitles<Result extends Page>(
  read: (page: number) => Promise<Result>,
  rowsOf: (result: Result) => { id: string; title: string | undefined }[],
  prefix: string,
) {
  const first = await read(1)
  expect(rowsOf(first)).toHaveLength(LIST_PAGE_SIZE)
  expect(first).toMatchObject({ page: 1, pageCount: 3, total: ROWS })
  expect(rowsOf(first).map((row) => row.title)).toEqual(expectedTitles(prefix, 1, 50))
  const last = await read(3)
  expect(rowsOf(last).map((row) => row.title)).toEqual(expectedTitles(prefix, 101, ROWS))
  const beyond = await read(99)
  expect(beyond).toMatchObject({ page: 3, pageCount: 3, total: ROWS })
  expect(rowsOf(beyond).map((row) => row.id)).toEqual(rowsOf(last).map((row) => row.id))
}

describe('the desk lists are paged', () => {
  it('lists the cases 50 a page, newest change first, with the total; past the last page, the last', async () => {
    const read = (page: number) =>
      listCasesForDesk(db.runtimeDb, { tenant: komatsu.tenant, actor: komatsu.desk, page })
    await expectPagedTitles(
      read,
      (result) => result.cases.map((row) => ({ id: row.id, title: row.titleJa })),
      '事例',
    )
    const second = await read(2)
    expect(second.cases.map((row) => row.titleJa)).toEqual(expectedTitles('事例', 51, 100))
    const other = await listCasesForDesk(db.runtimeDb, { tenant: aomori.tenant, actor: aomori.desk, page: 1 })
    expect(other).toMatchObject({ total: 3, pageCount: 1 })
  })

  it('lists the themes 50 a page, newest first, with the total; past the last page, the last', async () => {
    const read = (page: number) =>
      listThemesForDesk(db.runtimeDb, { tenant: komatsu.tenant, actor: komatsu.desk, page })
    await expectPagedTitles(
      read,
      (result) => result.themes.map((row) => ({ id: row.id, title: row.titleJa })),
      'テーマ',
    )
    const second = await read(2)
    expect(second.themes.map((row) => row.titleJa)).toEqual(expectedTitles('テーマ', 51, 100))
  })

  it('lists the know-how 50 a page, newest mark first, counting what the search matches', async () => {
    const read = (page: number, q?: string) =>
      listKnowHow(db.runtimeDb, { tenant: komatsu.tenant, actor: komatsu.desk, page, q })
    await expectPagedTitles(
      read,
      (result) => result.rows.map((row) => ({ id: row.id, title: row.title })),
      'ナレッジ',
    )
    // ナレッジ1, 10–19 and 100–120 match: one page, the total the search's.
    const searched = await read(1, 'ナレッジ1')
    expect(searched).toMatchObject({ page: 1, pageCount: 1, total: 32 })
    expect(searched.rows).toHaveLength(32)
  })

  it("lists the portal's open themes 50 a page, closing soonest first, with how many are open", async () => {
    const read = (page: number) =>
      withTenant(db.runtimeDb, { tenantId: aomori.tenant.id, userId: null, actor: 'public' }, (tx) =>
        pageOpenThemes(tx, page),
      )
    await expectPagedTitles(
      read,
      (result) => result.themes.map((theme) => ({ id: theme.id, title: theme.title.ja })),
      '募集中',
    )
  })

  it("lists the portal's published cases 50 a page, filtered in SQL as the filters read them, newest first", async () => {
    const asPublic = <T>(fn: Parameters<typeof withTenant<T>>[2]) =>
      withTenant(db.runtimeDb, { tenantId: komatsu.tenant.id, userId: null, actor: 'public' }, fn)
    const read = (filters: CaseFilters, page: number) =>
      asPublic((tx) => pagePublishedCases(tx, filters, page))
    const first = await read({}, 1)
    expect(first).toMatchObject({ page: 1, pageCount: 3, total: ROWS, published: ROWS })
    expect(first.cases.map((row) => row.title.ja)).toEqual(expectedTitles('事例', 1, 50))
    expect(first.years).toEqual([new Date().getUTCFullYear(), 2024])
    const beyond = await read({}, 99)
    expect(beyond).toMatchObject({ page: 3, pageCount: 3 })
    expect(beyond.cases.map((row) => row.title.ja)).toEqual(expectedTitles('事例', 101, ROWS))
    // Every page of a filtered list together is what the in-memory filter keeps, in the same order.
    const all = await asPublic(listPublishedCases)
    for (const filters of [
      { year: 2024 },
      { year: new Date().getUTCFullYear(), agreementKind: 'none' },
      { field: 'dx', agreementKind: 'business' },
    ] satisfies CaseFilters[]) {
      const expected = filterCases(all, filters).map((row) => row.id)
      const paged: string[] = []
      const { pageCount, total, published } = await read(filters, 1)
      expect({ total, published }).toEqual({ total: expected.length, published: ROWS })
      for (let page = 1; page <= pageCount; page++) {
        const { cases } = await read(filters, page)
        expect(cases.length).toBeLessThanOrEqual(LIST_PAGE_SIZE)
        paged.push(...cases.map((row) => row.id))
      }
      expect(paged).toEqual(expected)
    }
  })
})
