import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodeUrl } from './cluster'
import { distribute, type CitusLayout } from './distribute'
import { createCitusTestDatabase, type CitusTestDatabase } from './testing'

/**
 * db:distribute on the local cluster. First on a small schema built like the
 * product's (platform tables, tenant tables keyed by tenant_id, a queue with a
 * foreign key to users, a log without): the layout, idempotence, a later
 * migration on the distributed database, and the refusals that change
 * nothing. Then on the product's migrated schema, which Citus 13.2 refuses
 * today (policies with subqueries: docs/scaling.md).
 */
const LAYOUT: CitusLayout = {
  reference: ['tenants', 'users'],
  local: ['mail_outbox', 'seed_runs'],
  colocationAnchor: 'departments',
  shardSafeTriggerFunctions: [],
}
const FIXTURE = [
  `CREATE TABLE tenants (id uuid PRIMARY KEY, slug text NOT NULL UNIQUE)`,
  `CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL)`,
  `CREATE TABLE departments (tenant_id uuid NOT NULL REFERENCES tenants(id), id uuid NOT NULL, name text NOT NULL, PRIMARY KEY (tenant_id, id))`,
  // Named so that alphabetical order would put the child (messages) before its parent (proposals).
  `CREATE TABLE proposals (tenant_id uuid NOT NULL REFERENCES tenants(id), id uuid NOT NULL, department_id uuid NOT NULL,
     submitter_user_id uuid NOT NULL REFERENCES users(id), title text NOT NULL, PRIMARY KEY (tenant_id, id),
     FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id))`,
  `CREATE TABLE messages (tenant_id uuid NOT NULL REFERENCES tenants(id), id uuid NOT NULL, proposal_id uuid NOT NULL,
     body text NOT NULL, PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, proposal_id) REFERENCES proposals (tenant_id, id))`,
  `CREATE TABLE mail_outbox (id bigserial PRIMARY KEY, user_id uuid NOT NULL REFERENCES users(id), subject text NOT NULL)`,
  `CREATE TABLE seed_runs (name text PRIMARY KEY)`,
  `ALTER TABLE proposals ENABLE ROW LEVEL SECURITY`,
  `CREATE POLICY proposals_city ON proposals TO desk_app USING (tenant_id = app_tenant_id_fixture())`,
]
const cityA = randomUUID()
const cityB = randomUUID()
const user = randomUUID()

let db: CitusTestDatabase

type Placement = {
  table: string
  method: string | null
  replication: string | null
  colocation: number | null
}
async function placements(sql: postgres.Sql): Promise<Map<string, Placement>> {
  const rows = await sql<Placement[]>`
    SELECT c.relname AS table, d.partmethod::text AS method, d.repmodel::text AS replication, d.colocationid AS colocation
      FROM pg_class c LEFT JOIN pg_dist_partition d ON d.logicalrelid = c.oid
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'`
  return new Map(rows.map((row) => [row.table, row]))
}

/** The migration that brings app_set_context and desk_distribute_tenant_table, which later migrations use. */
const CITUS_SUPPORT = readFileSync(new URL('../migrations/0020_citus_support.sql', import.meta.url), 'utf8')

beforeAll(async () => {
  db = await createCitusTestDatabase({ migrate: false })
  for (const statement of CITUS_SUPPORT.split('--> statement-breakpoint')) await db.adminSql.unsafe(statement)
  await db.adminSql`CREATE FUNCTION app_tenant_id_fixture() RETURNS uuid LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$`
  for (const statement of FIXTURE) await db.adminSql.unsafe(statement)
  const [dA, dB, p1, p2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()]
  await db.adminSql`INSERT INTO tenants VALUES (${cityA}, 'city-a'), (${cityB}, 'city-b')`
  await db.adminSql`INSERT INTO users VALUES (${user}, 'a@example.test')`
  await db.adminSql`INSERT INTO departments VALUES (${cityA}, ${dA}, 'A'), (${cityB}, ${dB}, 'B')`
  await db.adminSql`INSERT INTO proposals VALUES (${cityA}, ${p1}, ${dA}, ${user}, 'one'), (${cityB}, ${p2}, ${dB}, ${user}, 'two')`
  await db.adminSql`INSERT INTO messages VALUES (${cityA}, ${randomUUID()}, ${p1}, 'hello'), (${cityB}, ${randomUUID()}, ${p2}, 'hi')`
  await db.adminSql`INSERT INTO mail_outbox (user_id, subject) VALUES (${user}, 'welcome')`
})

afterAll(async () => {
  await db?.drop()
})

describe('db:distribute on a schema built like the product', () => {
  it('refuses a table the layout does not place, and changes nothing', async () => {
    await db.adminSql`CREATE TABLE stray (id int PRIMARY KEY)`
    await expect(distribute(db.adminSql, LAYOUT)).rejects.toThrow(
      /without a place in the Citus layout.*stray/,
    )
    await db.adminSql`DROP TABLE stray`
    const [row] = await db.adminSql`SELECT count(*)::int AS n FROM pg_dist_partition`
    expect(row!.n).toBe(0)
  })

  it('refuses a policy with a subquery (Citus would), naming it, and changes nothing', async () => {
    await db.adminSql`CREATE POLICY messages_visible ON messages TO desk_app
      USING (EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = messages.tenant_id AND p.id = messages.proposal_id))`
    await expect(distribute(db.adminSql, LAYOUT)).rejects.toThrow(
      /messages: policy messages_visible has a subquery/,
    )
    await db.adminSql`DROP POLICY messages_visible ON messages`
    const [row] = await db.adminSql`SELECT count(*)::int AS n FROM pg_dist_partition`
    expect(row!.n).toBe(0)
  })

  it('refuses to run on a worker', async () => {
    const worker = db.cluster.nodes.find((node) => node.name === 'worker1')!
    const sql = postgres(nodeUrl(worker.port, db.name), { max: 1, onnotice: () => {} })
    try {
      await expect(distribute(sql, LAYOUT)).rejects.toThrow(/on the coordinator/)
    } finally {
      await sql.end()
    }
  })

  it('makes platform tables reference tables, tenant tables one co-location group, keeps queues local', async () => {
    const result = await distribute(db.adminSql, LAYOUT)
    expect(result.converted).toEqual([
      { name: 'tenants', kind: 'reference' },
      { name: 'users', kind: 'reference' },
      { name: 'departments', kind: 'distributed' },
      { name: 'proposals', kind: 'distributed' },
      { name: 'messages', kind: 'distributed' },
    ])
    const placed = await placements(db.adminSql)
    expect(placed.get('tenants')).toMatchObject({ method: 'n', replication: 't' })
    expect(placed.get('users')).toMatchObject({ method: 'n', replication: 't' })
    const group = placed.get('departments')!.colocation
    for (const table of ['departments', 'proposals', 'messages'])
      expect(placed.get(table)).toMatchObject({ method: 'h', colocation: group })
    // The queue with a foreign key to a reference table stays on the coordinator as a Citus local table.
    expect(placed.get('mail_outbox')!.method === null || placed.get('mail_outbox')!.replication === 's').toBe(
      true,
    )
    expect(placed.get('seed_runs')!.method).toBeNull()
    const [counts] = await db.adminSql`
      SELECT (SELECT count(*) FROM messages)::int AS messages, (SELECT count(*) FROM mail_outbox)::int AS mail`
    expect(counts).toEqual({ messages: 2, mail: 1 })
  })

  it('spreads the shards over both workers and answers a city-filtered join with one task', async () => {
    const [spread] = await db.adminSql`
      SELECT count(DISTINCT nodeport)::int AS nodes FROM citus_shards WHERE table_name = 'proposals'::regclass`
    expect(spread!.nodes).toBe(2)
    const plan = await db.adminSql.unsafe(
      `EXPLAIN SELECT m.body FROM messages m JOIN proposals p ON p.tenant_id = m.tenant_id AND p.id = m.proposal_id
        WHERE m.tenant_id = '${cityA}'`,
    )
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Task Count: 1\b/)
  })

  it('is idempotent: a second run converts nothing', async () => {
    const result = await distribute(db.adminSql, LAYOUT)
    expect(result.converted).toEqual([])
  })

  it('a later migration runs on the distributed database, its new tenant table in the group', async () => {
    // Without sequential shard DDL, Citus refuses DDL on a reference table after parallel DDL on a
    // distributed one in the same transaction — why prepareDatabase sets it on a coordinator.
    await expect(
      db.adminSql.begin(async (tx) => {
        await tx.unsafe(`ALTER TABLE proposals ADD COLUMN draft_note text`)
        await tx.unsafe(`GRANT SELECT ON tenants TO desk_app`)
      }),
    ).rejects.toThrow(/parallel DDL access/)
    // As prepareDatabase applies migrations on Citus: one transaction (drizzle), sequential shard DDL.
    await db.adminSql.begin(async (tx) => {
      for (const statement of [
        `SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`,
        `ALTER TABLE proposals ADD COLUMN summary text NOT NULL DEFAULT ''`,
        `CREATE INDEX proposals_title ON proposals (tenant_id, title)`,
        // A new tenant table: created with its policy, distributed, then its keys to tenant tables.
        `CREATE TABLE proposal_notes (tenant_id uuid NOT NULL REFERENCES tenants(id), id uuid NOT NULL,
           proposal_id uuid NOT NULL, note text NOT NULL, PRIMARY KEY (tenant_id, id))`,
        `ALTER TABLE proposal_notes ENABLE ROW LEVEL SECURITY`,
        `CREATE POLICY proposal_notes_city ON proposal_notes TO desk_app
           USING (tenant_id = app_tenant_id_fixture()) WITH CHECK (tenant_id = app_tenant_id_fixture())`,
        `SELECT desk_distribute_tenant_table('proposal_notes')`,
        `ALTER TABLE proposal_notes ADD FOREIGN KEY (tenant_id, proposal_id) REFERENCES proposals (tenant_id, id)`,
        // One GRANT per kind of table (reference, distributed).
        `GRANT SELECT ON tenants TO desk_app`,
        `GRANT SELECT, INSERT ON proposals, messages, proposal_notes TO desk_app`,
      ])
        await tx.unsafe(statement)
    })
    const result = await distribute(db.adminSql, LAYOUT)
    expect(result.converted).toEqual([])
    const placed = await placements(db.adminSql)
    expect(placed.get('proposal_notes')!.colocation).toBe(placed.get('departments')!.colocation)
    const [shard] = await db.adminSql`
      SELECT count(*)::int AS n FROM run_command_on_shards('proposals',
        $$SELECT count(*) FROM information_schema.columns WHERE table_name = '%s' AND column_name = 'summary'$$)
       WHERE result = '1'`
    expect(shard!.n).toBeGreaterThan(0)
  })
})
