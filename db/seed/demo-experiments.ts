import type postgres from 'postgres'
import type { SeedTenant } from './tenants'

/**
 * The demo's demonstration experiments and a disclosure request, from what
 * the decision history left: each agreed proposal on the city's experiment
 * track gets its checklist written up to where it stands (owners, planned and
 * done dates), a use permit, the city's offers, period and attendance, and the
 * proposer's cost-rule acknowledgement; the city's first agreed proposal has a
 * 情報公開 request waiting for the proposer's opinion, asked in its thread.
 * No report file is seeded (the seed writes no uploads).
 */
export async function seedExperimentsAndDisclosure(
  sql: postgres.TransactionSql,
  options: { tenant: SeedTenant; tenantId: string; desk: string; now: Date },
): Promise<void> {
  const { tenant, tenantId, desk, now } = options
  const day = 86_400_000
  const dateOf = (at: Date) => at.toISOString().slice(0, 10)
  const agreed = await sql<
    {
      id: string
      track: string
      state: string
      submitter: string
      concluded_on: string
      reference_code: string
    }[]
  >`
    SELECT p.id, p.track, p.state, p.submitter_user_id AS submitter, a.concluded_on::text, p.reference_code
      FROM proposals p JOIN agreements a ON a.tenant_id = p.tenant_id AND a.proposal_id = p.id
     WHERE p.tenant_id = ${tenantId} ORDER BY p.submitted_at`
  const experiment = tenant.experiment
  for (const proposal of experiment ? agreed.filter((row) => row.track === experiment.track) : []) {
    const concluded = new Date(`${proposal.concluded_on}T09:00:00+09:00`)
    const after = (days: number) => new Date(Math.min(concluded.getTime() + days * day, now.getTime()))
    const steps = experiment!.steps
    const at = steps.findIndex((step) => step.id === proposal.state)
    // Steps before the current one are done; the last one is done once reached.
    const doneCount = at < 0 ? 0 : at === steps.length - 1 ? at + 1 : at
    for (const [index, step] of steps.entries()) {
      const done = index < doneCount
      await sql`
        INSERT INTO experiment_checklist (tenant_id, proposal_id, item_key, lane, due_on, done_on, note, updated_by, updated_at)
        VALUES (${tenantId}, ${proposal.id}, ${`step:${step.id}`}, ${step.lane}, ${dateOf(after(10 * (index + 1)))},
                ${done ? dateOf(after(10 * index + 7)) : null}, ${done ? '完了(デモ) / Done (demo)' : ''}, ${desk},
                ${after(10 * index + 7)})`
    }
    for (const [index, duty] of experiment!.dutyIds.entries()) {
      await sql`
        INSERT INTO experiment_checklist (tenant_id, proposal_id, item_key, lane, done_on, updated_by, updated_at)
        VALUES (${tenantId}, ${proposal.id}, ${`duty:${duty}`}, 'proposer',
                ${index < 2 ? dateOf(after(20)) : null}, ${proposal.submitter}, ${after(20)})`
    }
    await sql`
      INSERT INTO experiment_permits (tenant_id, proposal_id, kind, issued_by, reference, issued_on, recorded_by, created_at)
      VALUES (${tenantId}, ${proposal.id}, '道路使用許可 / Road use permit', '警察署 / Police station',
              ${`${proposal.reference_code}-P1`}, ${dateOf(after(8))}, ${proposal.submitter}, ${after(8)})`
    await sql`
      INSERT INTO experiments (tenant_id, proposal_id, offers, period_from, period_until, attended_on, attended_by,
                               cost_rule_acknowledged_by, cost_rule_acknowledged_at, cost_rule_version, updated_at)
      VALUES (${tenantId}, ${proposal.id}, ${sql.array(experiment!.offerIds.slice(0, 2))},
              ${dateOf(after(30))}, ${dateOf(after(60))}, ${dateOf(after(30))}, '公民連携デスク(デモ) / PPP desk (demo)',
              ${proposal.submitter}, ${after(2)}, ${tenant.configVersion}, ${after(30)})`
  }

  const first = agreed[0]
  if (!first) return
  const received = new Date(now.getTime() - 3 * day)
  const question =
    'この提案に関係する情報公開請求がありました。公にされると正当な利益を害するおそれのある箇所をお知らせください(デモ)。 / ' +
    'A public-records request concerns this proposal. Please tell us which parts would harm your legitimate interests (demo).'
  const [message] = await sql<{ id: string }[]>`
    INSERT INTO messages (tenant_id, proposal_id, author_user_id, author_side, body, created_at)
    VALUES (${tenantId}, ${first.id}, ${desk}, 'city', ${question}, ${received}) RETURNING id`
  const [request] = await sql<{ id: string }[]>`
    INSERT INTO disclosure_requests (tenant_id, proposal_id, received_on, opinion_due_on, question_message_id, created_by, created_at)
    VALUES (${tenantId}, ${first.id}, ${dateOf(received)}, ${dateOf(new Date(received.getTime() + 14 * day))},
            ${message!.id}, ${desk}, ${received}) RETURNING id`
  await sql`
    INSERT INTO disclosure_request_internals (tenant_id, id, proposal_id, requester_description)
    VALUES (${tenantId}, ${request!.id}, ${first.id}, '市内の個人(デモ) / A resident (demo)')`
  await sql`
    INSERT INTO disclosure_documents (tenant_id, request_id, proposal_id, position, title) VALUES
      (${tenantId}, ${request!.id}, ${first.id}, 0, '提案書 / Proposal'),
      (${tenantId}, ${request!.id}, ${first.id}, 1, '協定書 / Agreement')`
  await sql`
    INSERT INTO proposal_events (tenant_id, proposal_id, actor_user_id, actor_side, from_state, to_state, transition, payload, at)
    VALUES (${tenantId}, ${first.id}, ${desk}, 'desk', ${first.state}, ${first.state}, 'disclosure_requested',
            ${sql.json({ requestId: request!.id, documents: ['提案書 / Proposal', '協定書 / Agreement'] })}, ${received})`
}
