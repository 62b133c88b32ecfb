/**
 * `pnpm bench` (issue 11): HTTP benchmarks of the production build on the
 * scale data set (`pnpm seed:scale`), each against a bare `node:http`
 * baseline (./baseline.ts) in the same run, driven by wrk (./wrk.ts; Lua for cookies and bodies):
 *   (a) the city's public home page — baseline: the same HTML from memory;
 *   (b) the desk inbox of scale-0001 (50 rows, filtered by state) — baseline: the same queries;
 *   (c) proposal submission — baseline: the same operations; each acknowledged (302 with its
 *       reference) submission is checked in the database, and the run's proposals are removed after;
 *   (d) /themes and (e) /cases across cities, filtered by platform field (rotating over 4): the app
 *       with its caches as in production (render cache) — baseline: the same pages' HTML from memory;
 *       and with a new query parameter per request (every request a miss: the query runs and the
 *       page is rendered) — baseline: the same read operation, no cache;
 * then the cost of row-level security (the inbox query through withTenant
 * against the same query as the owner with the explicit filter), scaling
 * (the inbox page on the 10k/100k/1M databases, interleaved), the server's peak RSS,
 * and per run the CPU time per request of the server and of PostgreSQL (a loaded
 * machine stretches latencies; CPU time per request hardly moves).
 *
 *   pnpm bench [--database-name desk_scale] [--scaling desk_scale_10k,desk_scale_100k,desk_scale]
 *              [--duration 10] [--warm-up 3] [--connections 32] [--pool 10] [--skip-build]
 *              [--only home,floor,inbox,submit,themes,cases,desk,rls,scaling] [--cpu-prof DIR]
 *              [--demo-database desk_demo_bench] [--demo-city SLUG (default: the first tenant file's)]
 *              [--desk-builds CHECKOUT_A,CHECKOUT_B] [--rounds 1] [--processes 1]
 * desk: the desk proposal page on the demo data (a database of that name, created and seeded with the
 * demo on the app's first start), one request at a time (wrk, one connection) over every proposal
 * Komatsu's desk sees: its p50 is the issue's "desk proposal page p50 ≤ 20 ms". --desk-builds: one server
 * per checkout (each its own build/), alternated in --rounds rounds of duration ÷ rounds s (an A/B of a change).
 * Only desk: the scale database is not needed (not opened).
 * floor: what any page costs before its own work, on the scale city, as desk staff: /healthz (a resource route with
 * no work of its own: the session's validation and Remix's request handling) and /account (a signed-in document:
 * the session, the root loader, one small read, a short page); run with inbox, it
 * prints the bound that floor puts on the inbox's ratio (the baseline's CPU ÷ the baseline's plus the floor's).
 * --processes N: the app servers run N processes on their port (WEB_CONCURRENCY, node:cluster), and so does
 * the baseline (node:cluster over baseline.ts): both may use every core. CPU time is the process tree's.
 * --cpu-prof DIR: the app servers write V8 CPU profiles (.cpuprofile, for Chrome DevTools) into DIR on exit.
 * Database: DATABASE_URL's server, or the embedded cluster under DATA_DIR / EMBEDDED_PG_PORT (as seed:scale).
 * Ports: PORT (the app; +1, +2 for the scaling servers) and BENCH_BASELINE_PORT, when free.
 */
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import YAML from 'yaml'
import { loadTenantDirectory, parseTenantSource } from '@desk/tenant-config'
import { parseEnv } from '../../app/utils/env.server'
import { openScaleDatabase, type ScaleDatabase } from '../../scripts/scale/database'
import { tenantTablesChildrenFirst } from '../../scripts/scale/seed'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { withTenant } from '../../db/tenant-context'
import { createRuntimeDb, type RuntimeDb } from '../../db/runtime'
import { deskInboxStatements, readDeskInbox } from '../../app/operations/inbox/desk-inbox.server'
import {
  cpuSecondsOf,
  descendantsOf,
  freePort,
  rssMbOf,
  signIn,
  startApp,
  type AppProcess,
} from '../harness/app-process'
import { proposalSubmission } from '../harness/proposal-form'
import { wrk, type WrkTarget } from './wrk'

const { values: args } = parseArgs({
  options: {
    'database-name': { type: 'string', default: 'desk_scale' },
    scaling: { type: 'string', default: 'desk_scale_10k,desk_scale_100k,desk_scale' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    pool: { type: 'string', default: '10' },
    'skip-build': { type: 'boolean', default: false },
    only: { type: 'string', default: 'home,floor,inbox,submit,themes,cases,desk,rls,scaling' },
    'warm-up': { type: 'string', default: '3' },
    'cpu-prof': { type: 'string' },
    'demo-database': { type: 'string', default: 'desk_demo_bench' },
    'demo-city': { type: 'string' },
    'desk-builds': { type: 'string' },
    rounds: { type: 'string', default: '1' },
    processes: { type: 'string', default: '1' },
  },
})
const DURATION = Number(args.duration)
const CONNECTIONS = Number(args.connections)
const POOL = Number(args.pool)
const PROCESSES = Number(args.processes)
const only = new Set(args.only!.split(','))
/** The steps that run on the scale database (`--database-name`); the desk page's runs on the demo data. */
const SCALE_STEPS = ['home', 'floor', 'inbox', 'submit', 'themes', 'cases', 'rls', 'scaling']
const STATES = ['intake', 'dialogue', 'feasibility', 'method_chosen']
const SCALE_PASSWORD = 'scale-pass-2026'
/** Reference prefix of the proposals the benchmark submits (the seeded ones are S0001-…). */
const BENCH_PREFIX = 'BENCH'
/** Seconds of load before each measured run. */
const WARM_UP = Number(args['warm-up'])
const env = parseEnv()
/**
 * Every server the bench starts gets this one DATA_DIR, absolute: with --desk-builds each checkout's server runs in
 * its own directory, and a relative DATA_DIR gave each its own runtime-role password (db/bootstrap.ts), which the
 * later start set, failing the earlier server's new connections (28P01, answered 500; docs/scaling.md).
 */
const DATA_DIR = path.resolve(env.DATA_DIR)

type Result = {
  label: string
  rps: number
  p50: number
  p95: number
  p99: number
  /** Responses with the expected status (200; 302 to the confirmation for a submission). */
  ok: number
  /** Other responses, connection errors and timeouts. */
  failed: number
  /** Load average (1 min) when the run ended. */
  load: number
  /** CPU time (user + system) of the measured server process per answered request, in ms. */
  cpuMsPerRequest?: number
  /** CPU time of PostgreSQL (the database's backends) per answered request, in ms. */
  dbCpuMsPerRequest?: number
}
const results: Result[] = []
const ratios: string[] = []

type Load = {
  seconds: number
  /** CPU seconds the measured process used during the run, and its peak RSS in MB. */
  cpuSeconds?: number
  peakMb?: number
  /** CPU seconds of the database's PostgreSQL backends during the run. */
  dbCpuSeconds?: number
  /** Latency in ms of every response, as [value, count] (wrk's exact histogram). */
  histogram: [number, number][]
  /** The Location of each 302 (recorded runs only). */
  locations: string[]
  statuses: Record<string, number>
  errors: number
}

/** Single measurements as a histogram (each counted once). */
const asHistogram = (values: number[]): [number, number][] => values.map((value) => [value, 1])

/** Exact percentiles (nearest rank) of a latency histogram of [ms, count]. */
function latencyStats(histogram: [number, number][]) {
  const sorted = [...histogram].sort((a, b) => a[0] - b[0])
  const total = sorted.reduce((sum, [, count]) => sum + count, 0)
  const at = (p: number) => {
    if (total === 0) return NaN
    const rank = Math.max(1, Math.ceil((p / 100) * total))
    let seen = 0
    for (const [value, count] of sorted) if ((seen += count) >= rank) return Math.round(value * 100) / 100
    return Math.round(sorted[sorted.length - 1]![0] * 100) / 100
  }
  return { p50: at(50), p95: at(95), p99: at(99) }
}

function report(label: string, run: Load, okStatus = 200): Result {
  // A run that does not record statuses (plain GETs, see wrk.ts) has only 2xx/3xx ('ok') and the others.
  const ok = run.statuses[String(okStatus)] ?? run.statuses.ok ?? 0
  const total = Object.values(run.statuses).reduce((a, b) => a + b, 0)
  const result: Result = {
    label,
    rps: ok / run.seconds,
    ...latencyStats(run.histogram),
    ok,
    failed: total - ok + run.errors,
    load: os.loadavg()[0]!,
    cpuMsPerRequest: run.cpuSeconds !== undefined && total > 0 ? (run.cpuSeconds * 1000) / total : undefined,
    dbCpuMsPerRequest:
      run.dbCpuSeconds !== undefined && total > 0 ? (run.dbCpuSeconds * 1000) / total : undefined,
  }
  results.push(result)
  const others = Object.entries(run.statuses).filter(([status]) => status !== String(okStatus))
  console.error(
    `  ${label}: ${result.rps.toFixed(1)} req/s, p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms, ` +
      `${ok} × ${okStatus}, failed ${result.failed}${others.length ? ` (${others.map(([s, n]) => `${n} × ${s}`).join(', ')}, ${run.errors} errors)` : ''}, ` +
      `${result.cpuMsPerRequest !== undefined ? `server CPU ${result.cpuMsPerRequest.toFixed(2)} ms/request, ` : ''}` +
      `${result.dbCpuMsPerRequest !== undefined ? `PostgreSQL CPU ${result.dbCpuMsPerRequest.toFixed(2)} ms/request, ` : ''}${run.peakMb ? `RSS ≤ ${run.peakMb.toFixed(0)} MB, ` : ''}load ${result.load.toFixed(1)}`,
  )
  return result
}

/** CPU seconds of a process and its live descendants (a server's cluster processes, --processes). */
function treeCpuSecondsOf(pid: number): number {
  return descendantsOf(pid).reduce((total, child) => total + cpuSecondsOf(child), cpuSecondsOf(pid))
}

/** CPU seconds of every PostgreSQL backend connected to the database (but this one), by pid. */
async function backendCpu(sql: postgres.Sql): Promise<Map<number, number>> {
  const rows = await sql<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`
  return new Map(rows.map((row) => [row.pid, cpuSecondsOf(row.pid)]))
}

/** The measured server: its process, and the database whose backends' CPU time is counted. */
type Measured = { pid: number; adminUrl: string }

/**
 * Runs wrk; with `measured`, samples that server's RSS and measures its
 * CPU time and the CPU time of the database's backends meanwhile.
 */
type LoadOptions = WrkTarget & { duration?: number; connections?: number; threads?: number }

async function load(options: LoadOptions, measured?: Measured): Promise<Load> {
  const stats = measured ? postgres(measured.adminUrl, { max: 1, onnotice: () => {} }) : undefined
  const dbBefore = stats ? await backendCpu(stats) : undefined
  const run = await wrkRun(options, measured?.pid)
  if (stats && dbBefore) {
    const after = await backendCpu(stats)
    await stats.end()
    let seconds = 0
    for (const [pid, cpu] of after) if (Number.isFinite(cpu)) seconds += cpu - (dbBefore.get(pid) ?? 0)
    run.dbCpuSeconds = seconds
  }
  return run
}

async function wrkRun(options: LoadOptions, pid?: number): Promise<Load> {
  const treeRssMb = (root: number) =>
    descendantsOf(root).reduce((total, child) => total + rssMbOf(child), rssMbOf(root))
  let peakMb = pid ? treeRssMb(pid) : 0
  const sampler = pid ? setInterval(() => (peakMb = Math.max(peakMb, treeRssMb(pid))), 200) : undefined
  const cpuBefore = pid ? treeCpuSecondsOf(pid) : 0
  try {
    const run = await wrk(options, {
      duration: options.duration ?? DURATION,
      connections: options.connections ?? CONNECTIONS,
      threads: options.threads,
    })
    return {
      seconds: run.seconds,
      histogram: run.histogram,
      statuses: run.statuses,
      errors: run.errors,
      locations: run.locations,
      ...(pid
        ? { cpuSeconds: treeCpuSecondsOf(pid) - cpuBefore, peakMb: Math.max(peakMb, treeRssMb(pid)) }
        : {}),
    }
  } finally {
    clearInterval(sampler)
  }
}

function ratio(label: string, app: Result, base: Result) {
  const line = `${label}: throughput ${(app.rps / base.rps).toFixed(2)}× of the baseline; latency p50 ${(app.p50 / base.p50).toFixed(2)}×, p95 ${(app.p95 / base.p95).toFixed(2)}×, p99 ${(app.p99 / base.p99).toFixed(2)}×`
  ratios.push(line)
  console.error('  ' + line)
}

type Fixture = {
  tenantId: string
  slug: string
  staffEmail: string
  staffUserId: string
  proposerEmail: string
  proposerUserId: string
  organisationId: string
}

async function fixture(database: ScaleDatabase): Promise<Fixture> {
  const sql = postgres(database.adminUrl, { max: 1, onnotice: () => {} })
  try {
    const [row] = await sql<Fixture[]>`
      SELECT t.id AS "tenantId", t.slug, su.email AS "staffEmail", su.id AS "staffUserId",
             pu.email AS "proposerEmail", pu.id AS "proposerUserId", p.organisation_id AS "organisationId"
        FROM tenants t
        JOIN city_memberships cm ON cm.tenant_id = t.id AND cm.role = 'desk_staff'
        JOIN users su ON su.id = cm.user_id AND su.email LIKE 'desk-staff-1@%'
        JOIN proposals p ON p.tenant_id = t.id
        JOIN organisation_members om ON om.organisation_id = p.organisation_id
        JOIN users pu ON pu.id = om.user_id
       WHERE t.slug = 'scale-0001' LIMIT 1`
    if (!row) throw new Error(`${database.name}: no scale-0001 data; run pnpm seed:scale first`)
    return row
  } finally {
    await sql.end()
  }
}

/**
 * The scale cities exist only as rows; the app serves a city from its tenant
 * file. This writes one for scale-0001 into a temporary TENANTS_DIR: the
 * tenant file of tenants/ whose workflow has the scale data's states, with the
 * synthetic city's slug, names, reference prefix and departments (as seeded).
 */
async function tenantsDirFor(database: ScaleDatabase, slug: string): Promise<{ dir: string; file: string }> {
  const sql = postgres(database.adminUrl, { max: 1, onnotice: () => {} })
  try {
    const [city] = await sql<{ name_ja: string; name_en: string; id: string }[]>`
      SELECT id, name_ja, name_en FROM tenants WHERE slug = ${slug}`
    const departments = await sql<{ key: string; name_ja: string; name_en: string }[]>`
      SELECT key, name_ja, name_en FROM departments WHERE tenant_id = ${city!.id} ORDER BY key`
    // The tenant file whose workflow has the states the scale data was generated with (scripts/scale/generate.ts):
    // the inbox is filtered by them, and a state the file does not have is a refused filter (400).
    const { tenants } = await loadTenantDirectory('tenants')
    const steps = (config: (typeof tenants)[number]['config']) =>
      new Set(config.tracks.flatMap((track) => track.steps.map((step) => step.id)))
    const template = tenants.find(({ config }) => STATES.every((state) => steps(config).has(state)))
    if (!template) throw new Error(`no tenant file has the scale data's states (${STATES.join(', ')})`)
    const source = YAML.parse(await (await import('node:fs/promises')).readFile(template.file, 'utf8'))
    source.slug = slug
    source.identity.name = { ja: city!.name_ja, en: city!.name_en }
    source.identity.alsoKnownAs = []
    // The seeded prefix (S0001) has digits, which tenant files do not allow; new proposals get BENCH-…
    source.identity.referenceCodePrefix = BENCH_PREFIX
    source.departments = departments.map((d) => ({ id: d.key, name: { ja: d.name_ja, en: d.name_en } }))
    // The file's own departments are gone, and with them what it said of each (provenance, issue 18).
    if (Array.isArray(source.platformDefaults))
      source.platformDefaults = source.platformDefaults.filter(
        (entry: string) => !entry.startsWith('departments['),
      )
    const dir = await mkdtemp(path.join(os.tmpdir(), 'desk-bench-tenants-'))
    const file = path.join(dir, `${slug}.yaml`)
    await writeFile(file, YAML.stringify(source))
    const parsed = parseTenantSource(YAML.stringify(source), file)
    if (!parsed.ok)
      throw new Error(
        `the bench's tenant file does not validate: ${JSON.stringify(parsed.problems).slice(0, 500)}`,
      )
    return { dir, file }
  } finally {
    await sql.end()
  }
}

/** The production server on the scale database; `PORT` (+ `offset` for more than one at a time) if free. */
async function startBenchApp(database: ScaleDatabase, tenantsDir: string, offset = 0): Promise<AppProcess> {
  return startApp({
    port: await freePort((Number(process.env.PORT) || 3204) + offset),
    nodeArgs: args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : [],
    env: {
      DATABASE_URL: database.adminUrl,
      DATA_DIR,
      TENANTS_DIR: tenantsDir,
      SEED_DEMO: 'false',
      DATABASE_POOL_SIZE: String(POOL),
      WEB_CONCURRENCY: String(PROCESSES),
      LOG_LEVEL: 'error',
    },
  })
}

async function startBaseline(
  config: Record<string, unknown>,
): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = await freePort(Number(process.env.BENCH_BASELINE_PORT) || 3209)
  const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/bench/baseline.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_BASELINE: JSON.stringify({ ...config, port, processes: PROCESSES }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`baseline exited ${code}`)))
  })
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGTERM') }
}

const benchProposalCount = async (sql: postgres.Sql, tenantId: string) =>
  (
    await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM proposals
      WHERE tenant_id = ${tenantId} AND reference_code LIKE ${BENCH_PREFIX + '-%'}`
  )[0]!.n

/**
 * Removes the proposals the submission benchmark made (reference BENCH-…), with
 * their rows in every table that names a proposal, their notifications and mails,
 * so the scale data set stays as seeded (the scaling runs compare the same city).
 */
async function removeBenchProposals(sql: postgres.Sql, tenantId: string): Promise<number> {
  const childrenFirst = await tenantTablesChildrenFirst(sql)
  return sql.begin(async (tx) => {
    const ids = (
      await tx<{ id: string }[]>`SELECT id FROM proposals
        WHERE tenant_id = ${tenantId} AND reference_code LIKE ${BENCH_PREFIX + '-%'}`
    ).map((row) => row.id)
    if (ids.length === 0) return 0
    const referencing = await tx<{ table: string }[]>`
      SELECT DISTINCT c.table_name AS table FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = 'public' AND c.column_name = 'proposal_id' AND t.table_type = 'BASE TABLE'`
    const names = new Set(referencing.map((row) => row.table))
    for (const table of childrenFirst)
      if (names.has(table))
        await tx.unsafe(`DELETE FROM "${table}" WHERE tenant_id = $1 AND proposal_id = ANY($2::uuid[])`, [
          tenantId,
          ids,
        ])
    await tx`DELETE FROM notification_outbox WHERE tenant_id = ${tenantId} AND payload->>'proposalId' = ANY(${ids}::text[])`
    await tx`DELETE FROM audit_log WHERE tenant_id = ${tenantId} AND target_id = ANY(${ids}::text[])`
    await tx`DELETE FROM mail_outbox WHERE kind = 'proposal_notification' AND text_body LIKE ${'%' + BENCH_PREFIX + '-%'}`
    await tx`DELETE FROM proposals WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::uuid[])`
    return ids.length
  })
}

/** Waits until no benchmark proposal has been added for a second (the last requests of a run committed). */
async function settled(sql: postgres.Sql, tenantId: string) {
  let last = -1
  for (;;) {
    const now = await benchProposalCount(sql, tenantId)
    if (now === last) return
    last = now
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

const inboxRequests = (prefix: string) =>
  STATES.map((state) => ({ method: 'GET' as const, path: `${prefix}${state}` }))

/** Platform fields the cross-city lists are filtered by (tenants/platform/taxonomy.yaml; seed:scale gives each theme and case one or two). */
const PLATFORM_FIELDS = ['disaster_prevention', 'childcare', 'tourism', 'dx']
const fieldRequests = (prefix: string) =>
  PLATFORM_FIELDS.map((field) => ({ method: 'GET' as const, path: `${prefix}${field}` }))

/**
 * The cost of row-level security on the inbox: the inbox page's own statements (readDeskInbox: the
 * count, the 50 rows with their unread counts, the organisations' names), in the same transaction
 * (withTenant: BEGIN, app_set_context, the statements, COMMIT), as the runtime role (forced RLS, the
 * desk staff member's policies) against a role that bypasses RLS (the admin URL's superuser). Same
 * statements, same round trips, the runtime pool's plan cache on both: the difference is the policies.
 * 1. Under load: CONNECTIONS workers for DURATION s, interleaved in 3 rounds.
 * 2. The server's execution time alone: EXPLAIN ANALYZE of the page's rows and count statements,
 *    one at a time, interleaved, median.
 */
async function rlsCost(database: ScaleDatabase, f: Fixture) {
  console.error("RLS cost: the inbox page's statements as desk staff (RLS) vs a role that bypasses RLS")
  const check = postgres(database.adminUrl, { max: 1, onnotice: () => {} })
  const [role] = await check<{ bypasses: boolean }[]>`
    SELECT rolsuper OR rolbypassrls AS bypasses FROM pg_roles WHERE rolname = current_user`.finally(() =>
    check.end(),
  )
  if (!role?.bypasses) throw new Error("RLS cost: the admin URL's role must bypass RLS (superuser)")
  const config = parseTenantSource(
    readFileSync((await tenantsDirFor(database, f.slug)).file, 'utf8'),
    'bench tenant file',
  )
  if (!config.ok) throw new Error('tenant file')
  const tenant = { id: f.tenantId, config: config.tenant.config, configVersion: config.tenant.contentVersion }
  const actor = { kind: 'staff' as const, userId: f.staffUserId }
  const context = { tenantId: f.tenantId, userId: f.staffUserId, actor: 'staff' as const }
  const pools = {
    'no RLS (superuser)': createRuntimeDb(database.adminUrl, { max: CONNECTIONS }),
    'RLS (runtime role, desk staff)': createRuntimeDb(database.runtimeUrl, { max: CONNECTIONS }),
  }
  const inbox = (db: RuntimeDb, state: string) =>
    withTenant(db, context, (tx) => readDeskInbox(tx, { tenant, actor, filters: { state }, locale: 'ja' }))
  try {
    const timings = new Map<string, number[]>(Object.keys(pools).map((name) => [name, []]))
    const seconds = new Map<string, number>(Object.keys(pools).map((name) => [name, 0]))
    for (let round = 0; round < 3; round++)
      for (const [name, db] of Object.entries(pools)) {
        for (let w = 0; w < 50; w++) await inbox(db, STATES[w % 4]!) // warm-up
        const started = Date.now()
        const until = started + (DURATION * 1000) / 3
        let i = 0
        await Promise.all(
          Array.from({ length: CONNECTIONS }, async () => {
            while (Date.now() < until) {
              const begun = performance.now()
              await inbox(db, STATES[i++ % 4]!)
              timings.get(name)!.push(performance.now() - begun)
            }
          }),
        )
        seconds.set(name, seconds.get(name)! + (Date.now() - started) / 1000)
      }
    const [free, secured] = Object.keys(pools).map((name) => {
      const xs = timings.get(name)!
      const result: Result = {
        label: `SQL: the inbox transaction, ${name}`,
        rps: xs.length / seconds.get(name)!,
        ...latencyStats(asHistogram(xs)),
        ok: xs.length,
        failed: 0,
        load: os.loadavg()[0]!,
      }
      results.push(result)
      return result
    }) as [Result, Result]
    const line = `RLS cost on the inbox transaction under load (${CONNECTIONS} in flight): p50 ${(secured.p50 / free.p50).toFixed(2)}×, p95 ${(secured.p95 / free.p95).toFixed(2)}×, p99 ${(secured.p99 / free.p99).toFixed(2)}×, throughput ${(secured.rps / free.rps).toFixed(2)}×`
    ratios.push(line)
    console.error('  ' + line)

    // The policies alone: the server's planning and execution time of the page's statements, one at a time.
    // Planning counts: the runtime pool plans every statement afresh, and each policy's readers are inlined then.
    const serverTimes = (rows: unknown) => {
      const [plan] = (
        rows as { 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] }[]
      )[0]!['QUERY PLAN']
      return { planning: plan['Planning Time'], execution: plan['Execution Time'] }
    }
    const explained = (db: RuntimeDb, state: string) =>
      withTenant(db, context, async (tx) => {
        const statements = deskInboxStatements(tx, { tenant, actor, filters: { state }, locale: 'ja' })
        const [rows, counted] = [statements.rows.toSQL(), statements.count.toSQL()]
        const ms = async (query: { sql: string; params: unknown[] }) =>
          serverTimes(await tx.execute(sql.raw(`EXPLAIN (ANALYZE, FORMAT JSON) ${inline(query)}`)))
        return { rows: await ms(rows), count: await ms(counted) }
      })
    type Times = { planning: number[]; execution: number[] }
    const measured = new Map<string, { rows: Times; count: Times }>(
      Object.keys(pools).map((name) => [
        name,
        { rows: { planning: [], execution: [] }, count: { planning: [], execution: [] } },
      ]),
    )
    for (let i = 0; i < 440; i++)
      for (const [name, db] of Object.entries(pools)) {
        const times = await explained(db, STATES[i % 4]!)
        if (i < 40) continue // warm-up
        for (const statement of ['rows', 'count'] as const)
          for (const phase of ['planning', 'execution'] as const)
            measured.get(name)![statement][phase].push(times[statement][phase])
      }
    const median = (xs: number[]) => latencyStats(asHistogram(xs)).p50
    for (const statement of ['rows', 'count'] as const)
      for (const phase of ['execution', 'planning'] as const) {
        const [a, b] = Object.keys(pools).map((name) => median(measured.get(name)![statement][phase]))
        const serverLine = `RLS cost, the inbox's ${statement} statement's server ${phase} time (EXPLAIN ANALYZE, 400 each, one at a time, custom plans): no RLS median ${a} ms, RLS ${b} ms, ${(b! / a!).toFixed(2)}×`
        ratios.push(serverLine)
        console.error('  ' + serverLine)
      }
  } finally {
    for (const db of Object.values(pools)) await db.$client.end({ timeout: 5 })
  }
}

/** A drizzle statement with its parameters written in as literals (for EXPLAIN: a custom plan of these values). */
function inline(query: { sql: string; params: unknown[] }): string {
  const literal = (value: unknown): string =>
    value === null || value === undefined
      ? 'NULL'
      : value instanceof Date
        ? `'${value.toISOString()}'`
        : typeof value === 'number'
          ? String(value)
          : `'${String(value).replaceAll("'", "''")}'`
  return query.sql.replace(/\$(\d+)/g, (_, n: string) => literal(query.params[Number(n) - 1]))
}

/**
 * (f) The desk proposal page on the demo data: the app on its own database (args['demo-database'],
 * created when missing and seeded with the demo on the app's first start), signed in as the first
 * city's desk staff; one connection, so each figure is a single request's latency, rotating over
 * every proposal the desk sees. With `--desk-builds A,B` one server per checkout (each serving its own
 * build/) on the same database, measured alternately in `--rounds` rounds, so that the machine's load
 * hits each alike: an A/B of a change by its CPU time per request.
 */
async function deskPageOnDemoData() {
  console.error('(f) desk proposal page on the demo data, one request at a time')
  const database = await openScaleDatabase(env, args['demo-database']!)
  const checkouts = args['desk-builds']?.split(',') ?? [process.cwd()]
  const rounds = Number(args.rounds)
  const servers: { checkout: string; app: AppProcess; options: LoadOptions }[] = []
  try {
    const slug = args['demo-city'] ?? (await loadTenantDirectory('tenants')).tenants[0]!.config.slug
    for (const [index, checkout] of checkouts.entries()) {
      const profileDir =
        args['cpu-prof'] && checkouts.length > 1
          ? path.join(args['cpu-prof'], String(index))
          : args['cpu-prof']
      // One after the other: the first seeds the demo data.
      const app = await startApp({
        // The first on PORT, a second (--desk-builds) on BENCH_BASELINE_PORT: the desk page has no baseline server.
        port: await freePort(
          index === 0
            ? Number(process.env.PORT) || 3204
            : (Number(process.env.BENCH_BASELINE_PORT) || 3205) + index - 1,
        ),
        cwd: checkout,
        nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
        env: {
          DATABASE_URL: database.adminUrl,
          DATA_DIR,
          SEED_DEMO: 'true',
          DATABASE_POOL_SIZE: String(POOL),
          LOG_LEVEL: 'error',
        },
      })
      servers.push({ checkout, app, options: { url: app.url, requests: [] } })
    }
    const sql = postgres(database.adminUrl, { max: 1, onnotice: () => {} })
    const ids = await sql<{ id: string }[]>`
      SELECT p.id FROM proposals p JOIN tenants t ON t.id = p.tenant_id
       WHERE t.slug = ${slug} AND (p.submitted_at IS NOT NULL OR p.shared_with_city_at IS NOT NULL)
       ORDER BY p.submitted_at NULLS LAST, p.id`.finally(() => sql.end())
    if (ids.length === 0) throw new Error(`${database.name}: no demo proposals of ${slug}`)
    for (const server of servers) {
      const cookie = await signIn(server.app.url, `desk-staff@${slug}.example.jp`, DEMO_PASSWORD)
      server.options = {
        url: server.app.url,
        headers: { cookie, accept: 'text/html' },
        requests: ids.map(({ id }) => ({ method: 'GET' as const, path: `/${slug}/desk/proposals/${id}` })),
        connections: 1,
        threads: 1,
      }
      await load({ ...server.options, duration: WARM_UP })
    }
    const runs = servers.map(() => [] as Load[])
    for (let round = 0; round < rounds; round++)
      for (const [index, server] of servers.entries()) {
        const part = await load(
          { ...server.options, duration: DURATION / rounds },
          { pid: server.app.pid, adminUrl: database.adminUrl },
        )
        runs[index]!.push(part)
        if (servers.length > 1) console.error(`  round ${round + 1}, ${server.checkout}: ${cpuSummary(part)}`)
      }
    for (const [index, server] of servers.entries()) {
      const name = servers.length > 1 ? ` [${server.checkout}]` : ''
      const result = report(
        `(f) app${name}: /${slug}/desk/proposals/:id (${ids.length} proposals, demo data)`,
        mergedLoad(runs[index]!),
      )
      const line = `(f)${name} desk proposal page p50 ${result.p50} ms, p95 ${result.p95} ms (single requests, demo data; target p50 ≤ 20 ms)`
      ratios.push(line)
      console.error('  ' + line)
    }
  } finally {
    for (const server of servers) await server.app.stop()
    await database.stop()
  }
}

/** One run's CPU time per answered request, server and PostgreSQL, for a line of progress. */
function cpuSummary(run: Load): string {
  const answered = Object.values(run.statuses).reduce((a, b) => a + b, 0)
  const perRequest = (seconds: number | undefined) => (((seconds ?? NaN) * 1000) / answered).toFixed(2)
  return `${answered} answers, server CPU ${perRequest(run.cpuSeconds)} ms/request, PostgreSQL CPU ${perRequest(run.dbCpuSeconds)} ms/request, load ${os.loadavg()[0]!.toFixed(1)}`
}

/** The runs of one server in an interleaved measurement, as one. */
function mergedLoad(parts: Load[]): Load {
  const merged: Load = {
    seconds: parts.reduce((sum, part) => sum + part.seconds, 0),
    histogram: parts.flatMap((part) => part.histogram),
    locations: [],
    statuses: {},
    errors: parts.reduce((sum, part) => sum + part.errors, 0),
    cpuSeconds: parts.reduce((sum, part) => sum + (part.cpuSeconds ?? 0), 0),
    dbCpuSeconds: parts.reduce((sum, part) => sum + (part.dbCpuSeconds ?? 0), 0),
    peakMb: Math.max(...parts.map((part) => part.peakMb ?? 0)),
  }
  for (const part of parts)
    for (const [status, count] of Object.entries(part.statuses))
      merged.statuses[status] = (merged.statuses[status] ?? 0) + count
  return merged
}

async function main() {
  if (!args['skip-build']) {
    const build = spawnSync('pnpm', ['build'], { stdio: 'inherit' })
    if (build.status !== 0) process.exit(build.status ?? 1)
  }
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model}, load ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`
  if (!SCALE_STEPS.some((step) => only.has(step))) {
    console.error(`bench: ${DURATION} s per run; ${machine}`)
    if (only.has('desk')) await deskPageOnDemoData()
    return printResults(machine, 0)
  }
  const database = await openScaleDatabase(env, args['database-name']!, { create: false })
  console.error(
    `bench: ${database.name}, ${CONNECTIONS} connections, ${DURATION} s per run, app pool ${POOL}, ${PROCESSES} process(es) per server; ${machine}`,
  )
  let rssPeak = 0
  try {
    const f = await fixture(database)
    const tenants = await tenantsDirFor(database, f.slug)
    const app = await startBenchApp(database, tenants.dir)
    try {
      const staffCookie = await signIn(app.url, f.staffEmail, SCALE_PASSWORD)
      const proposerCookie = await signIn(app.url, f.proposerEmail, SCALE_PASSWORD)
      const homeHtml = await (await fetch(`${app.url}/${f.slug}`)).text()
      const homeFile = path.join(path.dirname(tenants.file), 'home.html')
      await writeFile(homeFile, homeHtml)
      const config = parseTenantSource(
        await (await import('node:fs/promises')).readFile(tenants.file, 'utf8'),
        tenants.file,
      )
      if (!config.ok) throw new Error('tenant file')
      const submission = proposalSubmission(config.tenant.config, f.organisationId)
      const sample = submission.body()
      const { cityFormView, answersFromForm } = await import('../../app/http/city-form')
      const view = cityFormView(config.tenant.config, 'ja', undefined, [])
      const formData = await new Response(sample.body, {
        headers: { 'Content-Type': sample.contentType },
      }).formData()
      const answers = answersFromForm(
        view.forms[view.formOfType[submission.typeId]!] ?? [],
        formData,
        () => [],
      )
      // The cross-city lists as the app serves them, for the baseline to serve from memory.
      const pageFiles: Record<string, string> = {}
      for (const list of ['themes', 'cases'])
        for (const field of PLATFORM_FIELDS) {
          const file = path.join(path.dirname(tenants.file), `${list}-${field}.html`)
          const response = await fetch(`${app.url}/${list}?field=${field}`, {
            headers: { accept: 'text/html' },
          })
          await writeFile(file, await response.text())
          pageFiles[`${list}-${field}`] = file
        }
      const baseline = await startBaseline({
        runtimeUrl: database.runtimeUrl,
        poolSize: POOL,
        homeHtmlFile: homeFile,
        pageFiles,
        tenantFile: tenants.file,
        tenantId: f.tenantId,
        staffUserId: f.staffUserId,
        proposerUserId: f.proposerUserId,
        organisationId: f.organisationId,
        answers,
        proposalTypeId: submission.typeId,
        trackId: String(formData.get(`${f.slug}.trackId`) ?? '') || undefined,
      })
      try {
        const measure = async (label: string, options: LoadOptions, okStatus = 200) => {
          const run = await load(options, { pid: app.pid, adminUrl: database.adminUrl })
          rssPeak = Math.max(rssPeak, run.peakMb ?? 0)
          return report(label, run, okStatus)
        }
        /** A short run first so that neither side is measured cold (JIT, caches, pool). */
        const warm = (options: LoadOptions) => load({ ...options, duration: WARM_UP })
        if (only.has('home')) {
          console.error('(a) public home page')
          // As a browser asks for a page (the render cache serves HTML documents to anonymous visitors).
          const headers = { accept: 'text/html' }
          const baseOptions = {
            url: baseline.url,
            requests: [{ method: 'GET' as const, path: '/home' }],
            headers,
          }
          const appOptions = {
            url: app.url,
            requests: [{ method: 'GET' as const, path: `/${f.slug}` }],
            headers,
          }
          await warm(baseOptions)
          const base = report(
            '(a) baseline: same HTML from memory',
            await load(baseOptions, { pid: baseline.pid, adminUrl: database.adminUrl }),
          )
          await warm(appOptions)
          const served = await measure(`(a) app: /${f.slug}`, appOptions)
          ratio('(a) home', served, base)
        }
        /** The signed-in document's run (`/account`), for the inbox's bound. */
        let floorDocument: Result | undefined
        if (only.has('floor')) {
          console.error('(g) the floor of a page, signed in: /healthz (no work of its own) and /account (one small read)')
          for (const pathname of ['/healthz', '/account']) {
            const options = {
              url: app.url,
              headers: { cookie: staffCookie, accept: 'text/html' },
              requests: [{ method: 'GET' as const, path: pathname }],
            }
            await warm(options)
            const run = await measure(`(g) app: ${pathname}`, options)
            if (pathname === '/account') floorDocument = run
          }
        }
        /**
         * The inbox's ratio cannot pass what the CPU allows: the page pays at least a signed-in document's floor on
         * top of the baseline's own work, and the app, PostgreSQL and the load generator share the machine's cores.
         */
        const floorOfInbox = (base: Result, served: Result) => {
          const documentCpu =
            floorDocument?.cpuMsPerRequest !== undefined
              ? floorDocument.cpuMsPerRequest + (floorDocument.dbCpuMsPerRequest ?? 0)
              : undefined
          const baseCpu = (base.cpuMsPerRequest ?? 0) + (base.dbCpuMsPerRequest ?? 0)
          const servedCpu = (served.cpuMsPerRequest ?? 0) + (served.dbCpuMsPerRequest ?? 0)
          if (documentCpu === undefined || baseCpu === 0 || servedCpu === 0) return
          const line =
            `(g) inbox CPU per request (server + PostgreSQL): baseline ${baseCpu.toFixed(2)} ms, page ${servedCpu.toFixed(2)} ms ` +
            `(${(baseCpu / servedCpu).toFixed(2)}×); a signed-in document with one small read ${documentCpu.toFixed(2)} ms, ` +
            `so the baseline's work plus that floor puts the ratio's bound near ${(baseCpu / (baseCpu + documentCpu)).toFixed(2)}×`
          ratios.push(line)
          console.error('  ' + line)
        }
        if (only.has('inbox')) {
          console.error('(b) desk inbox, 50 rows, filtered by state (rotating over 4 states)')
          const baseOptions = {
            url: baseline.url,
            headers: { accept: 'text/html' },
            requests: inboxRequests('/inbox?state='),
          }
          const appOptions = {
            url: app.url,
            headers: { cookie: staffCookie, accept: 'text/html' },
            requests: inboxRequests(`/${f.slug}/desk?state=`),
          }
          await warm(baseOptions)
          const base = report(
            '(b) baseline: listDeskInbox',
            await load(baseOptions, { pid: baseline.pid, adminUrl: database.adminUrl }),
          )
          await warm(appOptions)
          const served = await measure(`(b) app: /${f.slug}/desk?state=…`, appOptions)
          ratio('(b) inbox', served, base)
          if (only.has('floor')) floorOfInbox(base, served)
        }
        for (const list of ['themes', 'cases'] as const) {
          if (!only.has(list)) continue
          const step = list === 'themes' ? '(d)' : '(e)'
          console.error(`${step} /${list} across cities, filtered by platform field (rotating over 4)`)
          const bytesOptions = {
            url: baseline.url,
            requests: PLATFORM_FIELDS.map((field) => ({
              method: 'GET' as const,
              path: `/page/${list}-${field}`,
            })),
          }
          const queryOptions = {
            url: baseline.url,
            headers: { accept: 'text/html' },
            requests: fieldRequests(`/${list}?field=`),
          }
          const appOptions = {
            url: app.url,
            headers: { accept: 'text/html' },
            requests: fieldRequests(`/${list}?field=`),
          }
          const missOptions = { ...appOptions, uniqueParameter: 'bench' }
          await warm(bytesOptions)
          const bytes = report(
            `${step} baseline: the same HTML from memory`,
            await load(bytesOptions, { pid: baseline.pid, adminUrl: database.adminUrl }),
          )
          await warm(appOptions)
          const served = await measure(`${step} app: /${list}?field=…`, appOptions)
          ratio(`${step} /${list}`, served, bytes)
          await warm(queryOptions)
          const query = report(
            `${step} baseline: the read operation, no cache`,
            await load(queryOptions, { pid: baseline.pid, adminUrl: database.adminUrl }),
          )
          await warm(missOptions)
          const missed = await measure(`${step} app: /${list}?field=…&bench=(new each time)`, missOptions)
          ratio(`${step} /${list}, every request a miss (query and render)`, missed, query)
        }
        if (only.has('submit')) {
          console.error(
            '(c) proposal submission (each request a new proposal; acknowledged = 302 with its reference)',
          )
          const sql = postgres(database.adminUrl, { max: 1, onnotice: () => {} })
          try {
            // Both sides get the same multipart body (a fresh idempotency key each) and answer
            // 302 /proposals?submitted=REF; an acknowledged submission must be a row in the database.
            // wrk builds each body from this template with a unique key (idempotency key and title).
            const template = submission.body({ idempotencyKey: '@@KEY@@', title: '負荷試験の提案 @@KEY@@' })
            const submit = (url: string, requestPath: string, headers: Record<string, string>) => {
              const acknowledged: string[] = []
              const options: LoadOptions = {
                url,
                requests: [{ method: 'POST', path: requestPath }],
                headers: { ...headers, 'content-type': template.contentType },
                bodyTemplate: Buffer.from(template.body).toString('utf8'),
                recordStatuses: true,
              }
              return { options, acknowledged }
            }
            /**
             * One submission before the load: a side that refuses it (a 422 when the harness's form
             * and the build disagree, e.g. a stale build) would otherwise acknowledge nothing and
             * pass the check with nothing to check. Stops the bench with the refusal's status and text.
             */
            const preflight = async (label: string, options: LoadOptions) => {
              const body = options.bodyTemplate!.replaceAll('@@KEY@@', `preflight-${Date.now()}`)
              const response = await fetch(`${options.url}${options.requests[0]!.path}`, {
                method: 'POST',
                headers: options.headers,
                body,
                redirect: 'manual',
              })
              if (response.status === 302) return
              const text = (await response.text()).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
              throw new Error(
                `${label}: a single submission was answered ${response.status}, not 302: ${text.slice(0, 400)}`,
              )
            }
            const acknowledgedBy = (run: Load, url: string) =>
              run.locations
                .map((location) => new URL(location, url).searchParams.get('submitted'))
                .filter((reference): reference is string => Boolean(reference))
            const verify = async (label: string, acknowledged: string[], before: number) => {
              await settled(sql, f.tenantId) // requests still in flight when the run ended finish
              const [row] = await sql<{ present: number; created: number }[]>`
                SELECT (SELECT count(*)::int FROM proposals WHERE tenant_id = ${f.tenantId}
                          AND reference_code = ANY(${acknowledged}::text[]) AND submitted_at IS NOT NULL) AS present,
                       (SELECT count(*)::int FROM proposals WHERE tenant_id = ${f.tenantId}
                          AND reference_code LIKE ${BENCH_PREFIX + '-%'}) - ${before}::int AS created`
              const distinct = new Set(acknowledged).size
              const line = `${label}: ${acknowledged.length} acknowledged (${distinct} distinct references), ${row!.present} of them in the database; ${row!.created} new proposals in the database (${row!.created - row!.present} finished after the run ended)`
              ratios.push(line)
              console.error('  ' + line)
              if (acknowledged.length === 0)
                throw new Error(`${label}: nothing acknowledged within the run: nothing to check`)
              if (row!.present !== acknowledged.length || distinct !== acknowledged.length)
                throw new Error(`${label}: an acknowledged submission is missing from the database`)
              return row!.created
            }
            console.error(
              `  removed ${await removeBenchProposals(sql, f.tenantId)} proposals of earlier runs`,
            )
            const baseRun = submit(baseline.url, '/submit', {})
            await preflight('(c) baseline', baseRun.options)
            await warm(baseRun.options)
            await settled(sql, f.tenantId)
            let before = await benchProposalCount(sql, f.tenantId)
            baseRun.acknowledged.length = 0
            const baseLoad = await load(baseRun.options, { pid: baseline.pid, adminUrl: database.adminUrl })
            baseRun.acknowledged.push(...acknowledgedBy(baseLoad, baseline.url))
            const base = report('(c) baseline: submitProposal', baseLoad, 302)
            await verify('(c) baseline rows', baseRun.acknowledged, before)
            const appRun = submit(app.url, submission.path, { cookie: proposerCookie, origin: app.url })
            await preflight('(c) app', appRun.options)
            await warm(appRun.options)
            await settled(sql, f.tenantId)
            before = await benchProposalCount(sql, f.tenantId)
            appRun.acknowledged.length = 0
            const appLoad = await load(appRun.options, { pid: app.pid, adminUrl: database.adminUrl })
            rssPeak = Math.max(rssPeak, appLoad.peakMb ?? 0)
            appRun.acknowledged.push(...acknowledgedBy(appLoad, app.url))
            const served = report('(c) app: POST /proposals/new', appLoad, 302)
            await verify('(c) app rows', appRun.acknowledged, before)
            ratio('(c) submission', served, base)
            await settled(sql, f.tenantId)
            console.error(
              `  removed the ${await removeBenchProposals(sql, f.tenantId)} proposals of this run`,
            )
          } finally {
            await sql.end()
          }
        }
      } finally {
        baseline.stop()
      }
    } finally {
      await app.stop()
    }

    if (only.has('desk')) await deskPageOnDemoData()

    if (only.has('rls')) await rlsCost(database, await fixture(database))
  } finally {
    await database.stop()
  }

  if (only.has('scaling')) {
    console.error(
      'scaling: the inbox page on each database (the city has the same 10,000 proposals), ' +
        "one server per database, interleaved in 3 rounds so that the machine's load hits each alike",
    )
    const servers: {
      name: string
      proposals: number
      database: ScaleDatabase
      app: AppProcess
      options: LoadOptions
    }[] = []
    try {
      for (const name of args.scaling!.split(',')) {
        const database = await openScaleDatabase(env, name, { create: false })
        const f = await fixture(database)
        const sql = postgres(database.adminUrl, { max: 1, onnotice: () => {} })
        const rows = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM proposals`.finally(() =>
          sql.end(),
        )
        const tenants = await tenantsDirFor(database, f.slug)
        const app = await startBenchApp(database, tenants.dir, servers.length)
        const server = {
          name,
          proposals: rows[0]!.n,
          database,
          app,
          options: { url: app.url, requests: [] } as LoadOptions,
        }
        servers.push(server)
        const cookie = await signIn(app.url, f.staffEmail, SCALE_PASSWORD)
        server.options = {
          url: app.url,
          headers: { cookie, accept: 'text/html' },
          requests: inboxRequests(`/${f.slug}/desk?state=`),
        }
      }
      for (const server of servers) await load({ ...server.options, duration: WARM_UP })
      const runs = new Map<string, Load[]>(servers.map((server) => [server.name, []]))
      for (let round = 0; round < 3; round++)
        for (const server of servers)
          runs
            .get(server.name)!
            .push(
              await load(
                { ...server.options, duration: DURATION / 3 },
                { pid: server.app.pid, adminUrl: server.database.adminUrl },
              ),
            )
      const scaling = servers.map((server) => {
        const merged = mergedLoad(runs.get(server.name)!)
        rssPeak = Math.max(rssPeak, merged.peakMb ?? 0)
        return report(
          `inbox page, ${server.name} (${server.proposals.toLocaleString('en')} proposals)`,
          merged,
        )
      })
      const first = scaling[0]!
      for (const r of scaling.slice(1)) {
        const line = `scaling ${r.label} ÷ ${first.label}: p50 ${(r.p50 / first.p50).toFixed(2)}×, p95 ${(r.p95 / first.p95).toFixed(2)}×, p99 ${(r.p99 / first.p99).toFixed(2)}×, throughput ${(r.rps / first.rps).toFixed(2)}×`
        ratios.push(line)
        console.error('  ' + line)
      }
    } finally {
      for (const server of servers) {
        await server.app.stop()
        await server.database.stop()
      }
    }
  }

  printResults(machine, rssPeak)
}

function printResults(machine: string, rssPeak: number) {
  console.log(
    `\n| run | req/s | p50 ms | p95 ms | p99 ms | ok | failed | server CPU ms/req | PostgreSQL CPU ms/req | load (1 min) |\n| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |`,
  )
  for (const r of results)
    console.log(
      `| ${r.label} | ${r.rps.toFixed(1)} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.ok} | ${r.failed} | ${r.cpuMsPerRequest?.toFixed(2) ?? ''} | ${r.dbCpuMsPerRequest?.toFixed(2) ?? ''} | ${r.load.toFixed(1)} |`,
    )
  console.log('')
  for (const line of ratios) console.log(`- ${line}`)
  if (rssPeak > 0) console.log(`- server RSS, peak under load: ${rssPeak.toFixed(0)} MB`)
  console.log(
    `- machine: ${machine} (at the end: load ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')})`,
  )
}

await main()
