import type postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import type { TestDatabase } from '../testing'
import type { Catalogue } from '../probes/catalogue'
import type { World } from '../probes/fixtures'
import type { Snapshot } from '../probes/oracle'
import { buildContexts, buildProbes, runProbes } from '../probes/probes'
import { CITUS_PROBE_TABLES, shareProbeSuite } from '../probes/suite'

/**
 * The isolation probe suite (db/isolation.test.ts) against the Citus
 * coordinator, on the product's schema as `db:distribute` lays it out:
 * every context, every operation, 0 leaks and 0 over-restrictions, over
 * CITUS_PROBE_TABLES (why that subset: db/probes/suite.ts).
 * `CITUS_PROBE_TABLES=all` runs every table.
 */

let db: TestDatabase
let unsetSql: postgres.Sql
let catalogue: Catalogue
let world: World
let snapshot: Snapshot

shareProbeSuite((suite) => {
  ;({ db, unsetSql, catalogue, world, snapshot } = suite)
}, 300_000)

describe('tenant isolation on the Citus coordinator', () => {
  it('runs on the distributed schema: tenant tables by tenant_id, platform tables as reference tables', async () => {
    const layout = await db.adminSql<{ name: string; kind: string }[]>`
      SELECT logicalrelid::regclass::text AS name,
             CASE WHEN partmethod = 'h' THEN 'distributed' WHEN repmodel = 't' THEN 'reference' ELSE 'local' END AS kind
        FROM pg_dist_partition`
    const kindOf = new Map(layout.map((row) => [row.name, row.kind]))
    for (const table of catalogue.tables.values())
      if (table.isTenantTable) expect([table.name, kindOf.get(table.name)]).toEqual([table.name, 'distributed'])
    for (const name of ['users', 'organisations', 'organisation_members', 'tenants', 'sessions'])
      expect([name, kindOf.get(name)]).toEqual([name, 'reference'])
  })

  it('leaks nothing: every actor and operation across cities, through the coordinator', async () => {
    const tables = process.env.CITUS_PROBE_TABLES === 'all' ? undefined : CITUS_PROBE_TABLES
    const contexts = buildContexts(world)
    const probes = buildProbes({ catalogue, world, snapshot, contexts, tables })
    const started = performance.now()
    const report = await runProbes(probes, { sql: db.runtimeSql, unsetSql })
    console.log(
      `citus isolation probes: ${report.run} run on ${tables?.length ?? catalogue.tables.size} tables, ${report.leaks.length} leaks, ${report.mismatches.length} over-restrictions, ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
    expect(report.leaks).toEqual([])
    expect(report.mismatches).toEqual([])
    expect(report.run).toBeGreaterThanOrEqual(2000)
  }, 600_000)
})
