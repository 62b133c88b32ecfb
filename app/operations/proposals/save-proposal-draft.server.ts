import { and, eq, isNull, sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { proposals } from '../../../db/schema'
import {
  engineActorFor,
  findProposal,
  inProposalTransaction,
  summarise,
  type ProposalSummary,
  type ProposalTenant,
  type RequestActor,
} from './context.server'
import { applyFileChanges, NO_FILE_CHANGES, type FileChanges } from '../attachments/draft-files.server'
import { titleOf } from './create-proposal-draft.server'
import { AppError } from '../app-error'

export type SaveProposalDraftOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  draftId: string
  /** The version the proposer loaded: saving over someone else's newer save is a conflict. */
  expectedVersion: number
  /** The answers so far; checked in full only at submission. */
  answers: Record<string, unknown>
  /** Files chosen in this save, and the draft's files taken out: they change with the answers. */
  files?: FileChanges
}

/** Saves a draft's answers so the proposer can come back to it; a submitted proposal is no longer a draft. */
export async function saveProposalDraft(
  db: RuntimeDb,
  options: SaveProposalDraftOptions,
): Promise<{ proposal: ProposalSummary; unreferenced: string[] }> {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const draft = await findProposal(tx, tenant, options.draftId)
    await engineActorFor(tx, tenant, actor, draft)
    if (actor.kind !== 'proposer') throw new AppError('forbidden', 'Drafts are the proposer’s')
    if (draft.submittedAt) throw new AppError('invalid_transition', 'The proposal has already been submitted')
    const { answers, unreferenced } = await applyFileChanges(
      tx,
      tenant,
      actor,
      draft,
      options.answers,
      options.files ?? NO_FILE_CHANGES,
    )
    const [updated] = await tx
      .update(proposals)
      .set({
        answers,
        title: titleOf(tenant, draft.proposalType, answers),
        version: sql`${proposals.version} + 1`,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(proposals.tenantId, tenant.id),
          eq(proposals.id, draft.id),
          eq(proposals.version, options.expectedVersion),
          isNull(proposals.submittedAt),
        ),
      )
      .returning()
    if (!updated) {
      throw new AppError('conflict', 'The draft has changed since it was loaded', {
        currentVersion: draft.version,
      })
    }
    return { proposal: summarise(updated), unreferenced }
  })
}

/**
 * A draft as its proposer left it, to continue editing — or, once it is submitted, the proposal it became:
 * a link to the draft (a bookmark, the page shown again after one city of several was submitted without
 * JavaScript) names it as submitted, never offers it to be sent again.
 */
export async function readDraft(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; draftId: string },
): Promise<
  | {
      draft: {
        id: string
        version: number
        organisationId: string
        proposalType: string
        themeId: string | null
        track: string
        answers: Record<string, unknown>
      }
    }
  | { submitted: { proposalId: string; referenceCode: string } }
> {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const draft = await findProposal(tx, tenant, options.draftId)
    if (actor.kind !== 'proposer') throw new AppError('not_found', 'No such draft')
    if (draft.submittedAt)
      return { submitted: { proposalId: draft.id, referenceCode: draft.referenceCode ?? '' } }
    const { id, version, organisationId, proposalType, themeId, track, answers } = draft
    return {
      draft: {
        id,
        version,
        organisationId,
        proposalType,
        themeId,
        track,
        answers: answers as Record<string, unknown>,
      },
    }
  })
}
