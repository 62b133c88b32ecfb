import { and, asc, eq } from 'drizzle-orm'
import { localize } from '@desk/tenant-config'
import { stepOf, transitionOf, type Lane, type LocalizedText } from '@desk/workflow'
import type { TenantTx } from '../../../db/tenant-context'
import { proposalEvents } from '../../../db/schema'
import { trackOf, type ProposalRow, type ProposalTenant, type RequestActor } from './context.server'

export type HistoryEntry = {
  id: string
  at: Date
  transition: string
  transitionLabel: string
  from: string | null
  fromLabel: string | null
  to: string
  toLabel: string
  actorSide: Lane | 'system'
  reason: string | null
  payload: Record<string, unknown>
  /** Routing and the city's remarks: never part of a proposer's history. */
  internal: boolean
  /**
   * For the city: the routing and remarks recorded with this event (its
   * companion row, which the proposer's policy never returns), so one step
   * is one entry of the timeline.
   */
  internalPayload: Record<string, unknown> | null
}

/**
 * A proposal's events, oldest first, labelled in `locale`. For a proposer,
 * only the events marked for them — row-level security already hides the
 * rest; the filter says so in the code too.
 */
export async function readHistory(
  tx: TenantTx,
  tenant: ProposalTenant,
  proposal: ProposalRow,
  audience: RequestActor['kind'],
  locale: string,
): Promise<HistoryEntry[]> {
  const track = trackOf(tenant, proposal.track)
  const label = (text: LocalizedText | undefined, fallback: string) =>
    text ? localize(text, locale, tenant.config.defaultLocale) : fallback
  const stepLabel = (state: string) => label(stepOf(track, state)?.label, state)
  const rows = await tx
    .select()
    .from(proposalEvents)
    .where(
      and(
        eq(proposalEvents.tenantId, tenant.id),
        eq(proposalEvents.proposalId, proposal.id),
        ...(audience === 'proposer' ? [eq(proposalEvents.visibleToProposer, true)] : []),
      ),
    )
    .orderBy(asc(proposalEvents.at), asc(proposalEvents.visibleToProposer))
  const entries = rows.map((row) => ({
    id: row.id,
    at: row.at,
    transition: row.transition,
    transitionLabel: label(transitionOf(track, row.transition)?.label, row.transition),
    from: row.fromState,
    fromLabel: row.fromState === null ? null : stepLabel(row.fromState),
    to: row.toState,
    toLabel: stepLabel(row.toState),
    actorSide: row.actorSide,
    reason: row.reason,
    payload: row.payload as Record<string, unknown>,
    internal: !row.visibleToProposer,
    internalPayload: null as Record<string, unknown> | null,
  }))
  return entries.flatMap((entry) => {
    if (!entry.internal) return [entry]
    // A transition's companion row joins its public row (same moment, same step): one routing, one entry.
    const sibling = entries.find(
      (other) =>
        !other.internal &&
        other.at.getTime() === entry.at.getTime() &&
        other.transition === entry.transition &&
        other.from === entry.from &&
        other.to === entry.to,
    )
    if (!sibling) return [entry]
    sibling.internalPayload = { ...sibling.internalPayload, ...entry.payload }
    return []
  })
}
