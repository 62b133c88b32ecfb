import { checkTransition, transitionOf, type Outcome, type TransitionInput } from '@desk/workflow'
import type { RuntimeDb } from '../../../db/runtime'
import {
  engineActorFor,
  findProposal,
  inProposalTransaction,
  routedDepartmentKeys,
  summarise,
  trackOf,
  type ProposalSummary,
  type ProposalTenant,
  type RequestActor,
} from './context.server'
import { proposalErrorFromWorkflow } from './errors.server'
import { isSubmitTransition, recordTransition } from './record-transition.server'
import { AppError } from '../app-error'

export type TransitionProposalOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  proposalId: string
  /** A transition id of the proposal's track in the tenant file. */
  transitionId: string
  /** What the transition requires (reason, decision, method, departments, agreement…), as the form sent it. */
  input: TransitionInput
  /** The version the actor saw; the change is refused as a conflict if the proposal has moved on. */
  expectedVersion: number
  /** Staff only: a remark for the city kept with the event, never shown to the proposer. */
  internalComment?: string
  now?: Date
}

export type TransitionProposalResult = { proposal: ProposalSummary; outcome: Outcome | undefined }

/**
 * Moves a proposal along its track: the engine decides whether this actor may
 * take this transition now with this input; the state is written only if the
 * proposal is still at `expectedVersion`; the event, the audit entry and the
 * notifications are written in the same transaction, so either all happen or
 * nothing does.
 */
export async function transitionProposal(
  db: RuntimeDb,
  options: TransitionProposalOptions,
): Promise<TransitionProposalResult> {
  const { tenant, actor, transitionId, expectedVersion } = options
  const now = options.now ?? new Date()
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const party = await engineActorFor(tx, tenant, actor, proposal)
    if (options.internalComment !== undefined && party.kind === 'proposer') {
      throw new AppError('forbidden', 'Internal comments are for city staff')
    }
    if (proposal.version !== expectedVersion) {
      throw new AppError('conflict', 'The proposal has changed since it was loaded', {
        currentVersion: proposal.version,
      })
    }
    const track = trackOf(tenant, proposal.track)
    const transition = transitionOf(track, transitionId)
    if (transition && !proposal.submittedAt && isSubmitTransition(track, transition)) {
      throw new AppError(
        'invalid_transition',
        'A draft is submitted with its answers and acknowledgements (submitProposal)',
      )
    }
    const check = checkTransition(
      track,
      {
        state: proposal.state,
        collaborationMethod: proposal.collaborationMethod,
        departments: await routedDepartmentKeys(tx, tenant, proposal.id),
      },
      party,
      transitionId,
      options.input,
      tenant.config.roleMatrix,
    )
    if (!check.ok) throw proposalErrorFromWorkflow(check.error)
    const updated = await recordTransition(tx, {
      tenant,
      actor,
      party,
      proposal,
      expectedVersion,
      check,
      internalComment: options.internalComment,
      now,
    })
    if (!updated) throw new AppError('conflict', 'Someone else moved this proposal at the same time')
    return { proposal: summarise(updated), outcome: check.outcome }
  })
}
