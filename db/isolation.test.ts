import type postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import type { TestDatabase } from './testing'
import {
  checkCatalogue,
  checkCitusRule,
  tenantTables,
  type Catalogue,
} from './probes/catalogue'
import type { World } from './probes/fixtures'
import type { Snapshot } from './probes/oracle'
import {
  buildContexts,
  buildProbes,
  runProbes,
  runProbesWithBrokenPolicy,
} from './probes/probes'
import { shareProbeSuite } from './probes/suite'

let db: TestDatabase
let unsetSql: postgres.Sql
let catalogue: Catalogue
let world: World
let snapshot: Snapshot

shareProbeSuite((suite) => {
  ;({ db, unsetSql, catalogue, world, snapshot } = suite)
})

describe('tenant isolation', () => {
  it('finds every tenant table in the catalogue, each seeded in both cities', () => {
    const names = tenantTables(catalogue).map((t) => t.name)
    expect(names).toEqual(
      expect.arrayContaining(['proposals', 'messages', 'internal_notes', 'audit_log', 'themes']),
    )
    for (const name of names) {
      const cities = new Set(snapshot.get(name)!.map((r) => r.row.tenant_id))
      expect([name, cities.size]).toEqual([name, 2])
    }
  })

  it('passes the catalogue checks and the Citus-ready schema rule', async () => {
    const catalogueChecks = await checkCatalogue(db.adminSql, catalogue)
    const citus = await checkCitusRule(db.adminSql, catalogue)
    expect(catalogueChecks.problems).toEqual([])
    expect(citus.problems).toEqual([])
    expect(catalogueChecks.checks + citus.checks).toBeGreaterThan(50)
  })

  it('leaks nothing: every actor, every table, every operation, across cities', async () => {
    const contexts = buildContexts(world)
    const probes = buildProbes({ catalogue, world, snapshot, contexts })
    const report = await runProbes(probes, { sql: db.runtimeSql, unsetSql })
    console.log(
      `isolation probes: ${report.run} run, ${report.leaks.length} leaks (${contexts.length} contexts, ${catalogue.tables.size} tables, ${report.mismatches.length} over-restrictions)`,
    )
    expect(report.leaks).toEqual([])
    expect(report.mismatches).toEqual([])
    expect(report.run).toBeGreaterThanOrEqual(500)
  }, 180_000) // thousands of probes, one transaction each: minutes on a loaded machine

  it('reports the leak when a policy is disabled (row-level security off on internal_notes)', async () => {
    const probes = buildProbes({
      catalogue,
      world,
      snapshot,
      contexts: buildContexts(world),
      tables: ['internal_notes'],
    })
    const report = await runProbesWithBrokenPolicy(
      probes,
      db.adminSql,
      'ALTER TABLE internal_notes DISABLE ROW LEVEL SECURITY',
    )
    expect(report.leaks.length).toBeGreaterThan(0)
    expect(report.leaks.some((l) => l.includes('proposer px') && l.includes('SELECT internal_notes'))).toBe(
      true,
    )
  })

  it('reports the leak when a policy is loosened (staff policy on proposals without its city check)', async () => {
    const probes = buildProbes({
      catalogue,
      world,
      snapshot,
      contexts: buildContexts(world),
      tables: ['proposals'],
    })
    const report = await runProbesWithBrokenPolicy(
      probes,
      db.adminSql,
      `ALTER POLICY proposals_staff ON proposals USING (submitted_at IS NOT NULL AND (SELECT app_staff_role()) IS NOT NULL)`,
    )
    expect(report.leaks.some((l) => l.includes('desk admin of A') && l.includes('SELECT proposals'))).toBe(
      true,
    )
  })

  it('reports the leak when a reader of other people shows everyone (app_people without its rules)', async () => {
    const probes = buildProbes({
      catalogue,
      world,
      snapshot,
      contexts: buildContexts(world),
      tables: ['users'],
    })
    const report = await runProbesWithBrokenPolicy(
      probes,
      db.adminSql,
      `CREATE OR REPLACE FUNCTION app_people(p_user_ids uuid[])
         RETURNS TABLE (id uuid, email text, display_name text, locale text, disabled_at timestamptz)
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
         AS $$ SELECT u.id, u.email, u.display_name, u.locale, u.disabled_at FROM public.users u WHERE u.id = ANY (p_user_ids) $$`,
    )
    expect(report.leaks.some((l) => l.includes('proposer py') && l.includes('app_people shows'))).toBe(true)
  })

  it('the unbroken policies pass the same self-test path (no false alarm)', async () => {
    const probes = buildProbes({
      catalogue,
      world,
      snapshot,
      contexts: buildContexts(world),
      tables: ['internal_notes'],
    })
    const report = await runProbesWithBrokenPolicy(probes, db.adminSql, 'SELECT 1')
    expect(report.leaks).toEqual([])
  })
})
