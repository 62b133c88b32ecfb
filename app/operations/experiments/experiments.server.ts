import { and, asc, eq } from 'drizzle-orm'
import { z } from 'zod'
import {
  dateFormat,
  experimentChecklist,
  stepProgress,
  stepRecording,
  type ExperimentChecklistEntry,
  type StepProgress,
} from '@desk/tenant-config'
import {
  isoDateSchema,
  MAX_TEXT_LENGTH,
  permitRecordSchema,
  receiptSchema,
  stepOf,
  type Actor as EngineActor,
  type PermitRecord,
  type Transition,
  type TransitionInput,
} from '@desk/workflow'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantDb, TenantTx } from '../../../db/tenant-context'
import {
  attachments,
  experimentChecklist as checklistRows,
  experimentPermits,
  experiments,
} from '../../../db/schema'
import { attachFiles } from '../attachments/attach-files.server'
import { readPeople } from '../people.server'
import type { ReceivedFile } from '../attachments/receive-uploads.server'
import { applyTransition, openTransitions } from '../proposals/apply-transition.server'
import {
  engineActorFor,
  findProposal,
  inProposalTransaction,
  notifyCityStaff,
  notifySubmitter,
  recordAudit,
  staffMembership,
  trackOf,
  type ProposalRow,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'
import { invalidInput } from '../app-error'
import { AppError } from '../app-error'

/**
 * 実証実験: after the agreement, a proposal on the city's experiment track is
 * carried out along a checklist read from the tenant file (the track's steps
 * with their lanes, and the proposer's duties). Both sides see the same
 * record; each writes its own items. What a step's way out requires (a use
 * permit, the report's receipt, a note) is recorded here, and recording it
 * moves the proposal on through the workflow in the same transaction.
 */

/**
 * Where a step that keeps the permits, the report or its receipt is recorded:
 * by that record's own form on the experiment page, never by ticking the item
 * (one control, one state — the record moves the proposal on).
 */
export type RecordedWith = 'permits' | 'report'

export function recordedWith(entry: ExperimentChecklistEntry): RecordedWith | null {
  if (entry.kind !== 'step') return null
  if (entry.records.includes('permits')) return 'permits'
  return entry.records.includes('report') || entry.records.includes('receipt') ? 'report' : null
}

/** Whether the proposal stands at the experiment step where the proposer hands in the report. */
export function awaitsReport(
  tenant: ProposalTenant,
  proposal: Pick<ProposalRow, 'track' | 'state'>,
): boolean {
  if (proposal.track !== tenant.config.experimentSupport?.track) return false
  return stepRecording(experimentChecklist(tenant.config), 'report')?.id === proposal.state
}

/** A Japanese calendar day (YYYY-MM-DD) of a moment. */
const dayInJapan = (at: Date) => dateFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(at)

export type ChecklistItem = ExperimentChecklistEntry & {
  recordedWith: RecordedWith | null
  progress: StepProgress | null
  ownerName: string
  dueOn: string | null
  doneOn: string | null
  note: string
  updatedBy: string | null
  /** May the reader write this item? */
  editable: boolean
}

export type Permit = {
  id: string
  kind: string
  issuedBy: string
  reference: string
  issuedOn: string
  validUntil: string | null
}

export type ExperimentRecordView = {
  offers: string[]
  periodFrom: string | null
  periodUntil: string | null
  attendedOn: string | null
  attendedBy: string
  costRule: { acknowledgedBy: string | null; acknowledgedAt: Date; version: string | null } | null
  report: { id: string; name: string; size: number; submittedAt: Date | null } | null
  reportReceivedOn: string | null
}

export type ExperimentView = {
  proposal: Pick<ProposalRow, 'id' | 'title' | 'referenceCode' | 'state' | 'version'>
  items: ChecklistItem[]
  permits: Permit[]
  record: ExperimentRecordView
  /** The way on from the current step, when the reader may take it. */
  next: { id: string; requires: Transition['requires'] } | null
}

/** The experiment track is the proposal's, and the decision to go ahead has been taken. */
function requireExperiment(
  tenant: ProposalTenant,
  proposal: ProposalRow,
  // A change to an experiment that is none is out of turn; its page, read at an address typed or kept, is none.
  code: 'invalid_transition' | 'not_found' = 'invalid_transition',
): ExperimentChecklistEntry[] {
  const support = tenant.config.experimentSupport
  if (!support || proposal.track !== support.track) {
    throw new AppError(code, 'This proposal is not on the demonstration-experiment track')
  }
  if (!proposal.collaborationMethod) {
    throw new AppError(code, 'The experiment starts once the decision to go ahead is taken')
  }
  return experimentChecklist(tenant.config)
}

/** Which items the actor writes: a proposer the proposer's items, the city's staff every item. */
function mayWrite(actor: RequestActor, entry: ExperimentChecklistEntry): boolean {
  return actor.kind === 'staff' || entry.lane === 'proposer'
}

async function findRecord(tx: TenantTx, tenant: ProposalTenant, proposalId: string) {
  const [row] = await tx
    .select({ experiment: experiments, reportName: attachments.originalName, reportSize: attachments.size })
    .from(experiments)
    .leftJoin(
      attachments,
      and(eq(attachments.tenantId, experiments.tenantId), eq(attachments.id, experiments.reportAttachmentId)),
    )
    .where(and(eq(experiments.tenantId, tenant.id), eq(experiments.proposalId, proposalId)))
  return row
}

/** Writes the experiment's own columns (creating its record on the first write). */
async function saveRecord(
  tx: TenantTx,
  tenant: ProposalTenant,
  proposalId: string,
  values: Partial<typeof experiments.$inferInsert>,
  now: Date,
) {
  const set = { ...values, updatedAt: now }
  await tx
    .insert(experiments)
    .values({ tenantId: tenant.id, proposalId, ...set })
    .onConflictDoUpdate({ target: [experiments.tenantId, experiments.proposalId], set })
}

/** The checklist, permits and record of an experiment, for the city's staff and the proposing organisation. */
export async function readExperiment(
  db: TenantDb,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string },
): Promise<ExperimentView> {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const engineActor = await engineActorFor(tx, tenant, actor, proposal)
    const entries = requireExperiment(tenant, proposal, 'not_found')
    const track = trackOf(tenant, proposal.track)
    const progress = stepProgress(entries, proposal.state, (id) => stepOf(track, id)?.terminal ?? false)
    const rows = await tx
      .select({ row: checklistRows })
      .from(checklistRows)
      .where(and(eq(checklistRows.tenantId, tenant.id), eq(checklistRows.proposalId, proposal.id)))
    const found = await findRecord(tx, tenant, proposal.id)
    const experiment = found?.experiment
    const people = await readPeople(tx, [
      ...rows.map(({ row }) => row.updatedBy),
      experiment?.costRuleAcknowledgedBy,
    ])
    // A step kept by its record is done on the day of that record.
    const recordedOn = (entry: ExperimentChecklistEntry): string | null => {
      if (entry.records.includes('receipt')) return experiment?.reportReceivedOn ?? null
      if (entry.records.includes('report'))
        return experiment?.reportSubmittedAt ? dayInJapan(experiment.reportSubmittedAt) : null
      return null
    }
    const items = entries.map((entry): ChecklistItem => {
      const row = rows.find((candidate) => candidate.row.itemKey === entry.key)
      const kept = recordedWith(entry)
      return {
        ...entry,
        recordedWith: kept,
        progress: progress.get(entry.key) ?? null,
        ownerName: row?.row.ownerName ?? '',
        dueOn: row?.row.dueOn ?? null,
        doneOn: kept ? recordedOn(entry) : (row?.row.doneOn ?? null),
        note: row?.row.note ?? '',
        updatedBy: people.get(row?.row.updatedBy ?? '')?.displayName ?? null,
        editable: mayWrite(actor, entry),
      }
    })
    const permits = await tx
      .select({
        id: experimentPermits.id,
        kind: experimentPermits.kind,
        issuedBy: experimentPermits.issuedBy,
        reference: experimentPermits.reference,
        issuedOn: experimentPermits.issuedOn,
        validUntil: experimentPermits.validUntil,
      })
      .from(experimentPermits)
      .where(and(eq(experimentPermits.tenantId, tenant.id), eq(experimentPermits.proposalId, proposal.id)))
      .orderBy(asc(experimentPermits.issuedOn), asc(experimentPermits.createdAt))
    const acknowledger = people.get(experiment?.costRuleAcknowledgedBy ?? '')
    const next = (await forwardTransition(tx, tenant, actor, proposal, entries, engineActor)) ?? null
    const { id, title, referenceCode, state, version } = proposal
    return {
      proposal: { id, title, referenceCode, state, version },
      items,
      permits,
      record: {
        offers: experiment?.offers ?? [],
        periodFrom: experiment?.periodFrom ?? null,
        periodUntil: experiment?.periodUntil ?? null,
        attendedOn: experiment?.attendedOn ?? null,
        attendedBy: experiment?.attendedBy ?? '',
        costRule: experiment?.costRuleAcknowledgedAt
          ? {
              acknowledgedBy: acknowledger?.displayName ?? null,
              acknowledgedAt: experiment.costRuleAcknowledgedAt,
              version: experiment.costRuleVersion,
            }
          : null,
        report:
          experiment?.reportAttachmentId && found?.reportName != null
            ? {
                id: experiment.reportAttachmentId,
                name: found.reportName,
                size: found.reportSize ?? 0,
                submittedAt: experiment.reportSubmittedAt,
              }
            : null,
        reportReceivedOn: experiment?.reportReceivedOn ?? null,
      },
      next: next ? { id: next.id, requires: next.requires } : null,
    }
  })
}

/** The transition from the current checklist step to a later one that the actor may take now, if any. */
async function forwardTransition(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
  proposal: ProposalRow,
  entries: readonly ExperimentChecklistEntry[],
  engineActor?: EngineActor,
): Promise<Transition | undefined> {
  const steps = entries.filter((entry) => entry.kind === 'step').map((entry) => entry.id)
  const at = steps.indexOf(proposal.state)
  if (at < 0) return undefined
  const open = await openTransitions(tx, tenant, actor, proposal, engineActor)
  return open.find((transition) => steps.indexOf(transition.to) > at)
}

/** Moves the proposal on from the current step with what the record holds, when the actor may. */
async function moveOn(
  tx: TenantTx,
  change: {
    tenant: ProposalTenant
    actor: RequestActor
    proposal: ProposalRow
    entries: readonly ExperimentChecklistEntry[]
    input: TransitionInput
    now: Date
  },
): Promise<string | null> {
  const transition = await forwardTransition(tx, change.tenant, change.actor, change.proposal, change.entries)
  if (!transition) return null
  await applyTransition(tx, { ...change, transitionId: transition.id })
  return transition.id
}

const optionalDate = isoDateSchema.optional()
const shortText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`)

const checklistInputSchema = z
  .object({
    ownerName: shortText(200).default(''),
    dueOn: optionalDate,
    doneOn: optionalDate,
    note: shortText(MAX_TEXT_LENGTH).default(''),
  })
  .strict()

export type ChecklistInput = z.input<typeof checklistInputSchema>

function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) invalidInput(parsed.error.issues)
  return parsed.data
}

/** Only the present fields of a form: a blank date means "not set". */
function present<T extends Record<string, unknown>>(input: T): T {
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== '' && value !== undefined),
  ) as T
}

/**
 * Writes one checklist item (owner, planned date, the day it was done, a
 * note). Ticking the current step done moves the proposal on where the actor
 * may take the step's way out; the item's note is the note it requires.
 */
export async function saveChecklistItem(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    itemKey: string
    input: ChecklistInput
    now?: Date
  },
): Promise<{ transitioned: string | null }> {
  const { tenant, actor } = options
  const now = options.now ?? new Date()
  const input = parse(checklistInputSchema, present(options.input))
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    await engineActorFor(tx, tenant, actor, proposal)
    const entries = requireExperiment(tenant, proposal)
    const entry = entries.find((candidate) => candidate.key === options.itemKey)
    if (!entry) invalidInput([{ path: ['itemKey'], message: 'is not an item of this checklist' }])
    if (!mayWrite(actor, entry)) throw new AppError('forbidden', 'This item is kept by the city')
    // A step kept by its record (permits, report, receipt) is done by that record only: no second "done" to disagree.
    const doneOn = recordedWith(entry) ? null : (input.doneOn ?? null)
    const values = {
      lane: entry.lane,
      ownerName: input.ownerName,
      dueOn: input.dueOn ?? null,
      doneOn,
      note: input.note,
      updatedBy: actor.userId,
      updatedAt: now,
    }
    await tx
      .insert(checklistRows)
      .values({ tenantId: tenant.id, proposalId: proposal.id, itemKey: entry.key, ...values })
      .onConflictDoUpdate({
        target: [checklistRows.tenantId, checklistRows.proposalId, checklistRows.itemKey],
        set: values,
      })
    await recordAudit(tx, tenant, actor, {
      action: 'experiment.checklist',
      targetType: 'proposal',
      targetId: proposal.id,
      payload: { item: entry.key, doneOn: values.doneOn, dueOn: values.dueOn },
    })
    if (entry.kind !== 'step' || entry.id !== proposal.state || !doneOn) return { transitioned: null }
    const transitioned = await moveOn(tx, {
      tenant,
      actor,
      proposal,
      entries,
      input: input.note ? { note: input.note } : {},
      now,
    })
    return { transitioned }
  })
}

export type PermitInput = z.input<typeof permitRecordSchema>

/** A use permit (or similar) as issued; at the permits step, recording one moves the proposal on. */
export async function recordPermit(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    input: PermitInput
    now?: Date
  },
): Promise<{ transitioned: string | null }> {
  const { tenant, actor } = options
  const now = options.now ?? new Date()
  const permit: PermitRecord = parse(permitRecordSchema, present(options.input))
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    await engineActorFor(tx, tenant, actor, proposal)
    const entries = requireExperiment(tenant, proposal)
    const step = stepRecording(entries, 'permits')
    if (!step) throw new AppError('invalid_transition', 'This city keeps no use permits for experiments')
    const [row] = await tx
      .insert(experimentPermits)
      .values({
        tenantId: tenant.id,
        proposalId: proposal.id,
        kind: permit.kind,
        issuedBy: permit.issuedBy,
        reference: permit.reference,
        issuedOn: permit.issuedOn,
        validUntil: permit.validUntil ?? null,
        recordedBy: actor.userId,
        createdAt: now,
      })
      .returning({ id: experimentPermits.id })
    await recordAudit(tx, tenant, actor, {
      action: 'experiment.permit',
      targetType: 'proposal',
      targetId: proposal.id,
      payload: {
        permitId: row!.id,
        kind: permit.kind,
        reference: permit.reference,
        issuedBy: permit.issuedBy,
      },
    })
    if (proposal.state !== step.id) return { transitioned: null }
    return {
      transitioned: await moveOn(tx, {
        tenant,
        actor,
        proposal,
        entries,
        input: { permitRecord: permit },
        now,
      }),
    }
  })
}

const detailsSchema = z
  .object({
    offers: z.array(z.string()).default([]),
    periodFrom: optionalDate,
    periodUntil: optionalDate,
    attendedOn: optionalDate,
    attendedBy: shortText(500).default(''),
  })
  .strict()
  .refine(
    (details) => !details.periodFrom || !details.periodUntil || details.periodUntil >= details.periodFrom,
    {
      message: 'must not end before it begins',
      path: ['periodUntil'],
    },
  )

export type ExperimentDetailsInput = z.input<typeof detailsSchema>

/** The city's part of the record: which of its offers apply, the experiment period, and its attendance. */
export async function saveExperimentDetails(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    input: ExperimentDetailsInput
    now?: Date
  },
): Promise<void> {
  const { tenant, actor } = options
  const details = parse(detailsSchema, present(options.input))
  const offerIds = tenant.config.experimentSupport?.cityOffers.map((offer) => offer.id) ?? []
  const unknown = details.offers.filter((offer) => !offerIds.includes(offer))
  if (unknown.length > 0) {
    invalidInput([{ path: ['offers'], message: `must be among ${offerIds.join(', ')}` }])
  }
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    if (actor.kind !== 'staff') throw new AppError('forbidden', 'The city keeps these details')
    await staffMembership(tx, tenant, actor)
    const proposal = await findProposal(tx, tenant, options.proposalId)
    requireExperiment(tenant, proposal)
    const values = {
      offers: offerIds.filter((offer) => details.offers.includes(offer)),
      periodFrom: details.periodFrom ?? null,
      periodUntil: details.periodUntil ?? null,
      attendedOn: details.attendedOn ?? null,
      attendedBy: details.attendedBy,
    }
    await saveRecord(tx, tenant, proposal.id, values, options.now ?? new Date())
    await recordAudit(tx, tenant, actor, {
      action: 'experiment.details',
      targetType: 'proposal',
      targetId: proposal.id,
      payload: values,
    })
  })
}

/** The proposer acknowledges the city's cost rule: who and when are kept, with the tenant file's version. */
export async function acknowledgeCostRule(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string; now?: Date },
): Promise<void> {
  const { tenant, actor } = options
  const now = options.now ?? new Date()
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    if (actor.kind !== 'proposer') throw new AppError('forbidden', 'The proposer acknowledges the cost rule')
    const proposal = await findProposal(tx, tenant, options.proposalId)
    await engineActorFor(tx, tenant, actor, proposal)
    requireExperiment(tenant, proposal)
    const values = {
      costRuleAcknowledgedBy: actor.userId,
      costRuleAcknowledgedAt: now,
      costRuleVersion: tenant.configVersion,
    }
    await saveRecord(tx, tenant, proposal.id, values, now)
    await recordAudit(tx, tenant, actor, {
      action: 'experiment.cost_rule',
      targetType: 'proposal',
      targetId: proposal.id,
      payload: { version: tenant.configVersion },
    })
  })
}

/** The proposer hands in the experiment's report (already stored and type checked by content); the desk is told. */
export async function submitReport(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    file?: ReceivedFile
    now?: Date
  },
): Promise<void> {
  const { tenant, actor, file } = options
  const now = options.now ?? new Date()
  if (!file) invalidInput([{ path: ['report'], message: 'must be the report file' }])
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    if (actor.kind !== 'proposer') throw new AppError('forbidden', 'The proposer hands in the report')
    const proposal = await findProposal(tx, tenant, options.proposalId)
    await engineActorFor(tx, tenant, actor, proposal)
    const entries = requireExperiment(tenant, proposal)
    if (!stepRecording(entries, 'report')) {
      throw new AppError('invalid_transition', 'This city takes no report for experiments')
    }
    const existing = await findRecord(tx, tenant, proposal.id)
    if (existing?.experiment.reportReceivedOn) {
      throw new AppError('invalid_transition', 'The report has already been received')
    }
    const [attachmentId] = await attachFiles(tx, tenant, actor, { proposalId: proposal.id }, [file])
    await saveRecord(
      tx,
      tenant,
      proposal.id,
      { reportAttachmentId: attachmentId, reportSubmittedBy: actor.userId, reportSubmittedAt: now },
      now,
    )
    await recordAudit(tx, tenant, actor, {
      action: 'experiment.report',
      targetType: 'proposal',
      targetId: proposal.id,
      payload: { attachmentId, name: file.originalName },
    })
    await notifyCityStaff(tx, proposal, 'experiment.report')
  })
}

/** The desk records the report's receipt; where the track's way out needs the report and a receipt, it is taken. */
export async function receiveReport(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    input: z.input<typeof receiptSchema>
    now?: Date
  },
): Promise<{ transitioned: string | null }> {
  const { tenant, actor } = options
  const now = options.now ?? new Date()
  const receipt = parse(receiptSchema, present(options.input))
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const membership = await staffMembership(tx, tenant, actor)
    if (membership.role === 'department_staff') throw new AppError('forbidden', 'The desk receives reports')
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const entries = requireExperiment(tenant, proposal)
    const found = await findRecord(tx, tenant, proposal.id)
    const reportId = found?.experiment.reportAttachmentId
    if (!reportId) invalidInput([{ path: ['report'], message: 'has not been handed in yet' }])
    await saveRecord(
      tx,
      tenant,
      proposal.id,
      { reportReceivedOn: receipt.receivedOn, reportReceivedBy: actor.userId },
      now,
    )
    await recordAudit(tx, tenant, actor, {
      action: 'experiment.receipt',
      targetType: 'proposal',
      targetId: proposal.id,
      payload: { receivedOn: receipt.receivedOn, attachmentId: reportId },
    })
    const transitioned = await moveOn(tx, {
      tenant,
      actor,
      proposal,
      entries,
      input: { reportFileId: reportId, receipt },
      now,
    })
    // Taking the way out tells the proposer; a receipt recorded at another step is told here.
    if (!transitioned) {
      await notifySubmitter(tx, tenant, proposal, 'experiment.receipt')
    }
    return { transitioned }
  })
}
