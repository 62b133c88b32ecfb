import { and, asc, eq, inArray, isNull } from 'drizzle-orm'
import { z } from 'zod'
import { isoDateSchema, MAX_TEXT_LENGTH } from '@desk/workflow'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantDb, TenantTx } from '../../../db/tenant-context'
import {
  disclosureDecisions,
  disclosureDocuments,
  disclosureRequestInternals,
  disclosureRequests,
  proposalEvents,
  type DisclosureDecision,
  type DisclosureStatus,
} from '../../../db/schema'
import { insertMessage } from '../dialogue/dialogue.server'
import {
  engineActorFor,
  findProposal,
  inProposalTransaction,
  notifySubmitter,
  recordAudit,
  staffMembership,
  type ProposalRow,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'
import { isUuid } from '../../utils/ids'
import { invalidInput } from '../app-error'
import { AppError } from '../app-error'

/**
 * 情報公開: a public-records request touching a proposal. The desk records it
 * (when it came, who asked — kept from the proposer — and the documents it
 * concerns) and asks the proposer in the proposal's thread which parts would
 * harm their legitimate interests; the proposer answers per document; the desk
 * decides per document (disclose, partly, withhold) with its reason. Each step
 * is an event of the proposal (shown to both sides, without who asked) and an
 * audit entry.
 */

export type DisclosureDocumentView = {
  id: string
  title: string
  proposerOpinion: string
  decision: DisclosureDecision | null
  decisionReason: string
  decidedAt: Date | null
}

export type DisclosureRequestView = {
  id: string
  receivedOn: string
  opinionDueOn: string | null
  status: DisclosureStatus
  opinion: string
  opinionAt: Date | null
  decidedAt: Date | null
  documents: DisclosureDocumentView[]
  /** The city's own part: only ever filled for the city's staff. */
  internal: { requesterDescription: string; internalNote: string } | null
}

/** The events a disclosure request writes to the proposal's log (labels: after:events.<id>). */
export const disclosureEvents = ['disclosure_requested', 'disclosure_opinion', 'disclosure_decided'] as const

async function logEvent(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
  proposal: ProposalRow,
  event: { transition: (typeof disclosureEvents)[number]; payload: Record<string, unknown>; now: Date },
) {
  const party = await engineActorFor(tx, tenant, actor, proposal)
  await tx.insert(proposalEvents).values({
    tenantId: tenant.id,
    proposalId: proposal.id,
    actorUserId: actor.userId,
    actorSide: party.kind,
    fromState: proposal.state,
    toState: proposal.state,
    transition: event.transition,
    payload: event.payload,
    visibleToProposer: true,
    at: event.now,
  })
  await recordAudit(tx, tenant, actor, {
    action: `disclosure.${event.transition.replace('disclosure_', '')}`,
    targetType: 'proposal',
    targetId: proposal.id,
    payload: event.payload,
  })
}

/** The requests touching a proposal, newest first, as the reader may see them. */
export async function readDisclosureRequests(
  db: TenantDb,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string },
): Promise<{ proposal: Pick<ProposalRow, 'id' | 'title' | 'referenceCode'>; requests: DisclosureRequestView[] }> {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    await engineActorFor(tx, tenant, actor, proposal)
    const requests = await tx
      .select()
      .from(disclosureRequests)
      .where(and(eq(disclosureRequests.tenantId, tenant.id), eq(disclosureRequests.proposalId, proposal.id)))
      .orderBy(asc(disclosureRequests.receivedOn), asc(disclosureRequests.createdAt))
    const ids = requests.map((request) => request.id)
    const documents = ids.length
      ? await tx
          .select()
          .from(disclosureDocuments)
          .where(and(eq(disclosureDocuments.tenantId, tenant.id), inArray(disclosureDocuments.requestId, ids)))
          .orderBy(asc(disclosureDocuments.position))
      : []
    // The policy returns nothing of this table to a proposer; the check keeps the intent readable.
    const internals =
      actor.kind === 'staff' && ids.length
        ? await tx
            .select()
            .from(disclosureRequestInternals)
            .where(
              and(
                eq(disclosureRequestInternals.tenantId, tenant.id),
                inArray(disclosureRequestInternals.id, ids),
              ),
            )
        : []
    const { id, title, referenceCode } = proposal
    return {
      proposal: { id, title, referenceCode },
      requests: requests.reverse().map((request) => {
        const internal = internals.find((row) => row.id === request.id)
        return {
          id: request.id,
          receivedOn: request.receivedOn,
          opinionDueOn: request.opinionDueOn,
          status: request.status,
          opinion: request.opinion,
          opinionAt: request.opinionAt,
          decidedAt: request.decidedAt,
          documents: documents
            .filter((document) => document.requestId === request.id)
            .map((document) => ({
              id: document.id,
              title: document.title,
              proposerOpinion: document.proposerOpinion,
              decision: document.decision,
              decisionReason: document.decisionReason,
              decidedAt: document.decidedAt,
            })),
          internal: internal
            ? { requesterDescription: internal.requesterDescription, internalNote: internal.internalNote }
            : null,
        }
      }),
    }
  })
}

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`)
const required = (max: number) => text(max).min(1, 'must not be empty')

const requestSchema = z
  .object({
    receivedOn: isoDateSchema,
    opinionDueOn: isoDateSchema.optional(),
    requesterDescription: required(1000),
    documents: z.array(required(300)).min(1, 'must name at least one document').max(50, 'at most 50 documents'),
    question: required(MAX_TEXT_LENGTH),
    internalNote: text(MAX_TEXT_LENGTH).default(''),
  })
  .strict()
  .refine((request) => !request.opinionDueOn || request.opinionDueOn >= request.receivedOn, {
    message: 'must not be before the request was received',
    path: ['opinionDueOn'],
  })

export type DisclosureRequestInput = z.input<typeof requestSchema>

function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) invalidInput(parsed.error.issues)
  return parsed.data
}

async function requireDesk(tx: TenantTx, tenant: ProposalTenant, actor: RequestActor) {
  const membership = await staffMembership(tx, tenant, actor)
  if (membership.role === 'department_staff') {
    throw new AppError('forbidden', 'The desk handles disclosure requests')
  }
}

/** The desk records a request and asks the proposer, in the thread, which parts would harm their interests. */
export async function recordDisclosureRequest(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    input: DisclosureRequestInput
    now?: Date
  },
): Promise<{ requestId: string }> {
  const { tenant, actor } = options
  const now = options.now ?? new Date()
  const input = parse(requestSchema, {
    ...options.input,
    opinionDueOn: options.input.opinionDueOn || undefined,
  })
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    await requireDesk(tx, tenant, actor)
    const proposal = await findProposal(tx, tenant, options.proposalId)
    if (!proposal.submittedAt) throw new AppError('invalid_transition', 'A draft holds no city records')
    const { messageId } = await insertMessage(tx, tenant, actor, proposal, { body: input.question, now })
    const [request] = await tx
      .insert(disclosureRequests)
      .values({
        tenantId: tenant.id,
        proposalId: proposal.id,
        receivedOn: input.receivedOn,
        opinionDueOn: input.opinionDueOn ?? null,
        questionMessageId: messageId,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: disclosureRequests.id })
    const requestId = request!.id
    await tx.insert(disclosureRequestInternals).values({
      tenantId: tenant.id,
      id: requestId,
      proposalId: proposal.id,
      requesterDescription: input.requesterDescription,
      internalNote: input.internalNote,
    })
    await tx.insert(disclosureDocuments).values(
      input.documents.map((title, position) => ({
        tenantId: tenant.id,
        requestId,
        proposalId: proposal.id,
        position,
        title,
      })),
    )
    // The event is shown to the proposer: who asked is not in it.
    await logEvent(tx, tenant, actor, proposal, {
      transition: 'disclosure_requested',
      payload: { requestId, receivedOn: input.receivedOn, documents: input.documents },
      now,
    })
    return { requestId }
  })
}

async function findRequest(tx: TenantTx, tenant: ProposalTenant, proposal: ProposalRow, requestId: string) {
  const [request] = isUuid(requestId)
    ? await tx
        .select()
        .from(disclosureRequests)
        .where(
          and(
            eq(disclosureRequests.tenantId, tenant.id),
            eq(disclosureRequests.proposalId, proposal.id),
            eq(disclosureRequests.id, requestId),
          ),
        )
    : []
  if (!request) throw new AppError('not_found', 'No such disclosure request')
  const documents = await tx
    .select({ id: disclosureDocuments.id, title: disclosureDocuments.title })
    .from(disclosureDocuments)
    .where(and(eq(disclosureDocuments.tenantId, tenant.id), eq(disclosureDocuments.requestId, request.id)))
    .orderBy(asc(disclosureDocuments.position))
  return { request, documents }
}

const opinionSchema = z
  .object({
    opinion: text(MAX_TEXT_LENGTH).default(''),
    documents: z.record(text(MAX_TEXT_LENGTH)).default({}),
  })
  .strict()
  .refine(
    (answer) => answer.opinion !== '' || Object.values(answer.documents).some((value) => value !== ''),
    { message: 'must say which parts would harm your interests, or that none would', path: ['opinion'] },
  )

export type DisclosureOpinionInput = z.input<typeof opinionSchema>

/**
 * The proposer's answer: per document, which parts would harm their
 * legitimate interests (and why), and an opinion on the whole. Recorded with
 * who and when, and posted to the thread so the dialogue reads as one.
 */
export async function giveDisclosureOpinion(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    requestId: string
    input: DisclosureOpinionInput
    now?: Date
  },
): Promise<void> {
  const { tenant, actor } = options
  const now = options.now ?? new Date()
  const answer = parse(opinionSchema, options.input)
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    if (actor.kind !== 'proposer') throw new AppError('forbidden', 'The proposer gives this opinion')
    const proposal = await findProposal(tx, tenant, options.proposalId)
    await engineActorFor(tx, tenant, actor, proposal)
    const { request, documents } = await findRequest(tx, tenant, proposal, options.requestId)
    if (request.status === 'decided') {
      throw new AppError('invalid_transition', 'The request has been decided')
    }
    const unknown = Object.keys(answer.documents).filter((id) => !documents.some((document) => document.id === id))
    if (unknown.length > 0) {
      invalidInput([{ path: ['documents'], message: 'names a document this request does not concern' }])
    }
    for (const document of documents) {
      await tx
        .update(disclosureDocuments)
        .set({ proposerOpinion: answer.documents[document.id] ?? '', updatedAt: now })
        .where(and(eq(disclosureDocuments.tenantId, tenant.id), eq(disclosureDocuments.id, document.id)))
    }
    await tx
      .update(disclosureRequests)
      .set({
        opinion: answer.opinion,
        opinionBy: actor.userId,
        opinionAt: now,
        status: 'opinion_received',
        updatedAt: now,
      })
      .where(and(eq(disclosureRequests.tenantId, tenant.id), eq(disclosureRequests.id, request.id)))
    const body = [
      ...documents.flatMap((document) =>
        answer.documents[document.id] ? [`${document.title}: ${answer.documents[document.id]}`] : [],
      ),
      answer.opinion,
    ]
      .filter(Boolean)
      .join('\n\n')
    await insertMessage(tx, tenant, actor, proposal, { body, now })
    await logEvent(tx, tenant, actor, proposal, {
      transition: 'disclosure_opinion',
      payload: { requestId: request.id },
      now,
    })
  })
}

const decisionsSchema = z
  .array(
    z
      .object({
        documentId: z.string(),
        decision: z.enum(disclosureDecisions, {
          errorMap: () => ({ message: `must be one of ${disclosureDecisions.join(', ')}` }),
        }),
        reason: text(MAX_TEXT_LENGTH).default(''),
      })
      .strict()
      .refine((entry) => entry.decision === 'disclose' || entry.reason !== '', {
        message: 'must give the reason for withholding',
        path: ['reason'],
      }),
  )
  .min(1, 'must decide at least one document')

export type DisclosureDecisionInput = z.input<typeof decisionsSchema>

/** The desk's decision per document; once every document is decided, so is the request. The proposer is told. */
export async function decideDisclosure(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    requestId: string
    decisions: DisclosureDecisionInput
    now?: Date
  },
): Promise<{ decided: boolean }> {
  const { tenant, actor } = options
  const now = options.now ?? new Date()
  const parsed = decisionsSchema.safeParse(options.decisions)
  if (!parsed.success) {
    // Paths by document id, so each message sits by its document's inputs.
    invalidInput(
      parsed.error.issues.map((issue) => {
        const [index, ...rest] = issue.path
        const entry = typeof index === 'number' ? options.decisions[index] : undefined
        return { path: entry ? [entry.documentId, ...rest] : issue.path, message: issue.message }
      }),
    )
  }
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    await requireDesk(tx, tenant, actor)
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const { request, documents } = await findRequest(tx, tenant, proposal, options.requestId)
    for (const entry of parsed.data) {
      if (!documents.some((document) => document.id === entry.documentId)) {
        invalidInput([{ path: ['documentId'], message: 'is not a document of this request' }])
      }
      await tx
        .update(disclosureDocuments)
        .set({
          decision: entry.decision,
          decisionReason: entry.reason,
          decidedBy: actor.userId,
          decidedAt: now,
          updatedAt: now,
        })
        .where(and(eq(disclosureDocuments.tenantId, tenant.id), eq(disclosureDocuments.id, entry.documentId)))
    }
    const undecided = await tx
      .select({ id: disclosureDocuments.id })
      .from(disclosureDocuments)
      .where(
        and(
          eq(disclosureDocuments.tenantId, tenant.id),
          eq(disclosureDocuments.requestId, request.id),
          isNull(disclosureDocuments.decision),
        ),
      )
    const decided = undecided.length === 0
    if (decided) {
      await tx
        .update(disclosureRequests)
        .set({ status: 'decided', decidedAt: now, updatedAt: now })
        .where(and(eq(disclosureRequests.tenantId, tenant.id), eq(disclosureRequests.id, request.id)))
    }
    await logEvent(tx, tenant, actor, proposal, {
      transition: 'disclosure_decided',
      payload: {
        requestId: request.id,
        decisions: parsed.data.map((entry) => ({
          document: documents.find((document) => document.id === entry.documentId)?.title,
          decision: entry.decision,
        })),
      },
      now,
    })
    await notifySubmitter(tx, tenant, proposal, 'disclosure.decided')
    return { decided }
  })
}
