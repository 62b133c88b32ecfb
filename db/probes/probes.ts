import { randomUUID } from 'node:crypto'
import type postgres from 'postgres'
import type { Catalogue, TableInfo } from './catalogue'
import type { World } from './fixtures'
import { effective, Oracle, type Effective, type ProbeContext, type Row, type Snapshot } from './oracle'
import { RUNTIME_ROLE } from '../roles'

/**
 * The probe suite: for every context (actor kind × city × user, plus unset and
 * empty settings and forged combinations) and every table, try SELECT,
 * UPDATE, DELETE and INSERT across cities, and judge each outcome against the
 * oracle. A leak is anything the runtime role could see or change that it
 * must not; an over-restriction is a row a known policy should show but did not.
 */
export type Outcome = { count: number; keys: string[]; error?: { code: string; constraint?: string; message: string } }

export type Verdict = { leaks: string[]; mismatches: string[] }

export type Probe = {
  ctx: ProbeContext
  table: string
  kind: string
  run: (q: postgres.TransactionSql) => Promise<Outcome>
  judge: (outcome: Outcome) => Verdict
}

export type ProbeReport = { run: number; leaks: string[]; mismatches: string[] }

/** Tables the oracle states rules for; others get the strict default and no over-restriction check. */
export const KNOWN_TABLES = new Set([
  'departments', 'city_memberships', 'invitations', 'themes', 'proposals', 'proposal_departments', 'proposal_events',
  'messages', 'internal_notes', 'message_reads', 'attachments', 'eligibility_screenings', 'audit_log',
  'notification_outbox', 'tenants', 'users', 'sessions', 'organisations', 'organisation_members',
  'password_reset_tokens', 'throttle_counters', 'mail_outbox', 'platform_audit_log', 'seed_runs', 'know_how_entries',
  'agreements', 'implementation_milestones', 'implementation_notes', 'published_cases', 'case_images',
  'experiments', 'experiment_checklist', 'experiment_permits', 'disclosure_requests', 'disclosure_request_internals',
  'disclosure_documents', 'organisation_invitations', 'saved_searches', 'saved_search_matches', 'proposal_reference_counters',
])

const q = (name: string) => `"${name.replaceAll('"', '""')}"`
export const keyExpr = (table: TableInfo) => table.primaryKey.map((c) => `${q(c)}::text`).join(` || '/' || `)

export async function readSnapshot(sql: postgres.Sql, catalogue: Catalogue): Promise<Snapshot> {
  const snapshot: Snapshot = new Map()
  for (const table of catalogue.tables.values()) {
    const rows = await sql.unsafe<{ key: string; row: Row }[]>(
      `SELECT ${keyExpr(table)} AS key, to_jsonb(t) AS row FROM ${q(table.name)} t ORDER BY 1`,
    )
    snapshot.set(table.name, rows.map((r) => ({ key: r.key, row: r.row })))
  }
  return snapshot
}

/** Every context the suite acts in. */
export function buildContexts(world: World): ProbeContext[] {
  const set = (name: string, tenantId: string | null, userId: string | null, actor: string): ProbeContext => ({
    name,
    settings: { tenantId: tenantId ?? '', userId: userId ?? '', actor },
  })
  const [a, b] = world.cities
  const u = world.users
  const contexts: ProbeContext[] = []
  for (const [home, other, label] of [[a, b, 'A'], [b, a, 'B']] as const) {
    const s = world.cityUsers[home]!
    contexts.push(
      set(`desk admin of ${label}`, home, s.admin, 'staff'),
      set(`desk staff of ${label}`, home, s.desk, 'staff'),
      set(`department staff of ${label}`, home, s.dept, 'staff'),
      set(`disabled desk admin of ${label}`, home, s.disabled, 'staff'),
      set(`proposer px (org X owner) in ${label}`, home, u.px!, 'proposer'),
      set(`proposer px2 (org X member) in ${label}`, home, u.px2!, 'proposer'),
      set(`proposer py (org Y) in ${label}`, home, u.py!, 'proposer'),
      set(`proposer with no organisation in ${label}`, home, u.loner!, 'proposer'),
      set(`public in ${label}`, home, null, 'public'),
      set(`system in ${label}`, home, null, 'system'),
      set(`operator with city ${label} set`, home, world.operatorId, 'operator'),
      set(`desk admin of ${label} pointing at the other city`, other, s.admin, 'staff'),
      set(`proposer px claiming staff in ${label}`, home, u.px!, 'staff'),
      set(`desk admin of ${label} claiming proposer`, home, s.admin, 'proposer'),
      set(`desk admin of ${label} with a made-up actor`, home, s.admin, 'superuser'),
      set(`desk admin of ${label} with empty actor`, home, s.admin, ''),
      set(`public in ${label} claiming px`, home, u.px!, 'public'),
    )
  }
  contexts.push(
    { name: 'settings unset', settings: 'unset' },
    set('settings empty', null, null, ''),
    set('proposer px in every city', null, u.px!, 'proposer'),
    set('proposer py in every city', null, u.py!, 'proposer'),
    set('operator', null, world.operatorId, 'operator'),
    set('system without city', null, null, 'system'),
    set('public without city', null, null, 'public'),
    set('desk admin of A without city', null, world.cityUsers[a]!.admin, 'staff'),
    set('non-operator claiming operator', null, u.px!, 'operator'),
  )
  return contexts
}

function describe(e: Effective): string {
  return `tenant=${e.tenant ?? '∅'} user=${e.user ?? '∅'} actor=${e.actor ?? '∅'}`
}

function suffix(): string {
  return randomUUID().slice(0, 8)
}

export function buildProbes(options: {
  catalogue: Catalogue
  world: World
  snapshot: Snapshot
  contexts: ProbeContext[]
  tables?: string[]
}): Probe[] {
  const { catalogue, world, snapshot } = options
  const oracle = new Oracle(world, snapshot)
  const probes: Probe[] = []
  const tables = [...catalogue.tables.values()].filter((t) => !options.tables || options.tables.includes(t.name))
  const usersFk = (table: TableInfo) =>
    table.foreignKeys.filter((fk) => fk.refTable === 'users' && fk.columns.length === 1).map((fk) => fk.columns[0]!)
  const fkColumns = (table: TableInfo) => new Set(table.foreignKeys.flatMap((fk) => fk.columns))

  /** A copy of a row with fresh key values and unique values, acting as the context's user where a column names a user. */
  const clone = (table: TableInfo, row: Row, e: Effective): Row => {
    const copy: Row = { ...row }
    if (e.user) for (const column of usersFk(table)) if (column in copy) copy[column] = e.user
    const fks = fkColumns(table)
    for (const unique of table.uniques) {
      for (const column of unique.columns) {
        if (column === 'tenant_id' || fks.has(column)) continue
        const type = table.columns.find((c) => c.name === column)!.type
        if (type === 'uuid') copy[column] = randomUUID()
        else if (/int/.test(type)) copy[column] = 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000)
        else if (copy[column] != null) copy[column] = `${String(copy[column])}-${suffix()}`
        else if (type === 'text') copy[column] = `probe-${suffix()}`
      }
    }
    if (table.name === 'users') copy.email = `probe-${suffix()}@probe.example`
    return copy
  }

  const insertRun = (table: TableInfo, row: Row) => async (tx: postgres.TransactionSql) => {
    // INSERT … VALUES, as the app writes: Citus routes it to one shard, where row-level security
    // checks it (an INSERT … SELECT would go through COPY, which Citus refuses under RLS: 0A000).
    const result = await tx.unsafe(
      `INSERT INTO ${q(table.name)} VALUES ((jsonb_populate_record(NULL::${q(table.name)}, $1::jsonb)).*)`,
      [row as never],
    )
    return { count: result.count, keys: [] }
  }
  const none: Verdict = { leaks: [], mismatches: [] }

  for (const ctx of options.contexts) {
    const e = effective(ctx)
    const where = `[${ctx.name}] (${describe(e)})`
    const [cityA, cityB] = world.cities
    const home = e.tenant ?? cityA
    const other = home === cityA ? cityB : cityA
    for (const table of tables) {
      const rows = snapshot.get(table.name) ?? []
      const known = KNOWN_TABLES.has(table.name)
      const key = keyExpr(table)

      // SELECT: exactly the rows the oracle allows.
      probes.push({
        ctx,
        table: table.name,
        kind: 'select',
        run: async (tx) => {
          const result = await tx.unsafe<{ key: string }[]>(`SELECT ${key} AS key FROM ${q(table.name)}`)
          return { count: result.length, keys: result.map((r) => r.key) }
        },
        judge: (outcome) => {
          const verdict: Verdict = { leaks: [], mismatches: [] }
          if (outcome.error && outcome.error.code !== '42501') {
            verdict.mismatches.push(`${where} SELECT ${table.name} failed: ${outcome.error.message}`)
          }
          const seen = new Set(outcome.keys)
          for (const { key: k, row } of rows) {
            const allowed = oracle.canSelect(table.name, row, e)
            if (seen.has(k) && !allowed) verdict.leaks.push(`${where} SELECT ${table.name} shows ${k}`)
            if (!seen.has(k) && allowed && known) verdict.mismatches.push(`${where} SELECT ${table.name} hides ${k}`)
          }
          return verdict
        },
      })

      // UPDATE and DELETE of every row the context must not change.
      for (const op of ['update', 'delete'] as const) {
        const forbidden = rows.filter((r) => !oracle.canWrite(table.name, r.row, e, op)).map((r) => r.key)
        if (forbidden.length === 0) continue
        const column = q(table.updatableColumn)
        const statement =
          op === 'update'
            ? `UPDATE ${q(table.name)} SET ${column} = ${column} WHERE ${key} = ANY($1::text[])`
            : `DELETE FROM ${q(table.name)} WHERE ${key} = ANY($1::text[])`
        probes.push({
          ctx,
          table: table.name,
          kind: op,
          run: async (tx) => ({ count: (await tx.unsafe(statement, [forbidden as never])).count, keys: [] }),
          judge: (outcome) =>
            !outcome.error && outcome.count > 0
              ? { leaks: [`${where} ${op.toUpperCase()} ${table.name} changed ${outcome.count} forbidden row(s)`], mismatches: [] }
              : none,
        })
      }

      if (table.isTenantTable) {
        // Moving rows of the context's city into the other city.
        const mine = rows.filter((r) => r.row.tenant_id === home).map((r) => r.key)
        probes.push({
          ctx,
          table: table.name,
          kind: 'move-tenant',
          run: async (tx) => ({
            count: (await tx.unsafe(`UPDATE ${q(table.name)} SET tenant_id = $1 WHERE ${key} = ANY($2::text[])`, [other as never, mine as never])).count,
            keys: [],
          }),
          judge: (outcome) =>
            !outcome.error && outcome.count > 0
              ? { leaks: [`${where} UPDATE ${table.name} moved ${outcome.count} row(s) to the other city`], mismatches: [] }
              : none,
        })

        // INSERT into the other city (and, with no city set, into any city).
        const foreign = rows.find((r) => r.row.tenant_id === other)
        if (foreign) {
          const row = clone(table, foreign.row, e)
          probes.push({
            ctx,
            table: table.name,
            kind: 'insert-other-city',
            run: insertRun(table, row),
            judge: (outcome) => {
              if (!outcome.error) return { leaks: [`${where} INSERT ${table.name} into the other city succeeded`], mismatches: [] }
              if (outcome.error.code !== '42501') {
                return {
                  leaks: [`${where} INSERT ${table.name} into the other city passed row-level security (stopped only by ${outcome.error.code}: ${outcome.error.message})`],
                  mismatches: [],
                }
              }
              return none
            },
          })
        }

        // INSERT in the context's own city, pointing a foreign key at the other city's row.
        const own = rows.find((r) => r.row.tenant_id === home)
        for (const fk of table.foreignKeys) {
          const target = catalogue.tables.get(fk.refTable)
          if (!own || !target?.isTenantTable) continue
          const foreignRef = (snapshot.get(fk.refTable) ?? []).find((r) => r.row.tenant_id === other)
          if (!foreignRef) continue
          const row = clone(table, own.row, e)
          fk.columns.forEach((column, i) => {
            if (column !== 'tenant_id') row[column] = foreignRef.row[fk.refColumns[i]!]
          })
          probes.push({
            ctx,
            table: table.name,
            kind: 'insert-foreign-fk',
            run: insertRun(table, row),
            judge: (outcome) =>
              !outcome.error
                ? { leaks: [`${where} INSERT ${table.name} with ${fk.columns.join(',')} of the other city succeeded`], mismatches: [] }
                : none,
          })
        }

        // INSERT in the own city with the other city's unique values: a unique violation would reveal them.
        for (const unique of table.uniques.filter((u) => !u.isPrimary)) {
          if (!own) continue
          const columns = unique.columns.filter((c) => c !== 'tenant_id')
          const tuple = (r: Row) => JSON.stringify(columns.map((c) => r[c]))
          const homeTuples = new Set(rows.filter((r) => r.row.tenant_id === home).map((r) => tuple(r.row)))
          const source = rows.find(
            (r) => r.row.tenant_id === other && columns.every((c) => r.row[c] != null) && !homeTuples.has(tuple(r.row)),
          )
          if (!source) continue
          const row = clone(table, own.row, e)
          for (const column of columns) row[column] = source.row[column]
          probes.push({
            ctx,
            table: table.name,
            kind: 'insert-unique',
            run: insertRun(table, row),
            judge: (outcome) =>
              outcome.error?.code === '23505' && outcome.error.constraint === unique.name
                ? { leaks: [`${where} INSERT ${table.name}: ${unique.name} revealed the other city's values`], mismatches: [] }
                : none,
          })
        }
      } else {
        // Platform tables: insert a copy of someone else's row.
        const source = rows.find((r) => !oracle.canSelect(table.name, r.row, e)) ?? rows[0]
        if (source) {
          const row = clone(table, source.row, e)
          for (const column of table.primaryKey) {
            const type = table.columns.find((c) => c.name === column)!.type
            if (table.name === 'organisation_members') {
              // Joining someone else's organisation: same organisation, the context's user.
              if (column === 'user_id') row[column] = e.user ?? source.row[column]
            } else if (type === 'uuid') row[column] = randomUUID()
            else if (/int/.test(type)) row[column] = 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000)
            else row[column] = `probe-${randomUUID()}`
          }
          if (table.name === 'organisation_members') row.role = 'owner'
          const allowed = oracle.canInsertPlatform(table.name, row, e)
          probes.push({
            ctx,
            table: table.name,
            kind: 'insert-platform',
            run: insertRun(table, row),
            judge: (outcome) =>
              !allowed && (!outcome.error || outcome.error.code !== '42501')
                ? {
                    leaks: [`${where} INSERT ${table.name} (someone else's row) ${outcome.error ? `passed row-level security (${outcome.error.code})` : 'succeeded'}`],
                    mismatches: [],
                  }
                : none,
          })
        }
      }
    }

    // The readers of other people and organisations (migration 0034): exactly what the oracle allows.
    const reader = (table: string, kind: string, statement: string, ids: string[], expected: Set<string>) => {
      if (options.tables !== undefined && !options.tables.includes(table)) return
      probes.push({
        ctx,
        table,
        kind,
        run: async (tx) => {
          const result = await tx.unsafe<{ key: string }[]>(statement, ids.length > 0 ? [ids as never] : [])
          return { count: result.length, keys: result.map((r) => r.key) }
        },
        judge: (outcome) => {
          const verdict: Verdict = { leaks: [], mismatches: [] }
          if (outcome.error) verdict.mismatches.push(`${where} ${kind} failed: ${outcome.error.message}`)
          const seen = new Set(outcome.keys)
          for (const id of ids.length > 0 ? ids : [...(snapshot.get(table) ?? [])].map((r) => r.key)) {
            if (seen.has(id) && !expected.has(id)) verdict.leaks.push(`${where} ${kind} shows ${id}`)
            if (!seen.has(id) && expected.has(id)) verdict.mismatches.push(`${where} ${kind} hides ${id}`)
          }
          return verdict
        },
      })
    }
    const everyone = (snapshot.get('users') ?? []).map((r) => r.key)
    const everyOrganisation = (snapshot.get('organisations') ?? []).map((r) => r.key)
    reader('users', 'app_people', `SELECT id::text AS key FROM app_people($1::uuid[])`, everyone, oracle.peopleVisible(e))
    const organisationsSeen = oracle.organisationsVisible(e)
    reader(
      'organisations',
      'app_organisations',
      `SELECT id::text AS key FROM app_organisations($1::uuid[])`,
      everyOrganisation,
      organisationsSeen,
    )
    reader('organisations', 'app_organisations_named', `SELECT id::text AS key FROM app_organisations_named('%')`, [], organisationsSeen)

    // Privilege escalation on one's own user row.
    if (options.tables === undefined || options.tables.includes('users')) {
      const self = e.user ?? randomUUID()
      probes.push({
        ctx,
        table: 'users',
        kind: 'insert-operator',
        run: insertRun(catalogue.tables.get('users')!, {
          id: self,
          email: `probe-${suffix()}@probe.example`,
          display_name: 'probe',
          locale: 'ja',
          password_hash: 'x',
          platform_role: 'operator',
        }),
        judge: (outcome) =>
          !outcome.error || outcome.error.code !== '42501'
            ? { leaks: [`${where} INSERT users as operator ${outcome.error ? `passed row-level security (${outcome.error.code})` : 'succeeded'}`], mismatches: [] }
            : none,
      })
      probes.push({
        ctx,
        table: 'users',
        kind: 'update-operator',
        run: async (tx) => ({
          count: (await tx.unsafe(`UPDATE users SET platform_role = 'operator', disabled_at = NULL WHERE id::text = $1`, [self as never])).count,
          keys: [],
        }),
        judge: (outcome) =>
          !outcome.error && outcome.count > 0
            ? { leaks: [`${where} UPDATE users made itself operator`], mismatches: [] }
            : none,
      })
    }
  }
  return probes
}

class Rollback extends Error {}

async function applyContext(tx: postgres.TransactionSql, ctx: ProbeContext): Promise<void> {
  if (ctx.settings === 'unset') return
  const { tenantId, userId, actor } = ctx.settings
  // As withTenant sets it (app_set_context, migration 0020); an empty id is no id.
  await tx`SELECT app_set_context(${tenantId || null}::uuid, ${userId || null}::uuid, ${actor})`
}

async function attempt(tx: postgres.TransactionSql, probe: Probe): Promise<Outcome> {
  try {
    return await probe.run(tx)
  } catch (error) {
    const e = error as postgres.PostgresError
    if (!e.code) throw error
    return { count: 0, keys: [], error: { code: e.code, constraint: e.constraint_name, message: e.message } }
  }
}

function tally(probes: Probe[], outcomes: Outcome[]): ProbeReport {
  const report: ProbeReport = { run: probes.length, leaks: [], mismatches: [] }
  probes.forEach((probe, i) => {
    const verdict = probe.judge(outcomes[i]!)
    report.leaks.push(...verdict.leaks)
    report.mismatches.push(...verdict.mismatches)
  })
  return report
}

/**
 * Runs probes as the runtime role, each in its own rolled-back transaction.
 * `unsetSql` is a runtime connection on which no setting was ever made.
 */
export async function runProbes(
  probes: Probe[],
  runtime: { sql: postgres.Sql; unsetSql: postgres.Sql },
  concurrency = 8,
): Promise<ProbeReport> {
  const outcomes: Outcome[] = new Array(probes.length)
  const runOne = (sql: postgres.Sql, i: number) =>
    sql
      .begin(async (tx) => {
        await applyContext(tx, probes[i]!.ctx)
        outcomes[i] = await attempt(tx, probes[i]!)
        throw new Rollback()
      })
      .catch((error) => {
        if (!(error instanceof Rollback)) throw error
      })
  const setIndexes = probes.flatMap((p, i) => (p.ctx.settings === 'unset' ? [] : [i]))
  const unsetIndexes = probes.flatMap((p, i) => (p.ctx.settings === 'unset' ? [i] : []))
  let cursor = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (cursor < setIndexes.length) await runOne(runtime.sql, setIndexes[cursor++]!)
    }),
  )
  // The unset connection never sees app_set_context, so its settings really are unset.
  for (const i of unsetIndexes) await runOne(runtime.unsetSql, i)
  return tally(probes, outcomes)
}

/**
 * The suite's self-test: as the owner, inside one transaction that is always
 * rolled back, apply `breakSql` (disable or loosen a policy), then run the
 * probes in savepoints as the runtime role (`SET LOCAL ROLE`). The caller
 * asserts that leaks are reported.
 */
export async function runProbesWithBrokenPolicy(
  probes: Probe[],
  adminSql: postgres.Sql,
  breakSql: string,
): Promise<ProbeReport> {
  const outcomes: Outcome[] = []
  await adminSql
    .begin(async (tx) => {
      await tx.unsafe(breakSql)
      for (const probe of probes) {
        await tx
          .savepoint(async (sp) => {
            await sp.unsafe(`SET LOCAL ROLE ${q(RUNTIME_ROLE)}`)
            await applyContext(sp, probe.ctx)
            outcomes.push(await attempt(sp, probe))
            throw new Rollback()
          })
          .catch((error) => {
            if (!(error instanceof Rollback)) throw error
          })
      }
      throw new Rollback()
    })
    .catch((error) => {
      if (!(error instanceof Rollback)) throw error
    })
  return tally(probes, outcomes)
}
