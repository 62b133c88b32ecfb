import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTenantDirectory, type TenantConfig } from '@desk/tenant-config'
import { listDeskInbox } from '../../app/operations/inbox/desk-inbox.server'
import { listMyProposals } from '../../app/operations/inbox/my-proposals.server'
import { getDeskDashboard } from '../../app/operations/dashboard/desk-dashboard.server'
import { defaultPeriod } from '../../app/operations/dashboard/dashboard-figures'
import {
  submitTestProposal,
  createTestCitiesAndProposers,
  readProposerProposalPage,
  readStaffProposalPage,
} from '../../app/operations/proposals/testing.server'
import type { RequestActor } from '../../app/operations/proposals/context.server'
import { runtimeDbFromClient, type RuntimeDb } from '../runtime'
import { distribute } from './distribute'
import { createCitusTestDatabase, type CitusTestDatabase } from './testing'

/**
 * Query routing of the product's own operations on the product's schema as
 * `db:distribute` lays it out on the local cluster, row-level security on
 * (the real policies, migration 0034):
 *
 * - `routed` connections have `citus.multi_task_query_log_level = error`:
 *   Citus refuses any statement that needs more than one shard, including
 *   those a SECURITY DEFINER helper or a trigger runs, so an operation that
 *   completes on them sent single-shard statements only;
 * - every statement they send is recorded and EXPLAINed afterwards in the
 *   same context: each plan of a distributed table is one task.
 *
 * The proposer's "all my proposals in every city" is the one multi-shard
 * read: refused on `routed`, measured on `fanOut`.
 *
 * A submission runs on the distributed schema through `routed` (since
 * migration 0035 its reference number and staff notifications are the
 * request's own writes, decision 008): it completes only if every statement,
 * the counter row's and the triggers' included, is single-shard.
 */
let db: CitusTestDatabase
let routed: RuntimeDb
let fanOut: RuntimeDb
let fixtures: Awaited<ReturnType<typeof createTestCitiesAndProposers>>
const configs = new Map<string, TenantConfig>()
const proposalIds: Record<string, string> = {}
const submissions: Record<string, { query: string; params: unknown[] }[]> = {}
let recorded: { query: string; params: unknown[] }[] = []

const answersFor = (slug: string, title: string): Record<string, string> =>
  slug === 'komatsu'
    ? { title, summary: `${title}の概要です。` }
    : { subject: title, content: `${title}の内容です。` }

/** What `run` sends on the routed pool: the statements, without the transaction's own. */
async function statementsOf(run: () => Promise<unknown>) {
  recorded = []
  await run()
  return recorded.filter(
    ({ query }) => !/^\s*(begin|commit|rollback|savepoint|release)/i.test(query) && !/app_set_context/.test(query),
  )
}

/** EXPLAIN of each statement in the context it ran in: the Citus part of every plan. */
async function plansOf(
  statements: { query: string; params: unknown[] }[],
  context: { tenantId: string | null; actor: RequestActor },
) {
  const plans: string[] = []
  for (const { query, params } of statements) {
    await db.runtimeSql
      .begin(async (tx) => {
        await tx`SELECT app_set_context(${context.tenantId}::uuid, ${context.actor.userId}::uuid, ${context.actor.kind})`
        const rows = await tx.unsafe(`EXPLAIN ${query}`, params as never[])
        plans.push(rows.map((row) => row['QUERY PLAN'] as string).join('\n'))
        throw new Rollback()
      })
      .catch((error) => {
        if (!(error instanceof Rollback)) throw error
      })
  }
  return plans
}
class Rollback extends Error {}

/** Every plan that reaches a distributed or reference table runs one task. */
function expectOneTaskEach(plans: string[]) {
  const citus = plans.filter((plan) => plan.includes('Custom Scan (Citus'))
  expect(citus.length).toBeGreaterThan(0)
  for (const plan of citus) {
    const counts = [...plan.matchAll(/Task Count: (\d+)/g)].map((match) => Number(match[1]))
    expect([plan, counts.every((count) => count === 1)]).toEqual([plan, true])
  }
  return citus.length
}

beforeAll(async () => {
  db = await createCitusTestDatabase() // migrated, not yet distributed; policies on
  const ownerSql = postgres(db.adminUrl, { max: 1, onnotice: () => {} })
  await ownerSql`SET ROLE desk_owner`
  fixtures = await createTestCitiesAndProposers(ownerSql)
  for (const tenant of (await loadTenantDirectory('tenants')).tenants)
    configs.set(tenant.config.slug, tenant.config)
  await ownerSql.end()
  await distribute(db.adminSql) // 32 shards, as deployed
  routed = runtimeDbFromClient(
    postgres(db.runtimeUrl, {
      max: 1,
      onnotice: () => {},
      // The runtime pool's plan cache (db/runtime.ts): a statement run often enough runs its generic plan.
      connection: { 'citus.multi_task_query_log_level': 'error', plan_cache_mode: 'auto' },
      debug: (_connection, query, params) => recorded.push({ query, params }),
    }),
  )
  for (const slug of ['komatsu', 'aomori']) {
    submissions[slug] = await statementsOf(async () => {
      const proposal = await submitTestProposal(routed, {
        city: fixtures.cities[slug]!,
        proposer: fixtures.business,
        trackId: slug === 'aomori' ? 'partnership' : undefined,
        answers: answersFor(slug, `ルーティング確認 ${randomUUID().slice(0, 8)}`),
      })
      proposalIds[slug] = proposal.id
    })
  }
  fanOut = runtimeDbFromClient(postgres(db.runtimeUrl, { max: 2, onnotice: () => {} }))
}, 300_000)

afterAll(async () => {
  await Promise.all([routed?.$client.end(), fanOut?.$client.end()])
  await db?.drop()
})

describe('router queries with the real policies', () => {
  it("a submission to each of two cities: each of its statements is one task on the distributed schema", async () => {
    for (const slug of ['komatsu', 'aomori']) {
      const city = fixtures.cities[slug]!
      const statements = submissions[slug]!.filter(({ query }) => !/^\s*select\s+\w+\(/i.test(query))
      const plans = await plansOf(statements, { tenantId: city.tenant.id, actor: fixtures.business.actor })
      const count = expectOneTaskEach(plans)
      console.log(`citus routing: submission to ${slug}: ${statements.length} statements, ${count} on Citus tables, each one task`)
    }
  })

  it('the desk inbox is one task per statement', async () => {
    const city = fixtures.cities.komatsu!
    const statements = await statementsOf(async () => {
      const inbox = await listDeskInbox(routed, { tenant: city.tenant, actor: city.desk, filters: {}, locale: 'ja' })
      expect(inbox.rows.map((row) => row.id)).toEqual([proposalIds.komatsu])
      expect(inbox.rows[0]!.organisationName).toBe('Test corporation')
    })
    const plans = await plansOf(statements, { tenantId: city.tenant.id, actor: city.desk })
    expectOneTaskEach(plans)
    console.log(`citus routing: desk inbox plan\n${plans.find((plan) => plan.includes('Citus'))}`)
  })

  it("the proposal page's read, for the desk and for the proposer, is one task per statement", async () => {
    const city = fixtures.cities.komatsu!
    const staff = await statementsOf(async () => {
      const page = await readStaffProposalPage(routed, {
        tenant: city.tenant,
        actor: city.desk,
        proposalId: proposalIds.komatsu!,
        locale: 'ja',
      })
      expect(page.view.proposal.id).toBe(proposalIds.komatsu)
    })
    expectOneTaskEach(await plansOf(staff, { tenantId: city.tenant.id, actor: city.desk }))
    const proposer = await statementsOf(async () => {
      const page = await readProposerProposalPage(routed, {
        tenant: city.tenant,
        actor: fixtures.business.actor,
        proposalId: proposalIds.komatsu!,
        locale: 'ja',
      })
      expect(page.status.proposal.id).toBe(proposalIds.komatsu)
    })
    expectOneTaskEach(await plansOf(proposer, { tenantId: city.tenant.id, actor: fixtures.business.actor }))
  })

  it("the desk dashboard's figures are one task per statement", async () => {
    // Correlated by `tenant_id` column instead of the city as a value, its statements fanned out to
    // every shard, and one of them crashed the Citus 13.2 coordinator (docs/scaling.md).
    const city = fixtures.cities.komatsu!
    const statements = await statementsOf(async () => {
      const figures = await getDeskDashboard(routed, {
        tenant: city.tenant,
        actor: city.desk,
        filters: { period: defaultPeriod(new Date()) },
      })
      expect(figures.total.submitted).toBe(1)
      expect(figures.byDepartment.map((group) => [group.key, group.submitted])).toEqual([[null, 1]])
    })
    expectOneTaskEach(await plansOf(statements, { tenantId: city.tenant.id, actor: city.desk }))
  })

  it("the same reads, run past the plan cache's five custom plans, stay single-shard on their generic plans", async () => {
    // A prepared statement's generic plan does not know the city: Citus prunes its shards when it runs.
    // `routed` refuses any statement that would need more than one, so these complete only if every
    // generic plan still reaches one shard.
    const city = fixtures.cities.komatsu!
    for (let round = 0; round < 8; round++) {
      await listDeskInbox(routed, { tenant: city.tenant, actor: city.desk, filters: {}, locale: 'ja' })
      await readStaffProposalPage(routed, {
        tenant: city.tenant,
        actor: city.desk,
        proposalId: proposalIds.komatsu!,
        locale: 'ja',
      })
      await readProposerProposalPage(routed, {
        tenant: city.tenant,
        actor: fixtures.business.actor,
        proposalId: proposalIds.komatsu!,
        locale: 'ja',
      })
    }
    const [cache] = await routed.$client<{ generic: number }[]>`
      SELECT coalesce(sum(generic_plans), 0)::int AS generic FROM pg_prepared_statements`
    expect(cache!.generic).toBeGreaterThan(0)
  })

  it("the proposer's list over every city is the multi-shard read: refused under the router-only setting, measured", async () => {
    const options = {
      userId: fixtures.business.actor.userId,
      configOf: (slug: string) => configs.get(slug),
      locale: 'ja',
      page: 1,
    }
    await expect(listMyProposals(routed, options)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/multi-task query about to be executed/) },
    })
    const { rows: mine } = await listMyProposals(fanOut, options)
    expect(mine.map((row) => row.id).sort()).toEqual(Object.values(proposalIds).sort())
    // Against the inbox, same run, same pool (docs/scaling.md).
    const city = fixtures.cities.komatsu!
    const time = async (run: () => Promise<unknown>) => {
      for (let i = 0; i < 5; i++) await run()
      const started = performance.now()
      for (let i = 0; i < 50; i++) await run()
      return (performance.now() - started) / 50
    }
    const inboxMs = await time(() =>
      listDeskInbox(fanOut, { tenant: city.tenant, actor: city.desk, filters: {}, locale: 'ja' }),
    )
    const mineMs = await time(() => listMyProposals(fanOut, options))
    const [shards] = await db.adminSql<{ count: number }[]>`
      SELECT count(*)::int AS count FROM pg_dist_shard WHERE logicalrelid = 'proposals'::regclass`
    console.log(
      `citus routing: desk inbox ${inboxMs.toFixed(1)} ms (router), proposer's every-city list ${mineMs.toFixed(1)} ms (multi-shard, ${shards!.count} shards); ratio ${(mineMs / inboxMs).toFixed(2)}`,
    )
  })
})
