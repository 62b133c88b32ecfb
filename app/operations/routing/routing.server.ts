import type { Involvement } from '@desk/workflow'
import type { StepLead } from '@desk/workflow'
import type { RuntimeDb } from '../../../db/runtime'
import {
  findProposal,
  inProposalTransaction,
  notifyCityStaff,
  recordAudit,
  routeToDepartments,
  staffMembership,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'
import { ProposalError } from '../proposals/errors.server'

/**
 * Assigns a proposal to exactly these departments of the city (desk roles
 * only). Newly assigned departments are notified; the change is audited. A
 * department then finds the proposal in its own inbox (policy `proposals_staff`).
 */
export async function routeProposal(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string; departmentKeys: string[] },
): Promise<{ added: string[] }> {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const { role } = await staffMembership(tx, tenant, actor)
    if (role === 'department_staff') throw new ProposalError('forbidden', 'Routing is the desk’s')
    const keys = [...new Set(options.departmentKeys)]
    const added = await routeToDepartments(tx, tenant, actor, proposal.id, keys)
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
