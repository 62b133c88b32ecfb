import type { RuntimeDb } from '../../../db/runtime'
import type { FileChanges } from '../attachments/draft-files.server'
import { AppError, type AppErrorDetails } from '../app-error'
import type { ProposalTenant, RequestActor } from './context.server'
import { createProposalDraft, type NewProposal } from './create-proposal-draft.server'
import { previewProposal } from './preview-proposal.server'
import { saveProposalDraft } from './save-proposal-draft.server'
import { submitProposal, type SubmitProposalResult } from './submit-proposal.server'

/**
 * The proposal form's three buttons — save, preview, submit — for the cities
 * one form proposes to: one independent proposal per city, one tenant
 * transaction per city. The form was parsed once before (its posted answers
 * by each city's form schema, app/http/proposal-submission.ts); what depends
 * on a city's stored state (a draft's saved files, a theme still open, the
 * organisation's eligibility) is checked in that city's transaction. A
 * refusal names its city: its issues' paths begin with the city's slug.
 */

/** One city's part of the form, as parsed. */
export type CityPart = {
  tenant: ProposalTenant
  /** A draft at the version the proposer loaded, or a new proposal. */
  draft: { draftId: string; expectedVersion: number } | undefined
  proposal: NewProposal
  /** The posted answers as the type's form schema read them (no file fields). */
  answers: Record<string, unknown>
  files: FileChanges
  acknowledgedNoteIds: readonly string[]
}

type ForCities = { actor: RequestActor; cities: CityPart[] }

/**
 * Submits each city's proposal in its own transaction (with its files, its
 * reference code and the desk's notification). `onSubmitted` runs after each
 * city's commit — the caller keeps the files it linked — so a refusal by a
 * later city loses nothing of an earlier one, and the refusal names the
 * cities that went through (`details.submitted`, or a SubmissionIncomplete
 * when the later city failed rather than refused) so the proposer is told;
 * resubmitting with the same idempotency key replays them.
 */
export async function submitProposals(
  db: RuntimeDb,
  options: ForCities & {
    idempotencyKey: string
    onSubmitted: (city: CityPart, result: SubmitProposalResult) => Promise<void>
  },
): Promise<SubmitProposalResult[]> {
  const results: SubmitProposalResult[] = []
  for (const city of options.cities) {
    const submitted = results.map(({ proposal }, index) => ({
      slug: options.cities[index]!.tenant.config.slug,
      proposalId: proposal.id,
      referenceCode: proposal.referenceCode ?? '',
    }))
    const result = await inCity(city, submitted, () =>
      submitProposal(db, {
        tenant: city.tenant,
        actor: options.actor,
        proposal: city.draft ?? city.proposal,
        idempotencyKey: options.idempotencyKey,
        answers: city.answers,
        parsedFor: city.proposal.proposalTypeId,
        files: city.files,
        acknowledgedNoteIds: city.acknowledgedNoteIds,
      }),
    )
    await options.onSubmitted(city, result)
    results.push(result)
  }
  return results
}

/** Each city's proposal as it would be submitted (checked, nothing changed), one transaction per city. */
export async function previewProposals(db: RuntimeDb, options: ForCities) {
  const previews = []
  for (const city of options.cities)
    previews.push(
      await inCity(city, [], () =>
        previewProposal(db, {
          tenant: city.tenant,
          actor: options.actor,
          proposal: city.draft ?? city.proposal,
          answers: city.answers,
          parsedFor: city.proposal.proposalTypeId,
          files: city.files,
        }),
      ),
    )
  return previews
}

/**
 * Saves each city's draft (a new one, or over the version loaded), answers
 * unchecked, one transaction per city; `onSaved` runs after each commit.
 */
export async function saveProposalDrafts(
  db: RuntimeDb,
  options: ForCities & {
    onSaved: (city: CityPart, saved: { proposalId: string; unreferenced: string[] }) => Promise<void>
  },
): Promise<void> {
  const { actor } = options
  for (const city of options.cities) {
    const { tenant, answers, files } = city
    const { proposal, unreferenced } = await inCity(city, [], () =>
      city.draft
        ? saveProposalDraft(db, { tenant, actor, ...city.draft, answers, files })
        : createProposalDraft(db, { tenant, actor, proposal: city.proposal, answers, files }),
    )
    await options.onSaved(city, { proposalId: proposal.id, unreferenced })
  }
}

type Submitted = NonNullable<AppErrorDetails['submitted']>

/**
 * A later city's transaction failed — not a refusal: the database refused
 * (the city suspended a moment ago: 42501), went away or timed out, or a bug —
 * after the cities in `submitted` had committed their proposals. The failed
 * city has nothing (its transaction rolled back); the edge words `cause` and
 * tells the proposer which cities have the proposal.
 */
export class SubmissionIncomplete extends Error {
  override readonly name = 'SubmissionIncomplete'
  constructor(
    readonly submitted: Submitted,
    cause: unknown,
  ) {
    super('A later city failed after earlier cities were submitted', { cause })
  }
}

/**
 * A city's refusal with its issues under the city's slug, as the form names
 * its inputs, and the cities submitted before it, if any; any other failure
 * after earlier cities were submitted is a SubmissionIncomplete.
 */
async function inCity<T>(city: CityPart, submittedBefore: Submitted, act: () => Promise<T>): Promise<T> {
  try {
    return await act()
  } catch (error) {
    if (!(error instanceof AppError)) {
      if (submittedBefore.length > 0) throw new SubmissionIncomplete(submittedBefore, error)
      throw error
    }
    const { issues } = error.details
    throw new AppError(error.code, error.message, {
      ...error.details,
      issues: issues?.map((issue) => ({ ...issue, path: [city.tenant.config.slug, ...issue.path] })),
      ...(submittedBefore.length > 0 ? { submitted: submittedBefore } : {}),
    })
  }
}
