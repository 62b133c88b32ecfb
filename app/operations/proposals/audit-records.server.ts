import { and, eq } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantTx } from '../../../db/tenant-context'
import { attachments, type CityRole } from '../../../db/schema'
import {
  inProposalTransaction,
  isUuid,
  recordAudit,
  type ProposalTenant,
  type RequestActor,
} from './context.server'
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

/** A staff member's place in the city: a role, and the department for department staff. Null: no membership. */
export type StaffRoleAssignment = { role: CityRole; departmentKey: string | null } | null

export type RecordStaffRoleChangeOptions = {
  tenant: ProposalTenant
  /** The desk admin making the change. */
  actor: RequestActor
  subjectUserId: string
  before: StaffRoleAssignment
  after: StaffRoleAssignment
  ip?: string | null
}

/**
 * Audits a change to someone's staff role. Takes the caller's transaction so
 * the audit row commits or rolls back with the membership change itself.
 */
export async function recordStaffRoleChange(
  tx: TenantTx,
  options: RecordStaffRoleChangeOptions,
): Promise<void> {
  await recordAudit(tx, options.tenant, options.actor, {
    action: 'staff_role.change',
    targetType: 'user',
    targetId: options.subjectUserId,
    payload: { before: options.before, after: options.after },
    ip: options.ip,
  })
}
