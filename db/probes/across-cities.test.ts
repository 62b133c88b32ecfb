import type { TransactionSql } from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../testing'
import { readCatalogue } from './catalogue'
import { seedProbeFixtures, type World } from './fixtures'

/**
 * The cross-city readers against the probe world: two cities, each with an
 * open, a draft and a closed theme and a published, a scheduled (published_at
 * to come) and a withdrawn case. The rule is the views' of migration 0021:
 * exactly the open themes and the published cases of live cities, to every
 * actor, and nothing of a draft or suspended city. The runtime role reads it
 * only through SECURITY DEFINER readers (on a Citus coordinator a view would
 * run its shard queries as the caller: migration 0041): the search functions
 * of migration 0028, unfiltered and filtered by a field every row has, and the
 * readers by id of 0041 given the id of every theme and case, whatever its
 * status — every check reads all of them. In `pnpm test:citus` too.
 */

let db: TestDatabase
let world: World
/** Every theme's and every case's id, as array literals: the readers by id must still show only the rule's rows. */
let everyId: { themes: string; cases: string }

beforeAll(async () => {
  db = await createTestDatabase()
  world = await seedProbeFixtures(db.ownerSql, await readCatalogue(db.adminSql))
  // Every theme and case, whatever its status, in one field and deadline: no filter may let one through.
  await db.ownerSql`UPDATE themes SET platform_fields = '{dx}', deadline = '2030-01-01'`
  await db.ownerSql`UPDATE published_cases SET platform_fields = '{dx}'`
  const idsOf = async (table: 'themes' | 'published_cases') =>
    `'{${(await db.ownerSql<{ id: string }[]>`SELECT id FROM ${db.ownerSql(table)}`).map((row) => row.id).join(',')}}'`
  everyId = { themes: await idsOf('themes'), cases: await idsOf('published_cases') }
})
afterAll(async () => {
  await db?.drop()
})

type Context = { tenant: string | null; user: string | null; actor: string }

function as<T>(context: Context, fn: (sql: TransactionSql) => Promise<T>): Promise<T> {
  return db.runtimeSql.begin(async (sql) => {
    // As withTenant sets it (app_set_context: SET LOCAL, which a Citus coordinator forwards).
    await sql`select app_set_context(${context.tenant}::uuid, ${context.user}::uuid, ${context.actor})`
    return fn(sql)
  }) as Promise<T>
}

/** The cross-city readers: the search functions without and with a filter, and the readers by id. */
const SOURCES = {
  functions: () => ({
    themes: 'platform_search_open_themes(NULL, NULL, NULL, NULL)',
    cases: 'platform_search_published_cases(NULL, NULL, NULL)',
  }),
  'functions, filtered': () => ({
    themes: `platform_search_open_themes('{dx}', '{probe-city-a,probe-city-b}', '2000-01-01', '9999-12-31')`,
    cases: `platform_search_published_cases('{dx}', NULL, NULL)`,
  }),
  'by id, every id': () => ({
    themes: `platform_open_themes_among(${everyId.themes})`,
    cases: `platform_published_cases_among(${everyId.cases})`,
  }),
}

async function viewedThrough(source: keyof typeof SOURCES, context: Context) {
  const label = (row: { title_ja: string; tenant_id: string }) =>
    `${row.tenant_id === world.cities[0] ? 'A' : 'B'}:${row.title_ja}`
  return as(context, async (sql) => ({
    themes: (
      await sql.unsafe<{ title_ja: string; tenant_id: string }[]>(
        `SELECT title_ja, tenant_id FROM ${SOURCES[source]().themes} ORDER BY tenant_id, title_ja`,
      )
    ).map(label),
    cases: (
      await sql.unsafe<{ title_ja: string; tenant_id: string }[]>(
        `SELECT title_ja, tenant_id FROM ${SOURCES[source]().cases} ORDER BY tenant_id, title_ja`,
      )
    ).map(label),
  }))
}

/** What the unfiltered search shows, after checking that every other reader shows the same. */
async function viewed(context: Context) {
  const seen = await viewedThrough('functions', context)
  for (const source of ['functions, filtered', 'by id, every id'] as const) {
    const through = await viewedThrough(source, context)
    expect({ source, themes: sorted(through.themes), cases: sorted(through.cases) }).toEqual({
      source,
      themes: sorted(seen.themes),
      cases: sorted(seen.cases),
    })
  }
  return seen
}

const sorted = (values: string[]) => [...values].sort()

async function setStatus(city: string, status: 'draft' | 'live' | 'suspended') {
  await db.ownerSql`UPDATE tenants SET status = ${status} WHERE id = ${city}`
}

function contexts(): Context[] {
  const [a, b] = world.cities
  return [
    { tenant: null, user: null, actor: 'public' },
    { tenant: a, user: null, actor: 'public' },
    { tenant: b, user: world.users.px!, actor: 'proposer' },
    { tenant: a, user: world.cityUsers[a]!.admin, actor: 'staff' },
    { tenant: null, user: null, actor: '' },
    { tenant: null, user: world.operatorId, actor: 'operator' },
  ]
}

describe('the cross-city readers', () => {
  it('show every live city’s open themes and published cases, the same to every actor, and nothing else', async () => {
    const expected = {
      themes: ['A:公開テーマ', 'B:公開テーマ'],
      cases: ['A:公開事例', 'B:公開事例'],
    }
    for (const context of contexts()) {
      const seen = await viewed(context)
      expect({ context, themes: sorted(seen.themes), cases: sorted(seen.cases) }).toEqual({
        context,
        ...expected,
      })
    }
  })

  it('never show a draft or closed theme, nor a scheduled or withdrawn case', async () => {
    const seen = await viewed({ tenant: null, user: null, actor: 'public' })
    const all = [...seen.themes, ...seen.cases].join(' ')
    for (const title of ['下書きテーマ', '締切テーマ', '予約事例', '取下げ事例'])
      expect(all).not.toContain(title)
  })

  it('show nothing of a draft city nor of a suspended one, and all of it again when it is live', async () => {
    const [, b] = world.cities
    try {
      for (const status of ['draft', 'suspended'] as const) {
        await setStatus(b, status)
        for (const context of contexts()) {
          const seen = await viewed(context)
          expect({ status, themes: seen.themes, cases: seen.cases }).toEqual({
            status,
            themes: ['A:公開テーマ'],
            cases: ['A:公開事例'],
          })
        }
      }
    } finally {
      await setStatus(b, 'live')
    }
    expect((await viewed({ tenant: null, user: null, actor: 'public' })).themes).toHaveLength(2)
  })

  it('expose only the columns the city portals publish', async () => {
    const columns = await db.adminSql<{ view: string; column: string }[]>`
      SELECT table_name AS view, column_name AS column FROM information_schema.columns
       WHERE table_name IN ('platform_open_themes', 'platform_published_cases') ORDER BY table_name, ordinal_position`
    const names = columns.map((row) => row.column)
    for (const secret of [
      'status',
      'created_by',
      'results_ja',
      'proposal_id',
      'department_id',
      'withdrawn_at',
    ]) {
      expect(names).not.toContain(secret)
    }
  })

  it('change platform_content_stamp() when a theme opens and when a city is suspended', async () => {
    const [a, b] = world.cities
    const stamp = async () =>
      (
        await as(
          { tenant: null, user: null, actor: 'public' },
          (sql) => sql<{ s: string }[]>`SELECT platform_content_stamp() AS s`,
        )
      )[0]!.s
    const before = await stamp()
    await db.ownerSql`UPDATE themes SET status = 'open', updated_at = now() WHERE tenant_id = ${a} AND title_ja = '下書きテーマ'`
    const opened = await stamp()
    expect(opened).not.toBe(before)
    try {
      await setStatus(b, 'suspended')
      expect(await stamp()).not.toBe(opened)
    } finally {
      await setStatus(b, 'live')
      await db.ownerSql`UPDATE themes SET status = 'draft' WHERE tenant_id = ${a} AND title_ja = '下書きテーマ'`
    }
  })

  it('are the only way in: the runtime role can neither read nor change the views', async () => {
    const staff = { tenant: world.cities[0]!, user: world.cityUsers[world.cities[0]!]!.admin, actor: 'staff' }
    for (const view of ['platform_open_themes', 'platform_published_cases'])
      await expect(as(staff, (sql) => sql.unsafe(`SELECT id FROM ${view}`))).rejects.toThrow(
        /permission denied/,
      )
    await expect(as(staff, (sql) => sql`UPDATE platform_open_themes SET title_ja = 'x'`)).rejects.toThrow(
      /cannot update view|permission denied/,
    )
  })
})
