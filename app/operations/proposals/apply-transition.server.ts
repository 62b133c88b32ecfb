import {
  availableTransitions,
  checkTransition,
  type Actor as EngineActor,
  type Transition,
  type TransitionInput,
} from '@desk/workflow'
import type { TenantTx } from '../../../db/tenant-context'
import {
  engineActorFor,
  routedDepartmentKeys,
  trackOf,
  type ProposalRow,
  type ProposalTenant,
  type RequestActor,
} from './context.server'
import { proposalErrorFromWorkflow } from './errors.server'
import { recordTransition, type AcceptedTransition } from './record-transition.server'
import { AppError } from '../app-error'

/** The engine's view of a proposal as it stands: state, method and routing. */
async function engineState(tx: TenantTx, tenant: ProposalTenant, proposal: ProposalRow) {
  return {
    state: proposal.state,
    collaborationMethod: proposal.collaborationMethod,
    departments: await routedDepartmentKeys(tx, tenant, proposal.id),
  }
}

/** The transitions out of the proposal's state this actor may take now. */
export async function openTransitions(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
  proposal: ProposalRow,
  /** Who the actor is to the engine, when the caller has read it in this transaction already. */
  engineActor?: EngineActor,
): Promise<Transition[]> {
  return availableTransitions(
    trackOf(tenant, proposal.track),
    await engineState(tx, tenant, proposal),
    engineActor ?? (await engineActorFor(tx, tenant, actor, proposal)),
    tenant.config.roleMatrix,
  )
}

/**
 * Takes a transition in the caller's transaction, through the engine: refused
 * (nothing written) when the actor may not take it or the input lacks what it
 * requires; otherwise the state, event, audit and notifications are written
 * with the caller's own change. The proposal must still be at the version it
 * was read at.
 */
export async function applyTransition(
  tx: TenantTx,
  change: {
    tenant: ProposalTenant
    actor: RequestActor
    proposal: ProposalRow
    transitionId: string
    input: TransitionInput
    internalComment?: string
    /** Checked before the engine runs (e.g. a draft's submission goes through its own operation). */
    guard?: (check: AcceptedTransition) => void
    now: Date
  },
): Promise<ProposalRow> {
  const { tenant, actor, proposal } = change
  const party = await engineActorFor(tx, tenant, actor, proposal)
  const check = checkTransition(
    trackOf(tenant, proposal.track),
    await engineState(tx, tenant, proposal),
    party,
    change.transitionId,
    change.input,
    tenant.config.roleMatrix,
  )
  if (!check.ok) throw proposalErrorFromWorkflow(check.error)
  change.guard?.(check)
  const updated = await recordTransition(tx, {
    tenant,
    actor,
    party,
    proposal,
    expectedVersion: proposal.version,
    check,
    internalComment: change.internalComment,
    now: change.now,
  })
  if (!updated) throw new AppError('conflict', 'Someone else moved this proposal at the same time')
  return updated
}
