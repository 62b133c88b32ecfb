import type { TransactionSql } from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../testing'
import { readCatalogue, tenantTables } from './catalogue'
import { seedProbeFixtures, type World } from './fixtures'

/**
 * The operator's side of the isolation suite (issue 10): the operator context
 * reads no tenant row, and the console's definer functions give numbers,
 * statuses and configuration only — and only to whom they are meant for.
 */

let db: TestDatabase
let world: World
let tables: string[]

beforeAll(async () => {
  db = await createTestDatabase()
  const catalogue = await readCatalogue(db.adminSql)
  world = await seedProbeFixtures(db.ownerSql, catalogue)
  tables = tenantTables(catalogue).map((table) => table.name)
})
afterAll(async () => {
  await db?.drop()
})

type Context = { tenant: string | null; user: string | null; actor: string }

function as<T>(context: Context, fn: (sql: TransactionSql) => Promise<T>): Promise<T> {
  return db.runtimeSql.begin(async (sql) => {
    await sql`select app_set_context(${context.tenant}::uuid, ${context.user}::uuid, ${context.actor})`
    return fn(sql)
  }) as Promise<T>
}

const operator = (): Context => ({ tenant: null, user: world.operatorId, actor: 'operator' })

describe('the operator', () => {
  it('reads no tenant content: proposals, messages, notes, attachments, every tenant table, with or without a city set', async () => {
    expect(tables).toEqual(expect.arrayContaining(['proposals', 'messages', 'internal_notes', 'attachments']))
    for (const tenant of [null, ...world.cities]) {
      for (const table of tables) {
        const [row] = await as({ ...operator(), tenant }, (sql) =>
          sql.unsafe(`SELECT count(*)::int AS n FROM ${table}`),
        )
        expect([table, tenant, row!.n]).toEqual([table, tenant, 0])
      }
    }
  })

  it('gets per-city numbers only from operator_tenant_counts, matching the data', async () => {
    const rows = await as(operator(), (sql) => sql`SELECT * FROM operator_tenant_counts()`)
    expect(rows.length).toBeGreaterThanOrEqual(2)
    const types = await db.adminSql<{ name: string; type: string }[]>`
      SELECT unnest(p.proargnames) AS name, format_type(unnest(p.proallargtypes), NULL) AS type
        FROM pg_proc p WHERE p.proname = 'operator_tenant_counts'`
    expect(types).toEqual([
      { name: 'slug', type: 'text' },
      { name: 'proposals_by_state', type: 'jsonb' },
      { name: 'staff', type: 'integer' },
      { name: 'last_activity_at', type: 'timestamp with time zone' },
    ])
    const truth = await db.adminSql<{ slug: string; state: string; n: number }[]>`
      SELECT t.slug, p.state, count(*)::int AS n FROM proposals p JOIN tenants t ON t.id = p.tenant_id GROUP BY 1, 2`
    for (const row of rows) {
      // Keys are workflow state ids, values whole numbers: nothing a proposer wrote.
      for (const [state, count] of Object.entries(row.proposals_by_state as Record<string, unknown>)) {
        expect(Number.isInteger(count)).toBe(true)
        expect(truth).toContainEqual({ slug: row.slug, state, n: count })
      }
      expect(Number.isInteger(row.staff)).toBe(true)
    }
    const texts = await db.adminSql<{ t: string }[]>`
      SELECT title AS t FROM proposals UNION ALL SELECT body FROM messages UNION ALL SELECT body FROM internal_notes`
    const output = JSON.stringify(rows)
    for (const { t } of texts.filter(({ t }) => t && t.length > 3)) expect(output).not.toContain(t)
  })

  it('gives nothing to any other actor, nor to a user claiming to be operator', async () => {
    const others: Context[] = [
      { tenant: world.cities[0]!, user: world.cityUsers[world.cities[0]]!.admin, actor: 'staff' },
      { tenant: null, user: world.users.px!, actor: 'proposer' },
      { tenant: world.cities[0]!, user: null, actor: 'public' },
      { tenant: null, user: null, actor: 'system' },
      { tenant: null, user: world.users.px!, actor: 'operator' },
    ]
    for (const context of others) {
      expect(await as(context, (sql) => sql`SELECT * FROM operator_tenant_counts()`)).toEqual([])
      await expect(
        as(context, (sql) => sql`SELECT operator_set_tenant_status(${'any'}, 'suspended')`),
      ).rejects.toThrow(/operator only/)
    }
  })

  it('suspends and resumes a city without touching its data', async () => {
    const [city] = await db.adminSql<
      { slug: string }[]
    >`SELECT slug FROM tenants WHERE id = ${world.cities[0]!}`
    const before = await db.adminSql`SELECT count(*)::int AS n, max(updated_at) AS at FROM proposals`
    const suspend = await as(
      operator(),
      (sql) => sql`SELECT operator_set_tenant_status(${city!.slug}, 'suspended') AS changed`,
    )
    expect(suspend[0]!.changed).toBe(true)
    expect((await db.adminSql`SELECT status FROM tenants WHERE id = ${world.cities[0]!}`)[0]!.status).toBe(
      'suspended',
    )
    const resume = await as(
      operator(),
      (sql) => sql`SELECT operator_set_tenant_status(${city!.slug}, 'live') AS changed`,
    )
    expect(resume[0]!.changed).toBe(true)
    expect(await db.adminSql`SELECT count(*)::int AS n, max(updated_at) AS at FROM proposals`).toEqual(before)
  })

  it('leaves the registry functions to the system actor', async () => {
    expect(
      (
        await as(
          { tenant: null, user: null, actor: 'system' },
          (sql) => sql`SELECT * FROM applied_tenant_configs()`,
        )
      ).length,
    ).toBeGreaterThanOrEqual(2)
    expect(await as(operator(), (sql) => sql`SELECT * FROM applied_tenant_configs()`)).toEqual([])
    expect(
      await as(
        { tenant: null, user: null, actor: 'public' },
        (sql) => sql`SELECT * FROM applied_tenant_configs()`,
      ),
    ).toEqual([])
  })
})
