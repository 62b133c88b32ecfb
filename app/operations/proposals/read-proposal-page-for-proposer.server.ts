import type { TenantTx } from '../../../db/tenant-context'
import { proposalFilesOf } from '../attachments/attach-files.server'
import { threadOf, type ThreadEntry } from '../dialogue/dialogue.server'
import { findProposal, type ProposalTenant, type RequestActor } from './context.server'
import { proposerStatusView, type ProposerStatusView } from './proposer-status-view.server'

export type ReadProposalPageForProposerOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  proposalId: string
  locale: string
  now?: Date
}

export type ProposerProposalPage = {
  status: ProposerStatusView
  thread: ThreadEntry[]
  files: { id: string; name: string; size: number }[]
}

/**
 * Everything the proposer's proposal page shows, in one transaction: the
 * proposal is found once (another organisation's is not found), then where
 * it stands (only for a member of its organisation), the thread and the files
 * are read together. Run it in its own transaction (inProposalTransaction),
 * so that a refusal rolls back the thread's read marker.
 */
export async function readProposalPageForProposer(
  tx: TenantTx,
  options: ReadProposalPageForProposerOptions,
): Promise<ProposerProposalPage> {
  const { tenant, actor } = options
  const proposal = await findProposal(tx, tenant, options.proposalId)
  // Sent together; the status refuses anyone outside the organisation, and that error rolls back the read marker.
  const [status, thread, files] = await Promise.all([
    proposerStatusView(tx, { ...options, proposal }),
    threadOf(tx, { tenant, actor, proposalId: proposal.id, now: options.now }),
    proposalFilesOf(tx, tenant, proposal.id),
  ])
  return { status, thread, files }
}
