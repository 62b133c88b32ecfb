import { and, eq } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { themes } from '../../../db/schema'
import { answersWithFileChanges, NO_FILE_CHANGES } from '../attachments/draft-files.server'
import { findProposal, inProposalTransaction } from './context.server'
import { checkTheme } from './create-proposal-draft.server'
import { checkAnswers, type SubmitProposalOptions } from './submit-proposal.server'
import { AppError } from '../app-error'

export type PreviewProposalOptions = Pick<
  SubmitProposalOptions,
  'tenant' | 'actor' | 'proposal' | 'answers' | 'parsedFor' | 'files'
>

/**
 * What a submission would hand the city, checked as submitProposal checks
 * it (the answers with the draft's saved files, the theme still open) and
 * changing nothing, in one transaction: the answers as they would be stored
 * and the theme's titles, for the proposer to read before submitting.
 */
export async function previewProposal(db: RuntimeDb, options: PreviewProposalOptions) {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const target = options.proposal
    const draft =
      'draftId' in target
        ? await findProposal(tx, tenant, target.draftId)
        : { proposalType: target.proposalTypeId, themeId: target.themeId ?? null, answers: {} }
    if ('submittedAt' in draft && (actor.kind !== 'proposer' || draft.submittedAt))
      throw new AppError('not_found', 'No such draft')
    await checkTheme(tx, tenant, { proposalTypeId: draft.proposalType, themeId: draft.themeId })
    const answers = checkAnswers(
      tenant,
      draft.proposalType,
      answersWithFileChanges(tenant, draft, options.answers, options.files ?? NO_FILE_CHANGES),
      options.parsedFor,
    )
    const [theme] = draft.themeId
      ? await tx
          .select({ titleJa: themes.titleJa, titleEn: themes.titleEn })
          .from(themes)
          .where(and(eq(themes.tenantId, tenant.id), eq(themes.id, draft.themeId)))
      : []
    return { proposalType: draft.proposalType, answers, theme }
  })
}
