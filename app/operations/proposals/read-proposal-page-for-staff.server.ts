import type { TenantTx } from '../../../db/tenant-context'
import { proposalFilesOf } from '../attachments/attach-files.server'
import { threadOf, type ThreadEntry } from '../dialogue/dialogue.server'
import { knowHowMarksOf, type KnowHowMark } from '../know-how/know-how.server'
import { screeningOf } from '../screening/screening.server'
import { findProposal, type ProposalTenant, type RequestActor, type StaffMembership } from './context.server'
import { recordProposalRead, staffProposalView, type StaffProposalView } from './staff-proposal-view.server'

export type ReadProposalPageForStaffOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  /** The reader's membership, read in this transaction by the route's guard (withCityRole). */
  membership: StaffMembership
  proposalId: string
  locale: string
  ip?: string | null
  now?: Date
}

export type StaffProposalPage = {
  view: StaffProposalView
  screening: Awaited<ReturnType<typeof screeningOf>>
  thread: ThreadEntry[]
  files: { id: string; name: string; size: number }[]
  knowHow: KnowHowMark[]
}

/**
 * Everything the desk's proposal page shows, in the transaction that checked
 * the membership: the proposal is found once (row-level security hides one a
 * department was not routed to: not found), then the view, the screening, the
 * thread, the files and the know-how marks are read together — their
 * statements pipelined on the one connection — and the read is audited, with
 * the thread's marker, once they are all read.
 */
export async function readProposalPageForStaff(
  tx: TenantTx,
  options: ReadProposalPageForStaffOptions,
): Promise<StaffProposalPage> {
  const { tenant, actor } = options
  const proposal = await findProposal(tx, tenant, options.proposalId)
  const reads = Promise.all([
    staffProposalView(tx, { ...options, proposal }),
    screeningOf(tx, tenant, proposal.id),
    proposalFilesOf(tx, tenant, proposal.id),
    knowHowMarksOf(tx, tenant, proposal.id),
  ])
  // The read is audited with the thread's own writes, after every read of the page (threadOf's readsBefore):
  // on a Citus coordinator a definer's read (app_people) of the city's shards after this request wrote them
  // is refused ("modified in this transaction by a different user").
  const [[view, screening, files, knowHow], thread] = await Promise.all([
    reads,
    threadOf(tx, {
      tenant,
      actor,
      proposalId: proposal.id,
      now: options.now,
      readsBefore: reads,
      write: () => recordProposalRead(tx, { tenant, actor, proposalId: proposal.id, ip: options.ip }),
    }),
  ])
  return { view, screening, thread, files, knowHow }
}
