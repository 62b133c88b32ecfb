import { and, eq, inArray, isNull } from 'drizzle-orm'
import type { TenantTx } from '../../../db/tenant-context'
import { attachments } from '../../../db/schema'
import { type ProposalTenant, type RequestActor } from '../proposals/context.server'
import { isUuid } from '../../utils/ids'
import { attachFiles } from './attach-files.server'
import { fileFieldIds, withFileAnswers, type FileAnswer } from './file-answers'
import type { ReceivedFile } from './receive-uploads.server'

/** What a save or a submission changes in a proposal's own files. */
export type FileChanges = {
  /** Files this request stored, each with the id of the form field it was chosen in. */
  added: { fieldId: string; file: ReceivedFile }[]
  /** Files of the draft its proposer takes out (attachment ids). */
  removedAttachmentIds: string[]
}

export const NO_FILE_CHANGES: FileChanges = { added: [], removedAttachmentIds: [] }

/**
 * The answers with each file field as it will stand after `changes`, without
 * touching the database (the new files do not name their attachments yet):
 * what a submission checks before it links anything.
 */
export function answersWithFileChanges(
  tenant: ProposalTenant,
  proposal: { proposalType: string; answers: unknown },
  answers: Record<string, unknown>,
  changes: FileChanges,
): Record<string, unknown> {
  return withFileAnswers(answers, {
    fieldIds: fileFieldIds(tenant.config, proposal.proposalType),
    stored: (proposal.answers ?? {}) as Record<string, unknown>,
    removedAttachmentIds: changes.removedAttachmentIds,
    added: (fieldId) =>
      changes.added
        .filter((entry) => entry.fieldId === fieldId)
        .map(({ file }) => ({ name: file.originalName, mimeType: file.mime, bytes: file.size })),
  })
}

/**
 * In the caller's transaction (the save or the submission itself, so files
 * and answers change together or not at all): takes out of the draft the
 * files its proposer removed, links this request's files to it, and returns
 * the answers with each file field as it now stands — each entry naming its
 * attachment — and the stored names no row refers to any more, to be deleted
 * once the transaction has committed.
 */
export async function applyFileChanges(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
  proposal: { id: string; proposalType: string; answers: unknown },
  answers: Record<string, unknown>,
  changes: FileChanges,
): Promise<{ answers: Record<string, unknown>; unreferenced: string[] }> {
  const removedIds = changes.removedAttachmentIds.filter(isUuid)
  const removed =
    removedIds.length === 0
      ? []
      : await tx
          .delete(attachments)
          .where(
            and(
              eq(attachments.tenantId, tenant.id),
              eq(attachments.proposalId, proposal.id),
              isNull(attachments.messageId),
              inArray(attachments.id, removedIds),
            ),
          )
          .returning({ storedName: attachments.storedName })
  const ids = await attachFiles(
    tx,
    tenant,
    actor,
    { proposalId: proposal.id },
    changes.added.map((entry) => entry.file),
  )
  const added = changes.added.map(
    ({ fieldId, file }, index): { fieldId: string; answer: FileAnswer } => ({
      fieldId,
      answer: { name: file.originalName, mimeType: file.mime, bytes: file.size, attachmentId: ids[index] },
    }),
  )
  return {
    answers: withFileAnswers(answers, {
      fieldIds: fileFieldIds(tenant.config, proposal.proposalType),
      stored: (proposal.answers ?? {}) as Record<string, unknown>,
      removedAttachmentIds: removedIds,
      added: (fieldId) => added.filter((entry) => entry.fieldId === fieldId).map((entry) => entry.answer),
    }),
    unreferenced: removed.map((row) => row.storedName),
  }
}
