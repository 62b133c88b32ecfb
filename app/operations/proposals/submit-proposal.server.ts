import { and, eq, isNotNull, sql } from 'drizzle-orm'
import type { ZodTypeAny } from 'zod'
import { buildProposalFormSchema } from '@desk/tenant-config'
import { proposalAnswerSchemas } from '../attachments/file-answers'
import { checkTransition, DEFAULT_UTC_OFFSET_MINUTES, earlyAnswerDue, transitionsFrom } from '@desk/workflow'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantTx } from '../../../db/tenant-context'
import { organisations, proposalReferenceCounters, proposals } from '../../../db/schema'
import {
  answersWithFileChanges,
  applyFileChanges,
  NO_FILE_CHANGES,
  type FileChanges,
} from '../attachments/draft-files.server'
import {
  engineActorFor,
  findProposal,
  inProposalTransaction,
  summarise,
  trackOf,
  type ProposalRow,
  type ProposalSummary,
  type ProposalTenant,
  type RequestActor,
} from './context.server'
import { checkTheme, insertDraft, titleOf, type NewProposal } from './create-proposal-draft.server'
import { proposalErrorFromWorkflow } from './errors.server'
import { isSubmitTransition, recordTransition } from './record-transition.server'
import { AppError } from '../app-error'

export type SubmitProposalOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  /** An existing draft at the version the proposer saw, or a new proposal submitted in one go. */
  proposal: { draftId: string; expectedVersion: number } | NewProposal
  /**
   * Chosen by the client once per submission (e.g. per form rendering), unique
   * per organisation: a retried submit with the same key returns the proposal
   * the first one made instead of submitting again.
   */
  idempotencyKey: string
  /** The answers to the city's form for the proposal type, checked in full (but see `parsedFor`). */
  answers: Record<string, unknown>
  /**
   * The proposal type whose form's `posted` schema (proposalAnswerSchemas) has
   * already read `answers` — the proposal form's one parse of its submission
   * (app/http/proposal-submission.ts). Then only the file fields, which the
   * draft's saved files complete, are checked here, and a draft of another
   * type is refused.
   */
  parsedFor?: string
  /**
   * Files chosen in this request, and the draft's files taken out: linked in
   * this transaction, so a submission is never without its files and a
   * replayed one links none.
   */
  files?: FileChanges
  /** Every note of the city the proposer has read and accepted. */
  acknowledgedNoteIds: readonly string[]
  now?: Date
}

export type SubmitProposalResult = {
  proposal: ProposalSummary
  /** A submission with this idempotency key had already gone through: nothing changed, no file was linked. */
  replayed: boolean
  /** Stored names of the draft's files taken out at submission, to delete once committed. */
  unreferenced: string[]
}

/**
 * Hands a proposal to the city: the answers pass the city's form, every note
 * is acknowledged (which notes, which version of the tenant file, when), the
 * organisation is eligible, and the track's submit transition is open. The
 * proposal gets its reference code and its early-answer due date; the desk is
 * notified in the same transaction.
 */
export async function submitProposal(
  db: RuntimeDb,
  options: SubmitProposalOptions,
): Promise<SubmitProposalResult> {
  return inProposalTransaction(db, options.tenant, options.actor, (tx) => submitProposalIn(tx, options))
}

/**
 * submitProposal in a transaction the caller holds (run it through
 * inProposalTransaction), so that what goes with the submission — its files —
 * is stored in the same transaction.
 */
export async function submitProposalIn(
  tx: TenantTx,
  options: SubmitProposalOptions,
): Promise<SubmitProposalResult> {
  const { tenant, actor, idempotencyKey } = options
  const now = options.now ?? new Date()
  if (idempotencyKey.trim() === '' || idempotencyKey.length > 200) {
    throw new AppError('invalid_input', 'An idempotency key of 1 to 200 characters is required')
  }
  const target = options.proposal
  if ('draftId' in target) {
    const draft = await findProposal(tx, tenant, target.draftId)
    const earlier = await submittedWithKey(tx, tenant, draft.organisationId, idempotencyKey)
    if (earlier) return replayOf(earlier)
    // The theme the draft answers was open when it was saved; it may have closed since.
    if (!draft.submittedAt) await checkTheme(tx, tenant, { ...draft, proposalTypeId: draft.proposalType })
    return submitDraft(tx, options, draft, target.expectedVersion, now)
  }
  const earlier = await submittedWithKey(tx, tenant, target.organisationId, idempotencyKey)
  if (earlier) return replayOf(earlier)
  const draft = await insertDraft(tx, tenant, actor, target, {
    answers: options.answers,
    idempotencyKey,
    now,
  })
  // No new draft: a concurrent submit with this key got there first and has committed by now.
  if (!draft) return replayOf(await submittedWithKey(tx, tenant, target.organisationId, idempotencyKey))
  return submitDraft(tx, options, draft, draft.version, now)
}

async function submitDraft(
  tx: TenantTx,
  options: SubmitProposalOptions,
  draft: ProposalRow,
  expectedVersion: number,
  now: Date,
): Promise<SubmitProposalResult> {
  const { tenant, actor, idempotencyKey } = options
  const party = await engineActorFor(tx, tenant, actor, draft)
  if (draft.submittedAt)
    throw new AppError('invalid_transition', 'The proposal has already been submitted')
  if (draft.version !== expectedVersion) {
    throw new AppError('conflict', 'The draft has changed since it was loaded', {
      currentVersion: draft.version,
    })
  }
  const files = options.files ?? NO_FILE_CHANGES
  const answers = checkAnswers(
    tenant,
    draft.proposalType,
    answersWithFileChanges(tenant, draft, options.answers, files),
    options.parsedFor,
  )
  const acknowledgements = checkAcknowledgements(tenant, options.acknowledgedNoteIds, now)
  await checkEligibility(tx, tenant, draft.organisationId)

  const track = trackOf(tenant, draft.track)
  const submit = transitionsFrom(track, draft.state).find((transition) =>
    isSubmitTransition(track, transition),
  )
  if (!submit) {
    throw new AppError(
      'invalid_transition',
      `A proposal in "${draft.state}" cannot be submitted from there`,
    )
  }
  const check = checkTransition(track, { state: draft.state }, party, submit.id, {}, tenant.config.roleMatrix)
  if (!check.ok) throw proposalErrorFromWorkflow(check.error)

  const updated = await recordTransition(tx, {
    tenant,
    actor,
    party,
    proposal: draft,
    expectedVersion,
    check,
    set: {
      answers,
      title: titleOf(tenant, draft.proposalType, answers),
      acknowledgements,
      idempotencyKey,
      submittedAt: now,
      referenceCode: await allocateReferenceCode(tx, tenant, now),
      earlyAnswerDueAt: earlyAnswerDue(now, tenant.config.earlyAnswerTargetDays, now).dueAt,
    },
    now,
  })
  if (updated) {
    // Linked only once the submission itself went through: a replay links nothing.
    const { unreferenced } = await applyFileChanges(tx, tenant, actor, draft, answers, files)
    return { proposal: summarise(updated), replayed: false, unreferenced }
  }
  // The draft moved while we worked: if it was this very submission retried, answer as the first one did.
  return replayOf(await submittedWithKey(tx, tenant, draft.organisationId, idempotencyKey))
}

function replayOf(earlier: ProposalRow | undefined): SubmitProposalResult {
  if (!earlier) throw new AppError('conflict', 'Someone else changed this proposal at the same time')
  return { proposal: summarise(earlier), replayed: true, unreferenced: [] }
}

async function submittedWithKey(
  tx: TenantTx,
  tenant: ProposalTenant,
  organisationId: string,
  idempotencyKey: string,
): Promise<ProposalRow | undefined> {
  const [row] = await tx
    .select()
    .from(proposals)
    .where(
      and(
        eq(proposals.tenantId, tenant.id),
        eq(proposals.organisationId, organisationId),
        eq(proposals.idempotencyKey, idempotencyKey),
        isNotNull(proposals.submittedAt),
      ),
    )
  return row
}

/**
 * The answers as the city's form for the proposal type reads them: in full,
 * or — where the form's posted answers were parsed already (`parsedFor`) —
 * their file fields only, so each answer is checked once.
 */
export function checkAnswers(
  tenant: ProposalTenant,
  proposalTypeId: string,
  answers: Record<string, unknown>,
  parsedFor: string | undefined,
): Record<string, unknown> {
  if (parsedFor === undefined) return parsedOrRefused(buildProposalFormSchema(tenant.config, proposalTypeId), answers)
  if (parsedFor !== proposalTypeId)
    throw new AppError('conflict', 'The form was answered for another proposal type than the draft’s')
  const { files } = proposalAnswerSchemas(tenant.config, proposalTypeId)
  const fileAnswers = Object.fromEntries(Object.keys(files.shape).map((id) => [id, answers[id]]))
  return { ...answers, ...parsedOrRefused(files, fileAnswers) }
}

function parsedOrRefused(schema: ZodTypeAny, answers: Record<string, unknown>): Record<string, unknown> {
  const parsed = schema.safeParse(answers)
  if (parsed.success) return parsed.data as Record<string, unknown>
  // The issues' messages are keys and values (FormIssue): the edge words them in the reader's language.
  throw new AppError('invalid_input', 'Some answers need attention', {
    issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
  })
}

/** Every note of the city must be acknowledged; what is recorded says which, under which file version, and when. */
function checkAcknowledgements(tenant: ProposalTenant, acknowledged: readonly string[], now: Date) {
  const notes = tenant.config.notes?.items.map((note) => note.id) ?? []
  const missing = notes.filter((note) => !acknowledged.includes(note))
  if (missing.length > 0) {
    throw new AppError('missing_requirement', `Notes not acknowledged: ${missing.join(', ')}`, {
      issues: missing.map((note) => ({
        path: ['acknowledgedNoteIds', note],
        message: 'must be acknowledged',
      })),
    })
  }
  return { notes, configVersion: tenant.configVersion, at: now.toISOString() }
}

/** The criteria the platform decides (the organisation's kind) block a submission with their own wording as the reason. */
async function checkEligibility(tx: TenantTx, tenant: ProposalTenant, organisationId: string): Promise<void> {
  const [organisation] = await tx
    .select({ kind: organisations.kind })
    .from(organisations)
    .where(eq(organisations.id, organisationId))
  if (!organisation) throw new AppError('forbidden', 'Only members of an organisation propose for it')
  const { eligibility, defaultLocale } = tenant.config
  const excluding = eligibility.criteria.find(
    (criterion) =>
      criterion.decidedBy === 'platform' && criterion.excludesOrganisationKinds?.includes(organisation.kind),
  )
  if (excluding) {
    throw new AppError('ineligible', excluding.text[defaultLocale] ?? excluding.id, {
      criterionId: excluding.id,
    })
  }
  if (!eligibility.eligibleOrganisationKinds.includes(organisation.kind)) {
    throw new AppError(
      'ineligible',
      `Organisations of kind "${organisation.kind}" cannot propose to this city`,
    )
  }
}

/**
 * `<PREFIX>-<year>-<NNNN>`, numbered per city and calendar year (Japan time, as the city counts it):
 * the city's counter row for the prefix and year, advanced by this transaction under the row-level
 * security of the request (migration 0035). Its row lock holds the city's other submissions until this
 * one commits, so the codes are consecutive and a rolled-back submission gives its number back.
 */
async function allocateReferenceCode(tx: TenantTx, tenant: ProposalTenant, now: Date): Promise<string> {
  const prefix = tenant.config.identity.referenceCodePrefix
  const year = new Date(now.getTime() + DEFAULT_UTC_OFFSET_MINUTES * 60_000).getUTCFullYear()
  const [row] = await tx
    .insert(proposalReferenceCounters)
    .values({ tenantId: tenant.id, prefix, year, lastNumber: 1 })
    .onConflictDoUpdate({
      target: [proposalReferenceCounters.tenantId, proposalReferenceCounters.prefix, proposalReferenceCounters.year],
      set: { lastNumber: sql`${proposalReferenceCounters.lastNumber} + 1` },
    })
    .returning({ next: proposalReferenceCounters.lastNumber })
  return `${prefix}-${year}-${String(row!.next).padStart(4, '0')}`
}
