import { parseArgs } from 'node:util'
import { and, desc, eq, sql as drizzleSql } from 'drizzle-orm'
import postgres from 'postgres'
import { parseEnv } from '../../app/utils/env.server'
import { runCli } from '../run-cli'
import { createOwnerDb, createOwnerSql } from '../../db/owner'
import { createRuntimeDb, runtimeDbFromClient } from '../../db/runtime'
import { organisations, proposals } from '../../db/schema'
import { withTenant, type TenantContext } from '../../db/tenant-context'
import { DEFAULT_SCALE_DATABASE, openScaleDatabase, type ScaleDatabase } from './database'

/**
 * SQL-level benchmark of the desk inbox on the scale data set (issue 11):
 *
 * 1. RLS cost — the inbox query (50 rows of city scale-0001 in one state,
 *    newest submission first) through `withTenant` as a desk staff member,
 *    against the same query as the owner with the explicit tenant filter;
 * 2. scaling — the same query through `withTenant` on databases holding 10k,
 *    100k and 1M proposals (the city has the same 10,000 in each).
 *
 * Concurrency 32 on a postgres.js pool of 32. Variants run in interleaved
 * rounds so a noisy neighbour hurts them alike; one pool is open at a time.
 *
 *   pnpm exec tsx scripts/scale/bench-sql.ts [--database-name desk_scale]
 *     [--scaling desk_scale_10k,desk_scale_100k,desk_scale] [--rounds 3] [--seconds 3] [--concurrency 32]
 */

const STATES = ['intake', 'dialogue', 'feasibility', 'method_chosen'] as const

type Db =
  | ReturnType<typeof createRuntimeDb>
  | ReturnType<typeof createOwnerDb>
  | Parameters<Parameters<typeof withTenant>[2]>[0]
  | Parameters<Parameters<ReturnType<typeof createOwnerDb>['transaction']>[0]>[0]

const inboxColumns = {
  id: proposals.id,
  referenceCode: proposals.referenceCode,
  title: proposals.title,
  state: proposals.state,
  proposalType: proposals.proposalType,
  organisationId: proposals.organisationId,
  submittedAt: proposals.submittedAt,
  updatedAt: proposals.updatedAt,
}

/** The inbox query as a route would write it: explicit city filter (or none: RLS alone), state, newest first. */
function inboxQuery(db: Db, tenantId: string | null, state: string, withOrganisation: boolean) {
  const where = and(tenantId ? eq(proposals.tenantId, tenantId) : undefined, eq(proposals.state, state))
  if (withOrganisation) {
    return db
      .select({ ...inboxColumns, organisationName: organisations.name })
      .from(proposals)
      .leftJoin(organisations, eq(organisations.id, proposals.organisationId))
      .where(where)
      .orderBy(desc(proposals.submittedAt))
      .limit(50)
  }
  return db.select(inboxColumns).from(proposals).where(where).orderBy(desc(proposals.submittedAt)).limit(50)
}

type Target = {
  database: ScaleDatabase
  tenantId: string
  staff: TenantContext
  cityProposals: number
  totalProposals: number
}

async function target(database: ScaleDatabase): Promise<Target> {
  const sql = createOwnerSql(database.adminUrl, { max: 1 })
  try {
    const [row] = await sql<{ tenant_id: string; user_id: string; city: number; total: number }[]>`
      SELECT t.id AS tenant_id, cm.user_id,
             (SELECT count(*)::int FROM proposals p WHERE p.tenant_id = t.id) AS city,
             (SELECT count(*)::int FROM proposals) AS total
        FROM tenants t JOIN city_memberships cm ON cm.tenant_id = t.id AND cm.role = 'desk_staff'
        JOIN users u ON u.id = cm.user_id
       WHERE t.slug = 'scale-0001' ORDER BY u.email LIMIT 1`
    if (!row)
      throw new Error(
        `${database.name}: no scale data (city scale-0001 with a desk_staff member); run pnpm seed:scale first`,
      )
    return {
      database,
      tenantId: row.tenant_id,
      staff: { tenantId: row.tenant_id, userId: row.user_id, actor: 'staff' },
      cityProposals: row.city,
      totalProposals: row.total,
    }
  } finally {
    await sql.end()
  }
}

type Variant = {
  name: string
  /** Queries before measuring (the RLS-only variant is slow: one per connection). */
  warmup?: number
  open: () => { run: (i: number) => Promise<number>; close: () => Promise<void> }
}

function variants(t: Target, concurrency: number, prefix = ''): Record<string, Variant> {
  const runtime = () => createRuntimeDb(t.database.runtimeUrl, { max: concurrency })
  const owner = () => createOwnerDb(t.database.adminUrl, { max: concurrency })
  const state = (i: number) => STATES[i % STATES.length]!
  const make = (name: string, open: Variant['open'], warmup?: number): Variant => ({
    name: prefix + name,
    open,
    warmup,
  })
  // Prepared statements (postgres.js's default) switch to a generic plan after five runs; this pool
  // plans every execution for its parameters, as a pool without prepared statements would.
  const runtimeCustomPlans = () =>
    runtimeDbFromClient(
      postgres(t.database.runtimeUrl, {
        max: concurrency,
        onnotice: () => {},
        connection: { plan_cache_mode: 'force_custom_plan' },
      }),
    )
  return {
    owner: make('owner, explicit tenant_id', () => {
      const db = owner()
      return {
        run: async (i) => (await inboxQuery(db, t.tenantId, state(i), false)).length,
        close: () => db.$client.end({ timeout: 5 }),
      }
    }),
    ownerTx: make('owner, same transaction shape', () => {
      const db = owner()
      return {
        run: (i) =>
          db.transaction(async (tx) => {
            // The statement withTenant sends, so the only difference left is the role and its policies.
            await tx.execute(
              drizzleSql`select set_config('app.tenant_id', ${t.tenantId}, true),
                set_config('app.user_id', ${t.staff.userId}, true), set_config('app.actor', 'staff', true)`,
            )
            return (await inboxQuery(tx, t.tenantId, state(i), false)).length
          }),
        close: () => db.$client.end({ timeout: 5 }),
      }
    }),
    withTenant: make('withTenant (staff), explicit tenant_id', () => {
      const db = runtime()
      return {
        run: (i) =>
          withTenant(db, t.staff, async (tx) => (await inboxQuery(tx, t.tenantId, state(i), false)).length),
        close: () => db.$client.end({ timeout: 5 }),
      }
    }),
    withTenantRlsOnly: make(
      'withTenant (staff), no tenant_id filter',
      () => {
        const db = runtime()
        return {
          run: (i) =>
            withTenant(db, t.staff, async (tx) => (await inboxQuery(tx, null, state(i), false)).length),
          close: () => db.$client.end({ timeout: 5 }),
        }
      },
      concurrency,
    ),
    withTenantCustom: make('withTenant (staff), custom plans', () => {
      const db = runtimeCustomPlans()
      return {
        run: (i) =>
          withTenant(db, t.staff, async (tx) => (await inboxQuery(tx, t.tenantId, state(i), false)).length),
        close: () => db.$client.end({ timeout: 5 }),
      }
    }),
    withTenantOrgCustom: make('withTenant + organisation name, custom plans', () => {
      const db = runtimeCustomPlans()
      return {
        run: (i) =>
          withTenant(db, t.staff, async (tx) => (await inboxQuery(tx, t.tenantId, state(i), true)).length),
        close: () => db.$client.end({ timeout: 5 }),
      }
    }),
    ownerOrg: make('owner + organisation name', () => {
      const db = owner()
      return {
        run: async (i) => (await inboxQuery(db, t.tenantId, state(i), true)).length,
        close: () => db.$client.end({ timeout: 5 }),
      }
    }),
    withTenantOrg: make('withTenant + organisation name', () => {
      const db = runtime()
      return {
        run: (i) =>
          withTenant(db, t.staff, async (tx) => (await inboxQuery(tx, t.tenantId, state(i), true)).length),
        close: () => db.$client.end({ timeout: 5 }),
      }
    }),
  }
}

type Sample = { latencies: number[]; operations: number; seconds: number; rows: number }

/** Opens the variant's pool, warms it up, then keeps `concurrency` queries in flight for `seconds`. */
async function measure(
  variant: Variant,
  concurrency: number,
  seconds: number,
  warmup: number,
): Promise<Sample> {
  const { run, close } = variant.open()
  try {
    let i = 0
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (i < warmup) await run(i++)
      }),
    )
    const latencies: number[] = []
    let rows = 0
    const started = performance.now()
    const deadline = started + seconds * 1000
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          const t0 = performance.now()
          rows += await run(i++)
          latencies.push(performance.now() - t0)
        }
      }),
    )
    const elapsed = (performance.now() - started) / 1000
    return { latencies, operations: latencies.length, seconds: elapsed, rows }
  } finally {
    await close()
  }
}

function summarise(samples: Sample[]) {
  const all = Float64Array.from(samples.flatMap((s) => s.latencies)).sort()
  const q = (p: number) => all[Math.min(all.length - 1, Math.floor(p * all.length))] ?? NaN
  const operations = samples.reduce((a, s) => a + s.operations, 0)
  const seconds = samples.reduce((a, s) => a + s.seconds, 0)
  const rows = samples.reduce((a, s) => a + s.rows, 0)
  return {
    operations,
    rps: operations / seconds,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    rowsPerQuery: rows / operations,
  }
}
type Summary = ReturnType<typeof summarise>

const ms = (x: number) => x.toFixed(2).padStart(8)
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`.padStart(7)

function table(title: string, rows: { label: string; s: Summary; base?: Summary }[]): string {
  const lines = [
    title,
    `  ${'variant'.padEnd(44)} ${'queries'.padStart(8)} ${'q/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}   ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'q/s'.padStart(7)}`,
  ]
  for (const { label, s, base } of rows) {
    const r = base
      ? `   ${ratio(s.p50, base.p50)} ${ratio(s.p95, base.p95)} ${ratio(s.p99, base.p99)} ${ratio(s.rps, base.rps)}`
      : '   (baseline)'
    lines.push(
      `  ${label.padEnd(44)} ${String(s.operations).padStart(8)} ${s.rps.toFixed(0).padStart(8)} ${ms(s.p50)} ${ms(s.p95)} ${ms(s.p99)}${r}`,
    )
  }
  return lines.join('\n')
}

async function explain(
  t: Target,
  label: string,
  context: TenantContext | null,
  tenantFilter: boolean,
  withOrganisation: boolean,
  generic = false,
): Promise<string> {
  const db = createRuntimeDb(t.database.runtimeUrl, { max: 1 })
  const query = inboxQuery(db, tenantFilter ? t.tenantId : null, 'intake', withOrganisation).toSQL()
  const sql = context
    ? postgres(t.database.runtimeUrl, { max: 1, onnotice: () => {} })
    : createOwnerSql(t.database.adminUrl, { max: 1 })
  try {
    const plan = await sql.begin(async (tx) => {
      if (context) {
        await tx`select set_config('app.tenant_id', ${context.tenantId ?? ''}, true),
                        set_config('app.user_id', ${context.userId ?? ''}, true), set_config('app.actor', ${context.actor}, true)`
      }
      // The plan a prepared statement settles on after five runs.
      if (generic) await tx`SET LOCAL plan_cache_mode = force_generic_plan`
      // Twice: the first run also sets hint bits and warms the cache.
      await tx.unsafe(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${query.sql}`, query.params as never[])
      return tx.unsafe(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${query.sql}`, query.params as never[])
    })
    return `--- ${label}\n${plan.map((r) => `    ${r['QUERY PLAN']}`).join('\n')}`
  } finally {
    await sql.end()
    await db.$client.end()
  }
}

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      'database-name': { type: 'string', default: DEFAULT_SCALE_DATABASE },
      scaling: { type: 'string', default: 'desk_scale_10k,desk_scale_100k,desk_scale' },
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '32' },
      warmup: { type: 'string', default: '320' },
      'no-explain': { type: 'boolean', default: false },
      'scaling-plans': { type: 'string', default: 'custom' },
      only: { type: 'string' },
    },
  })
  const rounds = Number(values.rounds)
  const seconds = Number(values.seconds)
  const concurrency = Number(values.concurrency)
  const warmup = Number(values.warmup)
  const env = parseEnv()
  const opened: ScaleDatabase[] = []
  const open = async (name: string) => {
    const database = await openScaleDatabase(env, name, { create: false })
    opened.push(database)
    return target(database)
  }
  try {
    const main = await open(values['database-name']!)
    const out: string[] = []
    const log = (line: string) => {
      console.error(line)
      out.push(line)
    }
    log(
      `bench:sql on ${main.database.name}: ${main.totalProposals.toLocaleString('en')} proposals, city scale-0001 has ${main.cityProposals.toLocaleString('en')}; concurrency ${concurrency}, ${rounds} rounds × ${seconds} s per variant, states ${STATES.join('/')}`,
    )

    if (!values['no-explain']) {
      log(await explain(main, 'owner, explicit tenant_id', null, true, false))
      log(
        await explain(main, 'withTenant (staff), explicit tenant_id (custom plan)', main.staff, true, false),
      )
      log(
        await explain(
          main,
          'withTenant (staff), explicit tenant_id (generic plan)',
          main.staff,
          true,
          false,
          true,
        ),
      )
      log(
        await explain(main, 'withTenant (staff), no tenant_id filter (RLS alone)', main.staff, false, false),
      )
      log(await explain(main, 'withTenant (staff) + organisation name', main.staff, true, true))
    }

    const results: string[] = []
    if (values.only !== 'scaling') {
      const v = variants(main, concurrency)
      const order = [
        v.owner!,
        v.withTenant!,
        v.withTenantCustom!,
        v.ownerTx!,
        v.withTenantRlsOnly!,
        v.ownerOrg!,
        v.withTenantOrg!,
        v.withTenantOrgCustom!,
      ]
      const samples = new Map<string, Sample[]>(order.map((x) => [x.name, []]))
      for (let round = 1; round <= rounds; round++) {
        for (const variant of order) {
          const sample = await measure(variant, concurrency, seconds, variant.warmup ?? warmup)
          samples.get(variant.name)!.push(sample)
          console.error(
            `  round ${round}: ${variant.name.padEnd(44)} ${sample.operations} queries, p50 ${median(sample.latencies).toFixed(2)} ms`,
          )
        }
      }
      const s = (name: string) => summarise(samples.get(name)!)
      const owner = s(v.owner!.name)
      const ownerTx = s(v.ownerTx!.name)
      const ownerOrg = s(v.ownerOrg!.name)
      results.push(
        table(
          `RLS cost — ${main.database.name}, inbox of scale-0001 (ratios to the owner baseline of each block)`,
          [
            { label: v.owner!.name, s: owner },
            { label: v.withTenant!.name, s: s(v.withTenant!.name), base: owner },
            { label: v.withTenantCustom!.name, s: s(v.withTenantCustom!.name), base: owner },
            { label: v.withTenantRlsOnly!.name, s: s(v.withTenantRlsOnly!.name), base: owner },
            { label: v.ownerTx!.name, s: ownerTx, base: owner },
            { label: `  withTenant vs owner in the same tx shape`, s: s(v.withTenant!.name), base: ownerTx },
            {
              label: `  custom plans vs owner in the same tx shape`,
              s: s(v.withTenantCustom!.name),
              base: ownerTx,
            },
            { label: v.ownerOrg!.name, s: ownerOrg },
            { label: v.withTenantOrg!.name, s: s(v.withTenantOrg!.name), base: ownerOrg },
            { label: v.withTenantOrgCustom!.name, s: s(v.withTenantOrgCustom!.name), base: ownerOrg },
          ],
        ),
      )
    }

    if (values.only !== 'rls') {
      const scalingVariant = values['scaling-plans'] === 'prepared' ? 'withTenant' : 'withTenantCustom'
      const names = values
        .scaling!.split(',')
        .map((x) => x.trim())
        .filter(Boolean)
      const targets: Target[] = []
      const recipes: Record<string, string> = {
        desk_scale_10k: '--cities 1 --proposals 10000',
        desk_scale_100k: '--cities 100 --proposals 100000',
      }
      for (const name of names) {
        if (name === main.database.name) {
          targets.push(main)
          continue
        }
        try {
          targets.push(await open(name))
        } catch (error) {
          const recipe = recipes[name] ?? '--cities N --proposals M'
          log(
            `scaling: skipping ${name} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); create it with pnpm seed:scale ${recipe} --database-name ${name}`,
          )
        }
      }
      targets.sort((a, b) => a.totalProposals - b.totalProposals)
      const samples = new Map<Target, Sample[]>(targets.map((x) => [x, []]))
      for (let round = 1; round <= rounds; round++) {
        for (const t of targets) {
          const sample = await measure(
            variants(t, concurrency)[scalingVariant]!,
            concurrency,
            seconds,
            warmup,
          )
          samples.get(t)!.push(sample)
          console.error(
            `  round ${round}: ${t.database.name.padEnd(20)} ${sample.operations} queries, p50 ${median(sample.latencies).toFixed(2)} ms`,
          )
        }
      }
      const base = summarise(samples.get(targets[0]!)!)
      results.push(
        table(
          `Scaling — inbox through withTenant, ${scalingVariant === 'withTenant' ? 'prepared statements' : 'custom plans'} (city with ${targets.map((t) => t.cityProposals.toLocaleString('en')).join(' / ')} proposals), ratios to the smallest database`,
          targets.map((t, k) => ({
            label: `${t.database.name} (${t.totalProposals.toLocaleString('en')} proposals)`,
            s: k === 0 ? base : summarise(samples.get(t)!),
            base: k === 0 ? undefined : base,
          })),
        ),
      )
    }
    console.log(`\n${results.join('\n\n')}`)
  } finally {
    for (const database of opened) await database.stop()
  }
})

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}
