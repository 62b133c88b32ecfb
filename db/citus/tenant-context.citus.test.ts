import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withTenant, type TenantContext } from '../tenant-context'
import { createCitusTestDatabase, type CitusTestDatabase } from './testing'

/**
 * withTenant on a Citus coordinator: the request context must reach the
 * workers, where row-level security filters the shards. A table distributed
 * by tenant_id whose policy reads all three settings through the same
 * app_tenant_id() / app_user_id() / app_actor() functions as the product's.
 */
let db: CitusTestDatabase
const cityA = randomUUID()
const cityB = randomUUID()
const staff = (tenantId: string): TenantContext => ({ tenantId, userId: randomUUID(), actor: 'staff' })

type Row = { label: string }
const labels = (rows: unknown) => (rows as Row[]).map((row) => row.label).sort()

beforeAll(async () => {
  db = await createCitusTestDatabase()
  // One statement at a time: Citus forwards a DDL statement's whole query string to the workers. The
  // policy before the distribution, as migrations leave it: Citus 13.2 fails a CREATE POLICY calling a
  // function on a table already distributed ("unrecognized node type: 117", it transforms the
  // expression twice) but copies existing policies to the shards correctly.
  for (const statement of [
    `CREATE TABLE context_probe (tenant_id uuid NOT NULL, label text NOT NULL)`,
    `ALTER TABLE context_probe ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE context_probe FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY context_probe_staff ON context_probe TO desk_app
      USING (tenant_id = app_tenant_id() AND app_user_id() IS NOT NULL AND app_actor() = 'staff')
      WITH CHECK (tenant_id = app_tenant_id() AND app_user_id() IS NOT NULL AND app_actor() = 'staff')`,
    `GRANT SELECT, INSERT ON context_probe TO desk_app`,
    `SELECT create_distributed_table('context_probe', 'tenant_id')`,
  ])
    await db.adminSql.unsafe(statement)
  await db.adminSql`INSERT INTO context_probe VALUES (${cityA}, 'a1'), (${cityA}, 'a2'), (${cityB}, 'b1')`
})

afterAll(async () => {
  await db?.drop()
})

describe('withTenant on Citus', () => {
  it('the context reaches the workers: a city sees its own rows, on every shard and by a router query', async () => {
    const result = await withTenant(db.runtimeDb, staff(cityA), async (tx) => ({
      all: await tx.execute(sql`select label from context_probe`),
      own: await tx.execute(sql`select label from context_probe where tenant_id = ${cityA}`),
      other: await tx.execute(sql`select label from context_probe where tenant_id = ${cityB}`),
    }))
    expect(labels(result.all)).toEqual(['a1', 'a2'])
    expect(labels(result.own)).toEqual(['a1', 'a2'])
    expect(labels(result.other)).toEqual([])
  })

  it('a query with the explicit city filter is a router query (one task)', async () => {
    const plan = await withTenant(db.runtimeDb, staff(cityA), (tx) =>
      tx.execute(sql`explain select label from context_probe where tenant_id = ${cityA}`),
    )
    const text = (plan as unknown as { 'QUERY PLAN': string }[]).map((row) => row['QUERY PLAN']).join('\n')
    expect(text).toMatch(/Task Count: 1\b/)
  })

  it('the worker refuses a row for another city (WITH CHECK on the shard)', async () => {
    await expect(
      withTenant(db.runtimeDb, staff(cityA), (tx) =>
        tx.execute(sql`insert into context_probe values (${cityB}, 'forged')`),
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/row-level security/) } })
    const [row] = await db.adminSql`SELECT count(*)::int AS n FROM context_probe WHERE label = 'forged'`
    expect(row!.n).toBe(0)
  })

  it('nothing outlives the transaction: the pooled connection carries no context to the next one', async () => {
    await withTenant(db.runtimeDb, staff(cityA), (tx) => tx.execute(sql`select label from context_probe`))
    const after = await withTenant(db.runtimeDb, { tenantId: null, userId: null, actor: 'public' }, (tx) =>
      tx.execute(sql`select label from context_probe`),
    )
    expect(labels(after)).toEqual([])
    const bare = await db.runtimeSql.begin((tx) => tx`select label from context_probe`)
    expect(labels(bare)).toEqual([])
  })

  it('why withTenant does not use set_config: Citus does not forward it, the workers see no context', async () => {
    const rows = await db.runtimeSql.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${cityA}, true), set_config('app.user_id', ${randomUUID()}, true),
                      set_config('app.actor', 'staff', true)`
      return tx`select label from context_probe where tenant_id = ${cityA}`
    })
    expect(labels(rows)).toEqual([])
  })
})
