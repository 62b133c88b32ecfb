import { and, eq } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { attachments } from '../../../db/schema'
import {
  inProposalTransaction,
  recordAudit,
  type ProposalTenant,
  type RequestActor,
} from './context.server'
import { isUuid } from '../../utils/ids'
import { AppError } from '../app-error'

export type RecordAttachmentDownloadOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  attachmentId: string
  ip?: string | null
}

export type AttachmentToServe = Pick<
  typeof attachments.$inferSelect,
  'id' | 'proposalId' | 'storedName' | 'originalName' | 'mime' | 'size' | 'sha256'
>

/**
 * Finds an attachment the actor may download (row-level security decides:
 * proposers get shared files of their proposals, staff those of proposals they
 * see) and audits the download before the route streams the file.
 */
export async function recordAttachmentDownload(
  db: RuntimeDb,
  options: RecordAttachmentDownloadOptions,
): Promise<AttachmentToServe> {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const [attachment] = isUuid(options.attachmentId)
      ? await tx
          .select({
            id: attachments.id,
            proposalId: attachments.proposalId,
            storedName: attachments.storedName,
            originalName: attachments.originalName,
            mime: attachments.mime,
            size: attachments.size,
            sha256: attachments.sha256,
          })
          .from(attachments)
          .where(and(eq(attachments.tenantId, tenant.id), eq(attachments.id, options.attachmentId)))
      : []
    if (!attachment) throw new AppError('not_found', 'No such attachment')
    await recordAudit(tx, tenant, actor, {
      action: 'attachment.download',
      targetType: 'attachment',
      targetId: attachment.id,
      payload: { proposalId: attachment.proposalId, originalName: attachment.originalName },
      ip: options.ip,
    })
    return attachment
  })
}
