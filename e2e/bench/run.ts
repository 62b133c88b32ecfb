/**
 * `pnpm bench` (issue 11): HTTP benchmarks of the production build on the
 * scale data set (`pnpm seed:scale`), each against a bare `node:http`
 * baseline (./baseline.ts) in the same run, with autocannon:
 *   (a) the city's public home page — baseline: the same HTML from memory;
 *   (b) the desk inbox of scale-0001 (filtered by state) — baseline: the same queries;
 *   (c) proposal submission — baseline: the same submitProposal;
 * then the cost of row-level security (the inbox query through withTenant
 * against the same query as the owner with the explicit filter), scaling
 * (inbox latency on the 10k/100k/1M databases), and the server's peak RSS.
 *
 *   pnpm bench [--database-name desk_scale_1m] [--scaling desk_scale_10k,desk_scale_100k,desk_scale_1m]
 *              [--duration 10] [--connections 32] [--pool 10] [--skip-build] [--only home,inbox,submit,rls,scaling]
 * Database: DATABASE_URL's server, or the embedded cluster under DATA_DIR / EMBEDDED_PG_PORT (as seed:scale).
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { and, desc, eq } from 'drizzle-orm'
import postgres from 'postgres'
import YAML from 'yaml'
import { loadTenantDirectory, parseTenantSource } from '@desk/tenant-config'
import { parseEnv } from '../../app/utils/env.server'
import { createOwnerDb } from '../../db/owner'
import { createRuntimeDb } from '../../db/runtime'
import { proposals } from '../../db/schema'
import { openScaleDatabase, type ScaleDatabase } from '../../db/scale/database'
import { withTenant } from '../../db/tenant-context'
import { freePort, rssMbOf, signIn, startApp, type AppProcess } from '../harness/app-process'
import { proposalSubmission } from '../harness/proposal-form'

const { values: args } = parseArgs({
  options: {
    'database-name': { type: 'string', default: 'desk_scale_1m' },
    scaling: { type: 'string', default: 'desk_scale_10k,desk_scale_100k,desk_scale_1m' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    pool: { type: 'string', default: '10' },
    'skip-build': { type: 'boolean', default: false },
    only: { type: 'string', default: 'home,inbox,submit,rls,scaling' },
  },
})
const DURATION = Number(args.duration)
const CONNECTIONS = Number(args.connections)
const POOL = Number(args.pool)
const only = new Set(args.only!.split(','))
const STATES = ['intake', 'dialogue', 'feasibility', 'method_chosen']
const SCALE_PASSWORD = 'scale-pass-2026'
const env = parseEnv()

type Result = {
  label: string
  rps: number
  p50: number
  p95: number
  p99: number
  errors: number
  non2xx: number
}
const results: Result[] = []
const ratios: string[] = []

function report(label: string, r: autocannon.Result): Result {
  const result = {
    label,
    rps: r.requests.average,
    p50: r.latency.p50,
    p95:
      (r.latency as unknown as Record<string, number>).p97_5 !== undefined
        ? percentile(r, 95)
        : percentile(r, 95),
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  }
  results.push(result)
  console.error(
    `  ${label}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms, errors ${result.errors}, non-2xx ${result.non2xx}`,
  )
  return result
}

/** autocannon reports p90 and p97.5, not p95: interpolate between them. */
function percentile(r: autocannon.Result, p: 95): number {
  const latency = r.latency as unknown as Record<string, number>
  const p90 = latency.p90 ?? r.latency.p50
  const p975 = latency.p97_5 ?? r.latency.p99
  return Math.round((p90 + ((p975 - p90) * (p - 90)) / 7.5) * 100) / 100
}

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    )
  })
}

function ratio(label: string, app: Result, base: Result) {
  const line = `${label}: throughput ${(app.rps / base.rps).toFixed(2)}× of the baseline; latency p50 ${(app.p50 / base.p50).toFixed(2)}×, p95 ${(app.p95 / base.p95).toFixed(2)}×, p99 ${(app.p99 / base.p99).toFixed(2)}×`
  ratios.push(line)
  console.error('  ' + line)
}

async function withRss<T>(pid: number, run: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = rssMbOf(pid)
  const timer = setInterval(() => (peak = Math.max(peak, rssMbOf(pid))), 200)
  try {
    return { value: await run(), peakMb: peak }
  } finally {
    clearInterval(timer)
  }
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
 * file. This writes one for scale-0001 into a temporary TENANTS_DIR: the first
 * tenant file of tenants/ with the synthetic city's slug, names, reference
 * prefix and departments (as seeded).
 */
async function tenantsDirFor(database: ScaleDatabase, slug: string): Promise<{ dir: string; file: string }> {
  const sql = postgres(database.adminUrl, { max: 1, onnotice: () => {} })
  try {
    const [city] = await sql<{ name_ja: string; name_en: string; id: string }[]>`
      SELECT id, name_ja, name_en FROM tenants WHERE slug = ${slug}`
    const departments = await sql<{ key: string; name_ja: string; name_en: string }[]>`
      SELECT key, name_ja, name_en FROM departments WHERE tenant_id = ${city!.id} ORDER BY key`
    const { tenants } = await loadTenantDirectory('tenants')
    const source = YAML.parse(await (await import('node:fs/promises')).readFile(tenants[0]!.file, 'utf8'))
    source.slug = slug
    source.identity.name = { ja: city!.name_ja, en: city!.name_en }
    source.identity.alsoKnownAs = []
    // The seeded prefix (S0001) has digits, which tenant files do not allow; new proposals get BENCH-…
    source.identity.referenceCodePrefix = 'BENCH'
    source.departments = departments.map((d) => ({ id: d.key, name: { ja: d.name_ja, en: d.name_en } }))
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

async function startBenchApp(database: ScaleDatabase, tenantsDir: string): Promise<AppProcess> {
  return startApp({
    port: await freePort(Number(process.env.PORT) || 3204),
    env: {
      DATABASE_URL: database.adminUrl,
      DATA_DIR: env.DATA_DIR,
      TENANTS_DIR: tenantsDir,
      SEED_DEMO: 'false',
      DATABASE_POOL_SIZE: String(POOL),
      LOG_LEVEL: 'error',
    },
  })
}

async function startBaseline(
  config: Record<string, unknown>,
): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = await freePort(3209)
  const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/bench/baseline.ts'], {
    env: { ...process.env, NODE_ENV: 'production', BENCH_BASELINE: JSON.stringify({ ...config, port }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`baseline exited ${code}`)))
  })
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGTERM') }
}

const inboxRequests = (prefix: string) =>
  STATES.map((state) => ({ method: 'GET' as const, path: `${prefix}${state}` }))

async function main() {
  if (!args['skip-build']) {
    const build = spawnSync('pnpm', ['build'], { stdio: 'inherit' })
    if (build.status !== 0) process.exit(build.status ?? 1)
  }
  const database = await openScaleDatabase(env, args['database-name']!, { create: false })
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model}, load ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`
  console.error(
    `bench: ${database.name}, ${CONNECTIONS} connections, ${DURATION} s per run, app pool ${POOL}; ${machine}`,
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
      const { cityFormView, answersFromForm } = await import('../../app/components/proposal/city-form')
      const view = cityFormView(config.tenant.config, 'ja', undefined, [])
      const formData = await new Response(sample.body, {
        headers: { 'Content-Type': sample.contentType },
      }).formData()
      const answers = answersFromForm(
        view.forms[view.formOfType[submission.typeId]!] ?? [],
        formData,
        () => [],
      )
      const baseline = await startBaseline({
        runtimeUrl: database.runtimeUrl,
        poolSize: POOL,
        homeHtmlFile: homeFile,
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
        const measure = async (label: string, options: autocannon.Options) => {
          const { value, peakMb } = await withRss(app.pid, () => load(options))
          rssPeak = Math.max(rssPeak, peakMb)
          return report(label, value)
        }
        if (only.has('home')) {
          console.error('(a) public home page')
          const base = report('baseline: same HTML from memory', await load({ url: `${baseline.url}/home` }))
          const served = await measure(`app: /${f.slug}`, { url: `${app.url}/${f.slug}` })
          ratio('(a) home', served, base)
        }
        if (only.has('inbox')) {
          console.error('(b) desk inbox (filtered by state, rotating over 4 states)')
          const base = report(
            'baseline: listDeskInbox',
            await load({ url: baseline.url, requests: inboxRequests('/inbox?state=') }),
          )
          const served = await measure(`app: /${f.slug}/desk?state=…`, {
            url: app.url,
            headers: { cookie: staffCookie },
            requests: inboxRequests(`/${f.slug}/desk?state=`),
          })
          ratio('(b) inbox', served, base)
        }
        if (only.has('submit')) {
          console.error('(c) proposal submission')
          const base = report(
            'baseline: submitProposal',
            await load({ url: `${baseline.url}/submit`, method: 'POST', body: 'x' }),
          )
          const served = await measure('app: POST /proposals/new', {
            url: app.url,
            requests: [
              {
                method: 'POST',
                path: submission.path,
                setupRequest: (request) => {
                  const next = submission.body()
                  return {
                    ...request,
                    body: Buffer.from(next.body),
                    headers: {
                      ...request.headers,
                      'content-type': next.contentType,
                      cookie: proposerCookie,
                      origin: app.url,
                    },
                  }
                },
              },
            ],
          })
          ratio('(c) submission', served, base)
        }
      } finally {
        baseline.stop()
      }
    } finally {
      await app.stop()
    }

    if (only.has('rls')) {
      console.error(
        'RLS cost: the inbox query (50 rows) through withTenant vs the owner with the explicit filter',
      )
      const runtime = createRuntimeDb(database.runtimeUrl, { max: CONNECTIONS })
      const owner = createOwnerDb(database.adminUrl, { max: CONNECTIONS })
      const query = (db: typeof owner | Parameters<Parameters<typeof withTenant>[2]>[0], state: string) =>
        db
          .select({ id: proposals.id, title: proposals.title, submittedAt: proposals.submittedAt })
          .from(proposals)
          .where(and(eq(proposals.tenantId, f.tenantId), eq(proposals.state, state)))
          .orderBy(desc(proposals.submittedAt))
          .limit(50)
      const context = { tenantId: f.tenantId, userId: f.staffUserId, actor: 'staff' as const }
      const variants = {
        owner: (state: string) => query(owner, state),
        withTenant: (state: string) => withTenant(runtime, context, (tx) => query(tx, state)),
      }
      const timings: Record<string, number[]> = { owner: [], withTenant: [] }
      for (let round = 0; round < 3; round++)
        for (const [name, run] of Object.entries(variants)) {
          const until = Date.now() + (DURATION * 1000) / 3
          let i = 0
          for (let w = 0; w < 50; w++) await run(STATES[w % 4]!) // warm-up
          await Promise.all(
            Array.from({ length: CONNECTIONS }, async () => {
              while (Date.now() < until) {
                const started = performance.now()
                await run(STATES[i++ % 4]!)
                timings[name]!.push(performance.now() - started)
              }
            }),
          )
        }
      await runtime.$client.end({ timeout: 5 })
      await owner.$client.end({ timeout: 5 })
      const stats = (xs: number[]) => {
        const s = [...xs].sort((a, b) => a - b)
        const at = (p: number) =>
          Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 100) / 100
        return { rps: xs.length / DURATION, p50: at(50), p95: at(95), p99: at(99) }
      }
      const o = { label: 'SQL: owner, explicit tenant_id', errors: 0, non2xx: 0, ...stats(timings.owner!) }
      const t = {
        label: 'SQL: withTenant (desk staff, RLS)',
        errors: 0,
        non2xx: 0,
        ...stats(timings.withTenant!),
      }
      results.push(o, t)
      const line = `RLS cost: withTenant ÷ owner p50 ${(t.p50 / o.p50).toFixed(2)}×, p95 ${(t.p95 / o.p95).toFixed(2)}×, p99 ${(t.p99 / o.p99).toFixed(2)}×, throughput ${(t.rps / o.rps).toFixed(2)}×`
      ratios.push(line)
      console.error('  ' + line)
    }
  } finally {
    await database.stop()
  }

  if (only.has('scaling')) {
    console.error('scaling: the inbox page on each database (the city has the same 10,000 proposals)')
    const scaling: Result[] = []
    for (const name of args.scaling!.split(',')) {
      const database = await openScaleDatabase(env, name, { create: false })
      try {
        const f = await fixture(database)
        const tenants = await tenantsDirFor(database, f.slug)
        const app = await startBenchApp(database, tenants.dir)
        try {
          const cookie = await signIn(app.url, f.staffEmail, SCALE_PASSWORD)
          const [{ n }] = (await (async () => {
            const sql = postgres(database.adminUrl, { max: 1, onnotice: () => {} })
            try {
              return await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM proposals`
            } finally {
              await sql.end()
            }
          })()) as unknown as [{ n: number }]
          const { value, peakMb } = await withRss(app.pid, () =>
            load({ url: app.url, headers: { cookie }, requests: inboxRequests(`/${f.slug}/desk?state=`) }),
          )
          rssPeak = Math.max(rssPeak, peakMb)
          scaling.push(report(`inbox page, ${name} (${n.toLocaleString('en')} proposals)`, value))
        } finally {
          await app.stop()
        }
      } finally {
        await database.stop()
      }
    }
    const first = scaling[0]!
    for (const r of scaling.slice(1)) {
      const line = `scaling ${r.label} ÷ ${first.label}: p50 ${(r.p50 / first.p50).toFixed(2)}×, p95 ${(r.p95 / first.p95).toFixed(2)}×, p99 ${(r.p99 / first.p99).toFixed(2)}×`
      ratios.push(line)
      console.error('  ' + line)
    }
  }

  console.log(
    `\n| run | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx |\n| --- | --: | --: | --: | --: | --: | --: |`,
  )
  for (const r of results)
    console.log(
      `| ${r.label} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.non2xx} |`,
    )
  console.log('')
  for (const line of ratios) console.log(`- ${line}`)
  console.log(`- server RSS, peak under load: ${rssPeak.toFixed(0)} MB`)
  console.log(
    `- machine: ${machine} (at the end: load ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')})`,
  )
}

await main()
