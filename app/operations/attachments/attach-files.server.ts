import contentDisposition from 'content-disposition'
import { and, asc, eq, isNull } from 'drizzle-orm'
import type { TenantTx } from '../../../db/tenant-context'
import { attachments } from '../../../db/schema'
import type { ProposalTenant, RequestActor } from '../proposals/context.server'
import type { AttachmentToServe } from '../proposals/audit-records.server'
import { cleanFileName, nameForType } from './file-types'
import type { ReceivedFile } from './receive-uploads.server'
import { storedFileResponse, type FileStore } from '../../../db/file-storage/index.server'

/**
 * Links stored files to a proposal (and a message) in the caller's transaction,
 * so the records exist only if the change they belong to commits (their ids, in order). Files from
 * staff marked internal are never shown to the proposer (policy `attachments_select`).
 */
export async function attachFiles(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
  target: { proposalId: string; messageId?: string; visibility?: 'shared' | 'internal' },
  files: readonly ReceivedFile[],
): Promise<string[]> {
  if (files.length === 0) return []
  const rows = await tx
    .insert(attachments)
    .values(
      files.map((file) => ({
        tenantId: tenant.id,
        proposalId: target.proposalId,
        messageId: target.messageId ?? null,
        visibility: target.visibility ?? 'shared',
        storedName: file.storedName,
        originalName: file.originalName,
        mime: file.mime,
        size: file.size,
        sha256: file.sha256,
        uploadedBy: actor.userId,
      })),
    )
    .returning({ id: attachments.id })
  return rows.map((row) => row.id)
}

/**
 * The name a download is saved under: the stored name, cleaned again and
 * ending in its detected type's extension — a file stored before names were
 * tied to content (`report.html` holding a PDF) is saved as `report.html.pdf`.
 */
export function downloadName(attachment: Pick<AttachmentToServe, 'originalName' | 'mime'>): string {
  const name = cleanFileName(attachment.originalName)
  const typed = nameForType(name, attachment.mime)
  return typed.name ?? `${name}${typed.expected}`
}

/**
 * The download: streamed from the file store as the client reads it (a file
 * the store lacks is a 404), always as an attachment (RFC 6266:
 * an ASCII `filename` and the UTF-8 `filename*`, quoted by the
 * `content-disposition` package), never sniffed or rendered by the browser.
 */
export function attachmentResponse(
  files: FileStore,
  tenantId: string,
  attachment: AttachmentToServe,
): Promise<Response> {
  return storedFileResponse(files, { tenantId, storedName: attachment.storedName, size: attachment.size }, {
    'Content-Type': attachment.mime,
    'Content-Disposition': contentDisposition(downloadName(attachment), { type: 'attachment' }),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
  })
}

/** The files sent with a proposal already found in this transaction (not the thread's), oldest first. */
export function proposalFilesOf(
  tx: TenantTx,
  tenant: ProposalTenant,
  proposalId: string,
): Promise<{ id: string; name: string; size: number }[]> {
  return tx
    .select({ id: attachments.id, name: attachments.originalName, size: attachments.size })
    .from(attachments)
    .where(
      and(
        eq(attachments.tenantId, tenant.id),
        eq(attachments.proposalId, proposalId),
        isNull(attachments.messageId),
      ),
    )
    .orderBy(asc(attachments.createdAt))
}
