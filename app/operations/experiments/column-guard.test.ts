import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../db/testing'
import { withTenant } from '../../../db/tenant-context'
import type { RequestActor } from '../proposals/context.server'
import {
  createTestCitiesAndProposers,
  submitTestProposal,
  type TestCity,
  type TestProposer,
} from '../proposals/testing.server'

/**
 * The database's own guard on which columns each side changes in the
 * experiment and disclosure tables (db/migrations/0017_column_guard.sql),
 * behind the operations: raw statements in a proposer or a staff context,
 * on rows the policies let that side write. The operations themselves are
 * exercised, unchanged, by experiments.test.ts.
 */

let db: TestDatabase
/** Under `pnpm test:citus` (db/citus/vitest.config.ts): the guard fires on the workers' shards. */
const onCitus = Boolean(inject('citusCluster'))
let city: TestCity
let business: TestProposer
let proposalId: string
const keys: Record<string, string> = {}

/** Columns only the city's staff change, and columns only the proposer changes, per table. */
const split: Record<string, { staff: string[]; proposer: string[]; fixed: string[] }> = {
  experiments: {
    staff: [
      'offers',
      'period_from',
      'period_until',
      'attended_on',
      'attended_by',
      'report_received_on',
      'report_received_by',
    ],
    proposer: [
      'cost_rule_acknowledged_by',
      'cost_rule_acknowledged_at',
      'cost_rule_version',
      'report_attachment_id',
      'report_submitted_by',
      'report_submitted_at',
    ],
    fixed: ['proposal_id'],
  },
  experiment_checklist: { staff: [], proposer: [], fixed: ['item_key', 'proposal_id'] },
  disclosure_requests: {
    staff: ['received_on', 'opinion_due_on', 'question_message_id', 'decided_at', 'created_by'],
    proposer: ['opinion', 'opinion_by', 'opinion_at'],
    fixed: ['proposal_id'],
  },
  disclosure_documents: {
    staff: ['position', 'title', 'decision', 'decision_reason', 'decided_by', 'decided_at'],
    proposer: ['proposer_opinion'],
    fixed: ['request_id', 'proposal_id'],
  },
  disclosure_request_internals: {
    staff: ['requester_description', 'internal_note'],
    proposer: [],
    fixed: [],
  },
}

beforeAll(async () => {
  db = await createTestDatabase()
  const world = await createTestCitiesAndProposers(db.ownerSql)
  business = world.business
  city = world.cities.aomori!
  const proposal = await submitTestProposal(db.runtimeDb, {
    city: city,
    proposer: business,
    trackId: 'experiment',
    answers: { subject: '列ガード', content: '列ごとの書き手を確かめる。' },
  })
  proposalId = proposal.id
  // Every column of both sides filled, through the owner connection as the seeds write: the owner is not guarded.
  const tenantId = city.tenant.id
  const desk = city.desk.userId
  const proposer = business.actor.userId
  const [attachment] = await db.ownerSql`
    INSERT INTO attachments (tenant_id, proposal_id, stored_name, original_name, mime, size, sha256, uploaded_by)
    VALUES (${tenantId}, ${proposalId}, ${randomUUID()}, 'report.pdf', 'application/pdf', 2048, ${'ef'.repeat(32)}, ${proposer})
    RETURNING id`
  const [experiment] = await db.ownerSql`
    INSERT INTO experiments (tenant_id, proposal_id, offers, period_from, period_until, attended_on, attended_by,
                             cost_rule_acknowledged_by, cost_rule_acknowledged_at, cost_rule_version,
                             report_attachment_id, report_submitted_by, report_submitted_at,
                             report_received_on, report_received_by)
    VALUES (${tenantId}, ${proposalId}, '{pr}', '2026-07-01', '2026-08-31', '2026-07-01', 'デスク',
            ${proposer}, now(), 'v1', ${attachment!.id}, ${proposer}, now(), '2026-09-30', ${desk})
    RETURNING id`
  const [duty] = await db.ownerSql`
    INSERT INTO experiment_checklist (tenant_id, proposal_id, item_key, lane, done_on, note, updated_by)
    VALUES (${tenantId}, ${proposalId}, 'duty:costs', 'proposer', '2026-07-01', '自社負担', ${proposer}) RETURNING id`
  const [request] = await db.ownerSql`
    INSERT INTO disclosure_requests (tenant_id, proposal_id, received_on, opinion_due_on, question_message_id, status,
                                     opinion, opinion_by, opinion_at, decided_at, created_by)
    VALUES (${tenantId}, ${proposalId}, '2026-10-01', '2026-10-15', ${randomUUID()}, 'opinion_received',
            '差し支えありません', ${proposer}, now(), now(), ${desk})
    RETURNING id`
  await db.ownerSql`
    INSERT INTO disclosure_request_internals (tenant_id, id, proposal_id, requester_description, internal_note)
    VALUES (${tenantId}, ${request!.id}, ${proposalId}, '市内の個人', '検討中')`
  const [document] = await db.ownerSql`
    INSERT INTO disclosure_documents (tenant_id, request_id, proposal_id, position, title, proposer_opinion,
                                      decision, decision_reason, decided_by, decided_at)
    VALUES (${tenantId}, ${request!.id}, ${proposalId}, 1, '見積書', '単価は非公開に', 'partial', '競争上の地位', ${desk}, now())
    RETURNING id`
  Object.assign(keys, {
    experiments: experiment!.id,
    experiment_checklist: duty!.id,
    disclosure_requests: request!.id,
    disclosure_request_internals: request!.id,
    disclosure_documents: document!.id,
  })
})
afterAll(async () => {
  await db?.drop()
})

/** Runs one statement in the actor's tenant transaction; the database error it fails with, if any. */
async function attempt(actor: RequestActor, statement: ReturnType<typeof sql>) {
  return withTenant(
    db.runtimeDb,
    { tenantId: city.tenant.id, userId: actor.userId, actor: actor.kind },
    (tx) => tx.execute(statement),
  ).then(
    (rows) => ({ error: undefined, count: rows.count }),
    (caught: unknown) => {
      const root = caught instanceof Error && caught.cause ? caught.cause : caught
      return { error: root as { code?: string; message: string; column_name?: string }, count: 0 }
    },
  )
}

const rowOf = async (table: string) =>
  (await db.adminSql.unsafe(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE id = $1`, [keys[table]!]))[0]!
    .row

/** A changed value for any column: NULL where it is set (the trigger runs before the NOT NULL check). */
const clear = (table: string, column: string, also = sql``) =>
  sql`UPDATE ${sql.identifier(table)} SET ${sql.identifier(column)} = NULL${also} WHERE id = ${keys[table]}`

/** The checklist's policy asks each write to name its writer. */
const writer = (table: string, actor: RequestActor) =>
  table === 'experiment_checklist' ? sql`, updated_by = ${actor.userId}` : sql``

async function expectRefused(actor: RequestActor, table: string, column: string) {
  const before = await rowOf(table)
  const { error } = await attempt(actor, clear(table, column, writer(table, actor)))
  expect(error?.code, `${actor.kind} changing ${table}.${column}`).toBe('42501')
  expect(error?.message).toBe(`${table}.${column}: a ${actor.kind} context may not change this column`)
  // Citus relays a worker's error with its code, message, detail and hint, not its column field.
  expect(error?.column_name).toBe(onCitus ? undefined : column)
  expect(await rowOf(table)).toEqual(before)
}

describe('column guard on the experiment and disclosure tables', () => {
  for (const table of ['experiments', 'disclosure_requests', 'disclosure_documents']) {
    it(`refuses a proposer context every staff-only column of ${table}, and a staff context every proposer-only one`, async () => {
      for (const column of split[table]!.staff) await expectRefused(business.actor, table, column)
      for (const column of split[table]!.proposer) await expectRefused(city.desk, table, column)
    })
  }

  for (const table of [
    'experiments',
    'experiment_checklist',
    'disclosure_requests',
    'disclosure_documents',
  ]) {
    it(`refuses both sides moving a ${table} row to another key`, async () => {
      for (const column of split[table]!.fixed) {
        for (const actor of [business.actor, city.desk]) await expectRefused(actor, table, column)
      }
    })
  }

  it("refuses a proposer context any write of a request's internals, though the policies hide every row from it", async () => {
    const before = await rowOf('disclosure_request_internals')
    for (const column of split.disclosure_request_internals!.staff) {
      const { error } = await attempt(
        business.actor,
        sql`UPDATE disclosure_request_internals SET ${sql.identifier(column)} = 'x' WHERE id = ${keys.disclosure_request_internals}`,
      )
      expect(error?.code).toBe('42501')
      expect(error?.message).toBe('disclosure_request_internals: a proposer context may not write this table')
    }
    expect(await rowOf('disclosure_request_internals')).toEqual(before)
    const staff = await attempt(
      city.desk,
      sql`UPDATE disclosure_request_internals SET internal_note = '非公開で決定' WHERE id = ${keys.disclosure_request_internals}`,
    )
    expect(staff).toEqual({ error: undefined, count: 1 })
  })

  it("refuses an insert or upsert that fills the other side's columns", async () => {
    const { error: upsert } = await attempt(
      business.actor,
      sql`INSERT INTO experiments (tenant_id, proposal_id, cost_rule_version, report_received_on)
          VALUES (${city.tenant.id}, ${proposalId}, 'v2', '2026-10-01')
          ON CONFLICT (tenant_id, proposal_id) DO UPDATE SET cost_rule_version = 'v2'`,
    )
    expect(upsert?.message).toBe(
      'experiments.report_received_on: a proposer context may not change this column',
    )
    const { error: document } = await attempt(
      city.desk,
      sql`INSERT INTO disclosure_documents (tenant_id, request_id, proposal_id, title, proposer_opinion)
          VALUES (${city.tenant.id}, ${keys.disclosure_requests}, ${proposalId}, '協定書', '全部非公開に')`,
    )
    expect(document?.message).toBe(
      'disclosure_documents.proposer_opinion: a staff context may not change this column',
    )
  })

  it("lets each side change its own and the shared columns, and a column's unchanged value through", async () => {
    const proposer = business.actor
    const writes: [RequestActor, ReturnType<typeof sql>][] = [
      [
        proposer,
        sql`UPDATE experiments SET cost_rule_version = 'v3', offers = offers, updated_at = now() WHERE id = ${keys.experiments}`,
      ],
      [
        city.desk,
        sql`UPDATE experiments SET attended_by = '経済部', cost_rule_version = cost_rule_version WHERE id = ${keys.experiments}`,
      ],
      [
        proposer,
        sql`UPDATE disclosure_requests SET opinion = '再回答', status = 'opinion_received' WHERE id = ${keys.disclosure_requests}`,
      ],
      [
        city.desk,
        sql`UPDATE disclosure_requests SET status = 'decided', decided_at = now() WHERE id = ${keys.disclosure_requests}`,
      ],
      [
        proposer,
        sql`UPDATE disclosure_documents SET proposer_opinion = '3頁のみ' WHERE id = ${keys.disclosure_documents}`,
      ],
      [
        city.desk,
        sql`UPDATE disclosure_documents SET decision = 'disclose', decision_reason = '' WHERE id = ${keys.disclosure_documents}`,
      ],
      [
        proposer,
        sql`UPDATE experiment_checklist SET note = '完了', updated_by = ${proposer.userId} WHERE id = ${keys.experiment_checklist}`,
      ],
      [
        city.desk,
        sql`UPDATE experiment_checklist SET lane = 'city', updated_by = ${city.desk.userId} WHERE id = ${keys.experiment_checklist}`,
      ],
    ]
    for (const [actor, statement] of writes)
      expect(await attempt(actor, statement)).toEqual({ error: undefined, count: 1 })
  })

  it('leaves the owner (migrations, seeds) unguarded', async () => {
    await db.ownerSql`
      UPDATE experiments SET report_received_on = NULL, report_attachment_id = NULL
       WHERE id = ${keys.experiments!}`
    expect(await rowOf('experiments')).toMatchObject({ report_received_on: null, report_attachment_id: null })
  })

  it('is a SECURITY INVOKER function with a pinned search_path, owned by the owner role', async () => {
    const [fn] = await db.adminSql`
      SELECT p.prosecdef, p.proconfig, pg_get_userbyid(p.proowner) AS owner
        FROM pg_proc p WHERE p.proname = 'guard_side_columns' AND p.pronamespace = 'public'::regnamespace`
    expect(fn).toEqual({
      prosecdef: false,
      proconfig: ['search_path=pg_catalog, public'],
      owner: 'desk_owner',
    })
  })
})
