import {
  availableTransitions,
  leadOf,
  methodChoices,
  stepOf,
  type Actor as EngineActor,
  type Lane,
  type StepLead,
  type Track,
} from '@desk/workflow'
import { localize } from '@desk/tenant-config'
import type { TenantTx } from '../../../db/tenant-context'
import {
  earlyAnswerStatus,
  engineActorFor,
  recordAudit,
  routedDepartmentKeys,
  trackOf,
  type ProposalRow,
  type ProposalTenant,
  type RequestActor,
  type StaffMembership,
} from './context.server'
import { readHistory, type HistoryEntry } from './proposal-history.server'
import { AppError } from '../app-error'

export type StaffProposalViewOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  /** The reader's membership, read in this transaction (withCityRole). */
  membership: StaffMembership
  proposal: ProposalRow
  locale: string
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
  /** Who else may move the proposal on from here, and how: the sides other than the reader's, with their ways on. */
  nextActors: { side: Lane; transitions: string[] }[]
}

/**
 * The sides other than `reader` that may move the proposal on from its step,
 * with the labels of their ways on. A proposer's withdrawal is always open and
 * is not what the step waits for: it is left out.
 */
function otherActors(
  track: Track,
  state: Parameters<typeof availableTransitions>[1],
  reader: EngineActor,
  roleMatrix: Parameters<typeof availableTransitions>[3],
  label: (text: Parameters<typeof localize>[0]) => string,
): { side: Lane; transitions: string[] }[] {
  const parties: EngineActor[] = [
    { kind: 'desk' },
    state.departments?.length
      ? { kind: 'department', departmentId: state.departments[0]! }
      : { kind: 'department' },
    { kind: 'proposer' },
  ]
  return parties
    .filter((party) => party.kind !== reader.kind)
    .map((party) => ({
      side: party.kind,
      transitions: availableTransitions(track, state, party, roleMatrix)
        .filter((transition) => stepOf(track, transition.to)?.outcome !== 'withdrawn')
        .map((transition) => label(transition.label)),
    }))
    .filter((actor) => actor.transitions.length > 0)
}

/** The audit record of a staff member reading a proposal in full. */
export function recordProposalRead(
  tx: TenantTx,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string; ip?: string | null },
) {
  return recordAudit(tx, options.tenant, options.actor, {
    action: 'proposal.read',
    targetType: 'proposal',
    targetId: options.proposalId,
    ip: options.ip,
  })
}

/**
 * Everything the city holds on a proposal already found in this transaction —
 * answers, routing, the full history — for the desk or a routed department.
 * The routing and the history are sent together. Reading it is audited by the
 * caller (recordProposalRead), with its own writes.
 */
export async function staffProposalView(
  tx: TenantTx,
  options: StaffProposalViewOptions,
): Promise<StaffProposalView> {
  const { tenant, actor, locale, proposal } = options
  if (actor.kind !== 'staff') throw new AppError('forbidden', 'Only city staff read a proposal in full')
  const track = trackOf(tenant, proposal.track)
  const [party, departments, history] = await Promise.all([
    engineActorFor(tx, tenant, actor, proposal, options.membership),
    routedDepartmentKeys(tx, tenant, proposal.id),
    readHistory(tx, tenant, proposal, 'staff', locale),
  ])
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
    history,
    nextActors: otherActors(track, state, party, roleMatrix, (text) => localize(text, locale, defaultLocale)),
  }
}
