import type { Involvement } from '@desk/workflow'
import type { StepLead } from '@desk/workflow'
import type { RuntimeDb } from '../../../db/runtime'
import { proposalEvents } from '../../../db/schema'
import {
  engineActorFor,
  findProposal,
  inProposalTransaction,
  notifyCityStaff,
  recordAudit,
  routeToDepartments,
  routedDepartmentKeys,
  staffMembership,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'
import { AppError } from '../app-error'

/** The timeline event of a routing made apart from a step (its label: locales `after.events`). */
export const ROUTING_EVENT = 'departments_routed'

/**
 * Assigns a proposal to exactly these departments of the city (desk roles
 * only). Newly assigned departments are notified; the change is audited and,
 * when it changes the routing, is an internal event of the city's timeline
 * (routing is the city's own business: the proposer's history never shows it,
 * as with the routing recorded with a step). A department then finds the
 * proposal in its own inbox (policy `proposals_staff`).
 */
export async function routeProposal(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string; departmentKeys: string[] },
): Promise<{ added: string[] }> {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const { role } = await staffMembership(tx, tenant, actor)
    if (role === 'department_staff') throw new AppError('forbidden', 'Routing is the desk’s')
    const keys = [...new Set(options.departmentKeys)]
    const before = await routedDepartmentKeys(tx, tenant, proposal.id)
    const added = await routeToDepartments(tx, tenant, actor, proposal.id, keys)
    const changed = added.length > 0 || before.some((key) => !keys.includes(key))
    if (changed) {
      const party = await engineActorFor(tx, tenant, actor, proposal)
      await tx.insert(proposalEvents).values({
        tenantId: tenant.id,
        proposalId: proposal.id,
        actorUserId: actor.userId,
        actorSide: party.kind,
        fromState: proposal.state,
        toState: proposal.state,
        transition: ROUTING_EVENT,
        payload: { departments: keys },
        visibleToProposer: false,
      })
    }
    await recordAudit(tx, tenant, actor, {
      action: 'proposal.route',
      targetType: 'proposal',
      targetId: proposal.id,
      payload: { departments: keys },
    })
    if (added.length > 0) {
      await notifyCityStaff(tx, proposal, 'proposal.routed', {}, added)
    }
    return { added }
  })
}

/** "You lead / you support / as needed / not involved" for the viewer's side in the current phase. */
export type MyPart = 'lead' | 'support' | 'as_needed' | 'none'

const partOf: Record<Involvement, MyPart> = {
  lead: 'lead',
  active: 'support',
  as_needed: 'as_needed',
  none: 'none',
}

/**
 * The parts (◎ ○ △ —) are the words of a city's role matrix: without a
 * matrix cell for the proposal's method and phase there is no part to show.
 */
export function myPart(lead: StepLead | undefined, side: 'desk' | 'department'): MyPart | undefined {
  if (lead?.source !== 'matrix') return undefined
  return partOf[lead.involvement[side]]
}
