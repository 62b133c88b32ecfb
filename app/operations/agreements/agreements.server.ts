import { and, eq } from 'drizzle-orm'
import { z } from 'zod'
import { agreementDetailsSchema, MAX_TEXT_LENGTH, type AgreementDetails, type Transition } from '@desk/workflow'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantDb, TenantTx } from '../../../db/tenant-context'
import { agreements, attachments, type AgreementArrangement } from '../../../db/schema'
import { attachFiles } from '../attachments/attach-files.server'
import type { ReceivedFile } from '../attachments/receive-uploads.server'
import { applyTransition, openTransitions } from '../proposals/apply-transition.server'
import {
  findProposal,
  inProposalTransaction,
  recordAudit,
  staffMembership,
  type ProposalRow,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'
import { arrangementFor } from './arrangement'
import { AppError } from '../app-error'

export type AgreementRecord = {
  arrangement: AgreementArrangement
  agreementKind: string | null
  parties: string[]
  concludedOn: string | null
  validFrom: string | null
  validUntil: string | null
  note: string
  document: { id: string; name: string; size: number } | null
  updatedAt: Date
}

/** The agreement recorded for a proposal, with its signed document, as the actor may see it; null if none yet. */
export async function findAgreement(
  tx: TenantTx,
  tenant: ProposalTenant,
  proposalId: string,
): Promise<AgreementRecord | null> {
  const [row] = await tx
    .select({
      agreement: agreements,
      documentName: attachments.originalName,
      documentSize: attachments.size,
    })
    .from(agreements)
    .leftJoin(
      attachments,
      and(eq(attachments.tenantId, agreements.tenantId), eq(attachments.id, agreements.documentAttachmentId)),
    )
    .where(and(eq(agreements.tenantId, tenant.id), eq(agreements.proposalId, proposalId)))
  if (!row) return null
  const { agreement } = row
  return {
    arrangement: agreement.arrangement,
    agreementKind: agreement.agreementKind,
    parties: agreement.parties,
    concludedOn: agreement.concludedOn,
    validFrom: agreement.validFrom,
    validUntil: agreement.validUntil,
    note: agreement.note,
    document:
      agreement.documentAttachmentId && row.documentName !== null
        ? { id: agreement.documentAttachmentId, name: row.documentName, size: row.documentSize ?? 0 }
        : null,
    updatedAt: agreement.updatedAt,
  }
}

export type AgreementView = {
  proposal: Pick<
    ProposalRow,
    'id' | 'title' | 'referenceCode' | 'track' | 'state' | 'version' | 'collaborationMethod'
  >
  /** How the proposal is carried out; undefined until the decision to proceed chose a method. */
  arrangement: ReturnType<typeof arrangementFor>
  agreement: AgreementRecord | null
  /** The transition recording the agreement concludes, when the actor may take it now. */
  concludingTransition: { id: string; label: Transition['label'] } | null
}

/** What the agreement page shows: for the city's staff and for the proposing organisation. */
export async function readAgreement(
  db: TenantDb,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string },
): Promise<AgreementView> {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const concluding =
      actor.kind === 'staff' ? await concludingTransition(tx, tenant, actor, proposal) : undefined
    const { id, title, referenceCode, track, state, version, collaborationMethod } = proposal
    return {
      proposal: { id, title, referenceCode, track, state, version, collaborationMethod },
      arrangement: arrangementFor(tenant.config, collaborationMethod),
      agreement: await findAgreement(tx, tenant, proposal.id),
      concludingTransition: concluding ? { id: concluding.id, label: concluding.label } : null,
    }
  })
}

/** The transition out of the current state that requires agreement details, if this actor may take it. */
async function concludingTransition(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
  proposal: ProposalRow,
) {
  const open = await openTransitions(tx, tenant, actor, proposal)
  return open.find((transition) => transition.requires.includes('agreement'))
}

const MAX_PARTY_LENGTH = 200
/**
 * Issue messages are keys of `after:*` (the agreement page shows them in the
 * reader's language); the engine's agreement schema (packages/workflow) words
 * its issues in English for logs, so those are mapped by field and kind here.
 */
const AGREEMENT_ERRORS = {
  partyRequired: 'agreement.errors.partyRequired',
  callRequired: 'agreement.errors.callRequired',
  kind: 'agreement.errors.kind',
  documentRequired: 'agreement.errors.documentRequired',
  endBeforeStart: 'errors.periodUntil',
  date: 'errors.date',
  tooLong: 'errors.tooLong',
  invalid: 'errors.invalid',
} as const
const KEYED_MESSAGES = new Set<string>(Object.values(AGREEMENT_ERRORS))
const DATE_FIELDS = new Set(['concludedOn', 'validFrom', 'validUntil'])

function agreementIssueKey(issue: z.ZodIssue | { path: (string | number)[]; message: string }): string {
  if (KEYED_MESSAGES.has(issue.message)) return issue.message
  const field = String(issue.path[0] ?? '')
  const code = 'code' in issue ? issue.code : undefined
  if (field === 'validUntil' && code === 'custom') return AGREEMENT_ERRORS.endBeforeStart
  if (field === 'parties' && code === 'too_small') return AGREEMENT_ERRORS.partyRequired
  if (code === 'too_big') return AGREEMENT_ERRORS.tooLong
  if (DATE_FIELDS.has(field)) return AGREEMENT_ERRORS.date
  return AGREEMENT_ERRORS.invalid
}

function refuseAgreement(
  issues: readonly (z.ZodIssue | { path: (string | number)[]; message: string })[],
): never {
  throw new AppError('invalid_input', 'The agreement is not valid', {
    issues: issues.map((issue) => ({ path: issue.path, message: agreementIssueKey(issue) })),
  })
}

const optionalDate = agreementDetailsSchema.innerType().shape.concludedOn.optional()
const parties = z.array(z.string().trim().min(1).max(MAX_PARTY_LENGTH))

/** Without an agreement or via a public call: who works together, when, and (for a call) what it is. */
const arrangementSchemas = {
  no_agreement: z
    .object({
      parties: parties.min(1, AGREEMENT_ERRORS.partyRequired),
      validFrom: optionalDate,
      validUntil: optionalDate,
      note: z.string().trim().max(MAX_TEXT_LENGTH).default(''),
    })
    .strict(),
  public_call: z
    .object({
      parties,
      concludedOn: optionalDate,
      note: z.string().trim().min(1, AGREEMENT_ERRORS.callRequired).max(MAX_TEXT_LENGTH),
    })
    .strict(),
}

export type AgreementInput = {
  agreementKind?: string
  parties: string[]
  concludedOn?: string
  validFrom?: string
  validUntil?: string
  note?: string
}

export type RecordAgreementOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  proposalId: string
  input: AgreementInput
  /** The signed agreement (already type checked by content and stored); required for an agreement without one yet. */
  document?: ReceivedFile
  /** The version the desk saw: the record (and the transition it takes) is refused as a conflict if it moved. */
  expectedVersion: number
  now?: Date
}

/**
 * The desk records how a decided proposal is carried out: the agreement
 * concluded (kind from the tenant file, parties, date, term, signed
 * document), the collaboration without one, or the public call it was handed
 * to. Where the track's next transition requires agreement details (e.g.
 * "conclude the agreement") and the desk may take it, it is taken in the same
 * transaction through the engine, so the event log, the audit and the
 * proposer's notification are written with the record — or nothing is.
 */
export async function recordAgreement(
  db: RuntimeDb,
  options: RecordAgreementOptions,
): Promise<{ transitioned: string | null }> {
  const { tenant, actor, input } = options
  const now = options.now ?? new Date()
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const membership = await staffMembership(tx, tenant, actor)
    if (membership.role === 'department_staff') {
      throw new AppError('forbidden', 'The desk records agreements')
    }
    if (proposal.version !== options.expectedVersion) {
      throw new AppError('conflict', 'The proposal has changed since it was loaded', {
        currentVersion: proposal.version,
      })
    }
    const arrangement = arrangementFor(tenant.config, proposal.collaborationMethod)
    if (!arrangement) {
      throw new AppError('invalid_transition', 'No decision to proceed (collaboration method) yet')
    }
    const existing = await findAgreement(tx, tenant, proposal.id)

    let values: Omit<typeof agreements.$inferInsert, 'tenantId' | 'proposalId' | 'recordedBy'>
    let details: AgreementDetails | undefined
    if (arrangement.arrangement === 'agreement') {
      const parsed = agreementDetailsSchema.safeParse({
        kind: input.agreementKind ?? '',
        parties: input.parties,
        concludedOn: input.concludedOn ?? '',
        ...(input.validFrom ? { validFrom: input.validFrom } : {}),
        ...(input.validUntil ? { validUntil: input.validUntil } : {}),
      })
      if (!parsed.success) refuseAgreement(parsed.error.issues)
      details = parsed.data
      if (!arrangement.agreementKinds.includes(details.kind)) {
        refuseAgreement([{ path: ['kind'], message: AGREEMENT_ERRORS.kind }])
      }
      if (!options.document && !existing?.document) {
        refuseAgreement([{ path: ['document'], message: AGREEMENT_ERRORS.documentRequired }])
      }
      values = {
        arrangement: 'agreement',
        agreementKind: details.kind,
        parties: details.parties,
        concludedOn: details.concludedOn,
        validFrom: details.validFrom ?? null,
        validUntil: details.validUntil ?? null,
        note: input.note?.trim() ?? '',
      }
    } else {
      const schema = arrangementSchemas[arrangement.arrangement]
      const parsed = schema.safeParse({
        parties: input.parties,
        ...(input.concludedOn && arrangement.arrangement === 'public_call'
          ? { concludedOn: input.concludedOn }
          : {}),
        ...(input.validFrom && arrangement.arrangement === 'no_agreement' ? { validFrom: input.validFrom } : {}),
        ...(input.validUntil && arrangement.arrangement === 'no_agreement' ? { validUntil: input.validUntil } : {}),
        note: input.note ?? '',
      })
      if (!parsed.success) refuseAgreement(parsed.error.issues)
      const data = parsed.data as z.output<(typeof arrangementSchemas)['no_agreement']> &
        Partial<z.output<(typeof arrangementSchemas)['public_call']>>
      if (data.validFrom && data.validUntil && data.validUntil < data.validFrom) {
        refuseAgreement([{ path: ['validUntil'], message: AGREEMENT_ERRORS.endBeforeStart }])
      }
      values = {
        arrangement: arrangement.arrangement,
        agreementKind: null,
        parties: data.parties,
        concludedOn: data.concludedOn ?? null,
        validFrom: data.validFrom ?? null,
        validUntil: data.validUntil ?? null,
        note: data.note,
      }
    }

    const [documentId] = options.document
      ? await attachFiles(tx, tenant, actor, { proposalId: proposal.id }, [options.document])
      : []
    const row = {
      ...values,
      ...(documentId ? { documentAttachmentId: documentId } : {}),
      recordedBy: actor.userId,
      updatedAt: now,
    }
    await tx
      .insert(agreements)
      .values({ tenantId: tenant.id, proposalId: proposal.id, ...row })
      .onConflictDoUpdate({ target: [agreements.tenantId, agreements.proposalId], set: row })
    await recordAudit(tx, tenant, actor, {
      action: existing ? 'agreement.update' : 'agreement.record',
      targetType: 'proposal',
      targetId: proposal.id,
      payload: { arrangement: values.arrangement, agreementKind: values.agreementKind ?? null, documentId },
    })

    const transition = details ? await concludingTransition(tx, tenant, actor, proposal) : undefined
    if (!transition || !details) return { transitioned: null }
    await applyTransition(tx, {
      tenant,
      actor,
      proposal,
      transitionId: transition.id,
      input: { agreement: details },
      now,
    })
    return { transitioned: transition.id }
  })
}
