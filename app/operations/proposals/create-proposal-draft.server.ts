import { and, count, eq, isNull, sql } from 'drizzle-orm'
import type { Track } from '@desk/workflow'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantTx } from '../../../db/tenant-context'
import { proposals, themes } from '../../../db/schema'
import { applyFileChanges, type FileChanges } from '../attachments/draft-files.server'
import {
  inProposalTransaction,
  isOrganisationMember,
  summarise,
  type ProposalRow,
  type ProposalSummary,
  type ProposalTenant,
  type RequestActor,
} from './context.server'
import { AppError } from '../app-error'

/** What a new proposal is: who proposes, of which type, on which track, answering which theme. */
export type NewProposal = {
  organisationId: string
  proposalTypeId: string
  /** Needed only where the type enters more than one track (e.g. partnership or experiment support). */
  trackId?: string
  /** The published theme a theme/issue proposal answers; none for other types. */
  themeId?: string | null
}

export type CreateProposalDraftOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  proposal: NewProposal
  /** Answers so far: a draft may be incomplete, so they are checked in full only at submission. */
  answers?: Record<string, unknown>
  /** Files chosen before the first save: stored with the draft. */
  files?: FileChanges
  now?: Date
}

/**
 * Unsubmitted drafts an organisation may keep with one city: far more than
 * anyone writes by hand, few enough that a script saving in a loop cannot
 * fill the database (issue 17, finding 9: 5,430 in four minutes).
 */
export const MAX_OPEN_DRAFTS = 100

/**
 * Refuses a new draft once the organisation has MAX_OPEN_DRAFTS with the city.
 * A transaction-scoped lock on the organisation makes the count and the insert
 * one step: concurrent saves cannot each see room for one more.
 */
async function ensureRoomForDraft(tx: TenantTx, tenant: ProposalTenant, organisationId: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`drafts:${organisationId}`}, 0))`)
  const [open] = await tx
    .select({ n: count() })
    .from(proposals)
    .where(
      and(
        eq(proposals.tenantId, tenant.id),
        eq(proposals.organisationId, organisationId),
        isNull(proposals.submittedAt),
      ),
    )
  if ((open?.n ?? 0) >= MAX_OPEN_DRAFTS)
    throw new AppError('limit_reached', `At most ${MAX_OPEN_DRAFTS} drafts per organisation and city`, {
      limit: MAX_OPEN_DRAFTS,
    })
}

/** Starts a proposal in its track's initial step, visible to its organisation only until submitted. */
export async function createProposalDraft(
  db: RuntimeDb,
  options: CreateProposalDraftOptions,
): Promise<{ proposal: ProposalSummary; unreferenced: string[] }> {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    await ensureRoomForDraft(tx, tenant, options.proposal.organisationId)
    const row = await insertDraft(tx, tenant, actor, options.proposal, {
      answers: options.answers ?? {},
      now: options.now ?? new Date(),
    })
    if (!row) throw new AppError('conflict', 'The proposal could not be created')
    if (!options.files?.added.length) return { proposal: summarise(row), unreferenced: [] }
    const { answers } = await applyFileChanges(tx, tenant, actor, row, row.answers as Record<string, unknown>, {
      added: options.files.added,
      removedAttachmentIds: [],
    })
    const [withFiles] = await tx
      .update(proposals)
      .set({ answers })
      .where(and(eq(proposals.tenantId, tenant.id), eq(proposals.id, row.id)))
      .returning()
    return { proposal: summarise(withFiles ?? row), unreferenced: [] }
  })
}

/**
 * Inserts a draft after checking what it is. With an `idempotencyKey` already
 * used by the organisation, inserts nothing and returns undefined (the caller
 * looks the existing proposal up): concurrent inserts with one key wait for
 * each other on the unique constraint instead of failing.
 */
export async function insertDraft(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
  proposal: NewProposal,
  draft: { answers: Record<string, unknown>; idempotencyKey?: string; now: Date },
): Promise<ProposalRow | undefined> {
  if (actor.kind !== 'proposer') throw new AppError('forbidden', 'Proposals are created by proposers')
  if (!(await isOrganisationMember(tx, proposal.organisationId, actor.userId)))
    throw new AppError('forbidden', 'Only members of an organisation propose for it')
  const track = trackFor(tenant, proposal)
  await checkTheme(tx, tenant, proposal)
  const [row] = await tx
    .insert(proposals)
    .values({
      tenantId: tenant.id,
      organisationId: proposal.organisationId,
      submitterUserId: actor.userId,
      proposalType: proposal.proposalTypeId,
      themeId: proposal.themeId ?? null,
      track: track.id,
      state: track.initial,
      title: titleOf(tenant, proposal.proposalTypeId, draft.answers),
      answers: draft.answers,
      idempotencyKey: draft.idempotencyKey ?? null,
      createdAt: draft.now,
      updatedAt: draft.now,
    })
    .onConflictDoNothing({ target: [proposals.tenantId, proposals.organisationId, proposals.idempotencyKey] })
    .returning()
  // A first proposal in this city lets its organisation notify the city from now on; the
  // transaction's settings say so once read again (docs/decisions/008).
  if (row) await tx.execute(sql`select app_refresh_context()`)
  return row
}

function trackFor(tenant: ProposalTenant, proposal: NewProposal): Track {
  const type = tenant.config.proposalTypes.find((candidate) => candidate.id === proposal.proposalTypeId)
  if (!type)
    throw invalidInput('proposalTypeId', `The city has no proposal type "${proposal.proposalTypeId}"`)
  const tracks = tenant.config.tracks.filter((track) => track.proposalTypes.includes(type.id))
  const track =
    proposal.trackId === undefined && tracks.length === 1
      ? tracks[0]
      : tracks.find((candidate) => candidate.id === proposal.trackId)
  if (!track) {
    throw invalidInput(
      'trackId',
      'Not one of the tracks of this proposal type',
      'proposals:new.trackNotOffered',
    )
  }
  return track
}

/** A theme proposal answers one of the city's open themes; other types answer none. */
export async function checkTheme(
  tx: TenantTx,
  tenant: ProposalTenant,
  proposal: Pick<NewProposal, 'proposalTypeId' | 'themeId'>,
): Promise<void> {
  const type = tenant.config.proposalTypes.find((candidate) => candidate.id === proposal.proposalTypeId)
  if (!type?.answersPublishedTheme) {
    if (proposal.themeId)
      throw invalidInput(
        'themeId',
        'This proposal type does not answer a theme',
        'proposals:new.themeNotAnswered',
      )
    return
  }
  const [theme] = proposal.themeId
    ? await tx
        .select({ id: themes.id })
        .from(themes)
        .where(
          and(eq(themes.tenantId, tenant.id), eq(themes.id, proposal.themeId), eq(themes.status, 'open')),
        )
    : []
  // The issue's message is a locale key: the edge words it in the reader's language.
  if (!theme)
    throw new AppError('invalid_input', "Not one of the city's open themes", {
      issues: [{ path: ['themeId'], message: 'proposals:new.themeNotOpen' }],
    })
}

/**
 * The proposal's title is the answer to the form's first required text field
 * (the subject line in every city's form); a draft without one has an empty title.
 */
export function titleOf(
  tenant: ProposalTenant,
  proposalTypeId: string,
  answers: Record<string, unknown>,
): string {
  const formId = tenant.config.proposalTypes.find((type) => type.id === proposalTypeId)?.form
  const fields = tenant.config.forms.find((form) => form.id === formId)?.fields ?? []
  const titleField = fields.find((field) => field.type === 'text' && field.required)
  const title = titleField ? answers[titleField.id] : undefined
  return typeof title === 'string' ? title.trim() : ''
}

/** A refusal at one input: `issue`, a locale key, is what the proposer reads (the edge words it). */
function invalidInput(field: string, message: string, issue = message): AppError {
  return new AppError('invalid_input', message, { issues: [{ path: [field], message: issue }] })
}
