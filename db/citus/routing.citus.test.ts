import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTenantDirectory, type TenantConfig } from '@desk/tenant-config'
import { listDeskInbox } from '../../app/operations/inbox/desk-inbox.server'
import { listMyProposals } from '../../app/operations/inbox/my-proposals.server'
import { getProposalForStaff } from '../../app/operations/proposals/get-proposal-for-staff.server'
import { getProposalStatusForProposer } from '../../app/operations/proposals/get-proposal-status-for-proposer.server'
import {
  submitTestProposal,
  createTestCitiesAndProposers,
} from '../../app/operations/proposals/testing.server'
import { createOwnerSql } from '../owner'
import { createRuntimeDb, runtimeDbFromClient, type RuntimeDb } from '../runtime'
import { distribute } from './distribute'
import { createCitusTestDatabase, removeRowLevelSecurity, type CitusTestDatabase } from './testing'

/**
 * Query routing of the product's own operations on the distributed schema:
 * with `citus.multi_task_query_log_level = error` for the runtime role, Citus
 * refuses any statement that needs more than one task (shard), so an
 * operation that completes sent router (single-shard) statements only.
 *
 * ROUTING ONLY, NOT ISOLATION: Citus 13.2 refuses the product's row-level
 * security policies (subqueries, docs/scaling.md), so this database has them
 * removed and RLS disabled before db:distribute. The SQL the operations send is the same; isolation on Citus
 * is what is left to do.
 */
let db: CitusTestDatabase
let ownerSql: ReturnType<typeof createOwnerSql>
let routed: RuntimeDb
let fanOut: RuntimeDb
let fixtures: Awaited<ReturnType<typeof createTestCitiesAndProposers>>
const configs = new Map<string, TenantConfig>()
const proposalIds: Record<string, string> = {}

const answersFor = (slug: string, title: string): Record<string, string> =>
  slug === 'komatsu'
    ? { title, summary: `${title}の概要です。` }
    : { subject: title, content: `${title}の内容です。` }

beforeAll(async () => {
  db = await createCitusTestDatabase()
  ownerSql = createOwnerSql(db.adminUrl)
  fixtures = await createTestCitiesAndProposers(ownerSql)
  for (const tenant of (await loadTenantDirectory('tenants')).tenants)
    configs.set(tenant.config.slug, tenant.config)
  // Proposals to two cities, submitted before the distribution, through the product's own path. (On the
  // distributed schema a submission is not a router transaction yet: its SECURITY DEFINER helpers find
  // the city by app_tenant_id(), which Citus cannot route — docs/scaling.md.)
  for (const slug of ['komatsu', 'aomori']) {
    const proposal = await submitTestProposal(db.runtimeDb, {
      city: fixtures.cities[slug]!,
      proposer: fixtures.business,
      trackId: slug === 'aomori' ? 'partnership' : undefined,
      answers: answersFor(slug, `ルーティング確認 ${randomUUID().slice(0, 8)}`),
    })
    proposalIds[slug] = proposal.id
  }
  await removeRowLevelSecurity(db.adminSql)
  await distribute(db.adminSql)
  await db.adminSql.unsafe(
    `ALTER ROLE desk_app IN DATABASE ${db.name} SET citus.multi_task_query_log_level = 'error'`,
  )
  // Opened after the setting: every connection of `routed` has it; `fanOut`'s turn it off at start-up.
  routed = createRuntimeDb(db.runtimeUrl, { max: 2 })
  fanOut = runtimeDbFromClient(
    postgres(db.runtimeUrl, {
      max: 2,
      onnotice: () => {},
      connection: { 'citus.multi_task_query_log_level': 'off' },
    }),
  )
}, 300_000)

afterAll(async () => {
  await Promise.all([routed?.$client.end(), fanOut?.$client.end(), ownerSql?.end()])
  await db?.drop()
})

describe('router queries on the distributed schema', () => {
  it('the desk inbox and the proposal page (staff and proposer) are router queries', async () => {
    const city = fixtures.cities.komatsu!
    const inbox = await listDeskInbox(routed, {
      tenant: city.tenant,
      actor: city.desk,
      filters: {},
      locale: 'ja',
    })
    expect(inbox.rows.map((row) => row.id)).toEqual([proposalIds.komatsu])
    const staffView = await getProposalForStaff(routed, {
      tenant: city.tenant,
      actor: city.desk,
      proposalId: proposalIds.komatsu!,
      locale: 'ja',
    })
    expect(staffView.proposal.id).toBe(proposalIds.komatsu)
    const proposerView = await getProposalStatusForProposer(routed, {
      tenant: city.tenant,
      actor: fixtures.business.actor,
      proposalId: proposalIds.komatsu!,
      locale: 'ja',
    })
    expect(proposerView.proposal.id).toBe(proposalIds.komatsu)
  })

  it('EXPLAIN of the inbox query with its city filter shows one task', async () => {
    const city = fixtures.cities.komatsu!
    const plan = await db.adminSql.unsafe(
      `EXPLAIN SELECT p.id, p.title, o.name FROM proposals p JOIN organisations o ON o.id = p.organisation_id
        WHERE p.tenant_id = $1 AND p.state = 'intake' ORDER BY p.submitted_at DESC LIMIT 50`,
      [city.tenant.id],
    )
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Task Count: 1\b/)
  })

  it("the proposer's list over every city is the multi-shard read: refused under the router-only setting", async () => {
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
    // Measured against the inbox, same run, same pool (figures in docs/scaling.md come from here).
    const city = fixtures.cities.komatsu!
    const time = async (run: () => Promise<unknown>) => {
      const started = performance.now()
      for (let i = 0; i < 50; i++) await run()
      return (performance.now() - started) / 50
    }
    const inboxMs = await time(() =>
      listDeskInbox(fanOut, { tenant: city.tenant, actor: city.desk, filters: {}, locale: 'ja' }),
    )
    const mineMs = await time(() => listMyProposals(fanOut, options))
    console.log(
      `citus routing: desk inbox ${inboxMs.toFixed(1)} ms (router), proposer's every-city list ${mineMs.toFixed(1)} ms (multi-shard, 32 shards); ratio ${(mineMs / inboxMs).toFixed(2)}`,
    )
  })
})
