import { and, eq, sql } from 'drizzle-orm'
import {
  stepOf,
  transitionsFrom,
  type Actor as EngineActor,
  type Track,
  type Transition,
  type TransitionCheck,
} from '@desk/workflow'
import type { TenantTx } from '../../../db/tenant-context'
import { proposalEvents, proposals } from '../../../db/schema'
import {
  notifyCityStaff,
  notifySubmitter,
  recordAudit,
  routeToDepartments,
  trackOf,
  type ProposalRow,
  type ProposalTenant,
  type RequestActor,
} from './context.server'

export type AcceptedTransition = Extract<TransitionCheck, { ok: true }>

/**
 * The transition that hands a draft to the city: the proposer's move into a
 * step the city works on, which is neither optional (a pre-consultation or an
 * issue request is not a submission) nor an end. It needs the answers and the
 * acknowledgements, so it is taken through `submitProposal` only.
 */
export function isSubmitTransition(track: Track, transition: Transition): boolean {
  const target = stepOf(track, transition.to)
  return (
    transition.by.includes('proposer') &&
    !!target &&
    target.lane !== 'proposer' &&
    !target.optional &&
    !target.terminal
  )
}

/**
 * A draft that moves into a step the city acts on (e.g. an optional
 * pre-consultation the desk ends) is shared with the city: from then on the
 * desk sees it (`shared_with_city_at`, policy `proposals_staff`).
 */
export function sharesDraftWithCity(track: Track, toState: string): boolean {
  return transitionsFrom(track, toState).some((transition) =>
    transition.by.some((lane) => lane === 'desk' || lane === 'department' || lane === 'matrix'),
  )
}

/**
 * Persists an accepted transition in the caller's transaction: the new state
 * with optimistic concurrency on `version`, the routing, the event log, the
 * audit log and the notifications. Returns undefined, having changed nothing,
 * when the proposal is no longer at `expectedVersion`.
 */
export async function recordTransition(
  tx: TenantTx,
  change: {
    tenant: ProposalTenant
    actor: RequestActor
    party: EngineActor
    proposal: ProposalRow
    expectedVersion: number
    check: AcceptedTransition
    /** Staff only: kept with the event for the city, never shown to the proposer. */
    internalComment?: string
    /** Columns the transition sets besides the state (e.g. at submission). */
    set?: Partial<typeof proposals.$inferInsert>
    now: Date
  },
): Promise<ProposalRow | undefined> {
  const { tenant, actor, party, proposal, check, now } = change
  // The first answer the city gives stops the early-answer clock: a refusal, a decision, or an end.
  const answers =
    check.isEarlyAnswer || check.transition.requires.includes('decision') || check.outcome !== undefined
  const [updated] = await tx
    .update(proposals)
    .set({
      ...(!proposal.submittedAt &&
      !proposal.sharedWithCityAt &&
      sharesDraftWithCity(trackOf(tenant, proposal.track), check.next.state)
        ? { sharedWithCityAt: now }
        : {}),
      ...change.set,
      state: check.next.state,
      // The time at a stage (reminders, the inbox's days waiting) counts from here.
      ...(check.next.state !== proposal.state ? { stateEnteredAt: now } : {}),
      collaborationMethod: check.next.collaborationMethod,
      version: sql`${proposals.version} + 1`,
      updatedAt: now,
      ...(answers && proposal.submittedAt
        ? { decidedAt: sql`coalesce(${proposals.decidedAt}, ${now.toISOString()}::timestamptz)` }
        : {}),
    })
    .where(
      and(
        eq(proposals.tenantId, tenant.id),
        eq(proposals.id, proposal.id),
        eq(proposals.version, change.expectedVersion),
      ),
    )
    .returning()
  if (!updated) return undefined

  const { departments: routedTo, reason, ...shared } = check.input
  const addedDepartments = routedTo ? await routeToDepartments(tx, tenant, actor, proposal.id, routedTo) : []

  const event = {
    tenantId: tenant.id,
    proposalId: proposal.id,
    actorUserId: actor.userId,
    actorSide: party.kind,
    fromState: proposal.state,
    toState: updated.state,
    transition: check.transition.id,
    at: now,
  }
  await tx
    .insert(proposalEvents)
    .values({ ...event, reason: reason ?? null, payload: shared, visibleToProposer: true })
  // Routing and the city's own remarks go in a companion row the proposer's policy never returns.
  const internal = {
    ...(routedTo ? { departments: routedTo } : {}),
    ...(change.internalComment ? { comment: change.internalComment } : {}),
  }
  if (Object.keys(internal).length > 0) {
    await tx
      .insert(proposalEvents)
      .values({ ...event, reason: null, payload: internal, visibleToProposer: false })
  }

  await recordAudit(tx, tenant, actor, {
    action: 'proposal.transition',
    targetType: 'proposal',
    targetId: proposal.id,
    payload: {
      transition: check.transition.id,
      from: proposal.state,
      to: updated.state,
      version: updated.version,
    },
  })

  const notice = {
    transition: check.transition.id,
    from: proposal.state,
    to: updated.state,
    ...(check.outcome ? { outcome: check.outcome } : {}),
  }
  if (check.notifiesProposer && party.kind !== 'proposer') {
    await notifySubmitter(tx, tenant, updated, 'proposal.status_changed', {
      ...notice,
      ...(reason ? { reason } : {}),
    })
  }
  // The proposer's receipt: each city they submit to confirms what it received.
  if (!proposal.submittedAt && updated.submittedAt) {
    await notifySubmitter(tx, tenant, updated, 'proposal.receipt', notice)
  }
  // The desk hears of what others do; a draft is not the city's until submitted or shared.
  if (party.kind !== 'desk' && (updated.submittedAt || updated.sharedWithCityAt)) {
    const kind = proposal.submittedAt ? 'proposal.status_changed' : 'proposal.submitted'
    await notifyCityStaff(tx, updated, kind, notice)
  }
  if (addedDepartments.length > 0)
    await notifyCityStaff(tx, updated, 'proposal.routed', notice, addedDepartments)
  return updated
}
