import { availableTransitions, leadOf, methodChoices, type StepLead } from '@desk/workflow'
import { localize } from '@desk/tenant-config'
import type { RuntimeDb } from '../../../db/runtime'
import {
  earlyAnswerStatus,
  engineActorFor,
  findProposal,
  inProposalTransaction,
  recordAudit,
  routedDepartmentKeys,
  trackOf,
  type ProposalRow,
  type ProposalTenant,
  type RequestActor,
} from './context.server'
import { ProposalError } from './errors.server'
import { readHistory, type HistoryEntry } from './proposal-history.server'

export type GetProposalForStaffOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  proposalId: string
  locale: string
  ip?: string | null
  now?: Date
}

export type StaffProposalView = {
  proposal: ProposalRow
  stepLabel: string
  lead: StepLead | undefined
  departments: string[]
  /** What this staff member may do now; `methods` lists the methods they may choose where the transition sets one. */
  transitions: { id: string; label: string; requires: string[]; methods: string[] | undefined }[]
  earlyAnswer: ReturnType<typeof earlyAnswerStatus>
  history: HistoryEntry[]
}

/**
 * Everything the city holds on a proposal — answers, routing, the full
 * history — for the desk or a routed department. Reading it is audited.
 */
export async function getProposalForStaff(
  db: RuntimeDb,
  options: GetProposalForStaffOptions,
): Promise<StaffProposalView> {
  const { tenant, actor, locale } = options
  if (actor.kind !== 'staff') throw new ProposalError('forbidden', 'Only city staff read a proposal in full')
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const party = await engineActorFor(tx, tenant, actor, proposal)
    await recordAudit(tx, tenant, actor, {
      action: 'proposal.read',
      targetType: 'proposal',
      targetId: proposal.id,
      ip: options.ip,
    })
    const track = trackOf(tenant, proposal.track)
    const departments = await routedDepartmentKeys(tx, tenant, proposal.id)
    const state = { state: proposal.state, collaborationMethod: proposal.collaborationMethod, departments }
    const { roleMatrix, defaultLocale } = tenant.config
    const step = track.steps.find((candidate) => candidate.id === proposal.state)
    return {
      proposal,
      stepLabel: step ? localize(step.label, locale, defaultLocale) : proposal.state,
      lead: leadOf(track, state, roleMatrix),
      departments,
      transitions: availableTransitions(track, state, party, roleMatrix).map((transition) => ({
        id: transition.id,
        label: localize(transition.label, locale, defaultLocale),
        requires: transition.requires,
        methods: transition.requires.includes('collaboration_method')
          ? methodChoices(track, transition, party, roleMatrix)
          : undefined,
      })),
      earlyAnswer: earlyAnswerStatus(tenant, proposal, options.now ?? new Date()),
      history: await readHistory(tx, tenant, proposal, 'staff', locale),
    }
  })
}
