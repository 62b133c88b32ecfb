import { and, asc, eq } from 'drizzle-orm'
import { z } from 'zod'
import { isoDateSchema, MAX_TEXT_LENGTH } from '@desk/workflow'
import type { RuntimeDb } from '../../../db/runtime'
import {
  departments,
  implementationMilestones,
  implementationNotes,
  milestoneOwners,
  milestoneStatuses,
  type MilestoneOwner,
  type MilestoneStatus,
} from '../../../db/schema'
import {
  findProposal,
  inProposalTransaction,
  notifySubmitter,
  notifyCityStaff,
  recordAudit,
  type ProposalRow,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'
import { isUuid } from '../../utils/ids'
import { findAgreement, type AgreementRecord } from '../agreements/agreements.server'
import { readPeople } from '../people.server'
import type { TenantDb, TenantTx } from '../../../db/tenant-context'
import { invalidInput } from '../app-error'
import { AppError } from '../app-error'

/**
 * 伴走サポート: milestones with dates and owners, and progress notes by both
 * sides. Everything here is shared between the city and the proposing
 * organisation (there is no internal part: the city's own remarks stay in
 * internal notes). It starts once the decision to proceed chose a method.
 */

export type Milestone = {
  id: string
  title: string
  dueOn: string
  owner: MilestoneOwner
  departmentKey: string | null
  status: MilestoneStatus
}

export type ProgressNote = {
  id: string
  milestoneId: string | null
  authorSide: 'proposer' | 'city'
  authorName: string | null
  body: string
  at: Date
}

export type ImplementationView = {
  proposal: Pick<ProposalRow, 'id' | 'title' | 'referenceCode' | 'state' | 'collaborationMethod'>
  agreement: AgreementRecord | null
  milestones: Milestone[]
  notes: ProgressNote[]
}

function requireDecided(proposal: ProposalRow): void {
  if (!proposal.collaborationMethod) {
    throw new AppError('invalid_transition', 'Implementation starts once the decision to proceed is taken')
  }
}

export async function readImplementation(
  db: TenantDb,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string },
): Promise<ImplementationView> {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const milestones = await tx
      .select({
        id: implementationMilestones.id,
        title: implementationMilestones.title,
        dueOn: implementationMilestones.dueOn,
        owner: implementationMilestones.owner,
        departmentKey: departments.key,
        status: implementationMilestones.status,
      })
      .from(implementationMilestones)
      .leftJoin(
        departments,
        and(
          eq(departments.tenantId, implementationMilestones.tenantId),
          eq(departments.id, implementationMilestones.departmentId),
        ),
      )
      .where(
        and(
          eq(implementationMilestones.tenantId, tenant.id),
          eq(implementationMilestones.proposalId, proposal.id),
        ),
      )
      .orderBy(asc(implementationMilestones.dueOn), asc(implementationMilestones.createdAt))
    const notes = await tx
      .select({
        id: implementationNotes.id,
        milestoneId: implementationNotes.milestoneId,
        authorSide: implementationNotes.authorSide,
        authorUserId: implementationNotes.authorUserId,
        body: implementationNotes.body,
        at: implementationNotes.createdAt,
      })
      .from(implementationNotes)
      .where(
        and(eq(implementationNotes.tenantId, tenant.id), eq(implementationNotes.proposalId, proposal.id)),
      )
      .orderBy(asc(implementationNotes.createdAt))
    const authors = await readPeople(
      tx,
      notes.map((note) => note.authorUserId),
    )
    const { id, title, referenceCode, state, collaborationMethod } = proposal
    return {
      proposal: { id, title, referenceCode, state, collaborationMethod },
      agreement: await findAgreement(tx, tenant, proposal.id),
      milestones,
      notes: notes.map(({ authorUserId, ...note }) => ({
        ...note,
        authorName: authors.get(authorUserId ?? '')?.displayName ?? null,
      })),
    }
  })
}

const milestoneSchema = z
  .object({
    title: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    dueOn: isoDateSchema,
    owner: z.enum(milestoneOwners),
    departmentKey: z.string().optional(),
  })
  .strict()
  .refine((milestone) => milestone.owner !== 'department' || !!milestone.departmentKey, {
    message: 'must name the department that owns it',
    path: ['departmentKey'],
  })

export type MilestoneInput = z.input<typeof milestoneSchema>

async function departmentIdOf(tx: TenantTx, tenant: ProposalTenant, key: string): Promise<string> {
  const [department] = await tx
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.tenantId, tenant.id), eq(departments.key, key)))
  if (!department) invalidInput([{ path: ['departmentKey'], message: 'is not a department of this city' }])
  return department.id
}

/** The city's staff add a milestone; the proposer is told. */
export async function addMilestone(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string; input: MilestoneInput },
): Promise<string> {
  const { tenant, actor } = options
  const parsed = milestoneSchema.safeParse(options.input)
  if (!parsed.success) invalidInput(parsed.error.issues)
  const input = parsed.data
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    if (actor.kind !== 'staff') throw new AppError('forbidden', 'The city keeps the milestones')
    const proposal = await findProposal(tx, tenant, options.proposalId)
    requireDecided(proposal)
    const departmentId =
      input.owner === 'department' ? await departmentIdOf(tx, tenant, input.departmentKey!) : null
    const [row] = await tx
      .insert(implementationMilestones)
      .values({
        tenantId: tenant.id,
        proposalId: proposal.id,
        title: input.title,
        dueOn: input.dueOn,
        owner: input.owner,
        departmentId,
        createdBy: actor.userId,
      })
      .returning({ id: implementationMilestones.id })
    await recordAudit(tx, tenant, actor, {
      action: 'milestone.add',
      targetType: 'proposal',
      targetId: proposal.id,
      payload: { milestoneId: row!.id, title: input.title, dueOn: input.dueOn, owner: input.owner },
    })
    await notifySubmitter(tx, tenant, proposal, 'implementation.milestone')
    return row!.id
  })
}

/** The city's staff move a milestone on (planned → in progress → done, or postponed). */
export async function setMilestoneStatus(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    milestoneId: string
    status: string
  },
): Promise<void> {
  const { tenant, actor } = options
  const status = milestoneStatuses.find((candidate) => candidate === options.status)
  if (!status) invalidInput([{ path: ['status'], message: `must be one of ${milestoneStatuses.join(', ')}` }])
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    if (actor.kind !== 'staff') throw new AppError('forbidden', 'The city keeps the milestones')
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const updated = isUuid(options.milestoneId)
      ? await tx
          .update(implementationMilestones)
          .set({ status, updatedAt: new Date() })
          .where(
            and(
              eq(implementationMilestones.tenantId, tenant.id),
              eq(implementationMilestones.proposalId, proposal.id),
              eq(implementationMilestones.id, options.milestoneId),
            ),
          )
          .returning({ id: implementationMilestones.id })
      : []
    if (updated.length === 0) throw new AppError('not_found', 'No such milestone')
    await recordAudit(tx, tenant, actor, {
      action: 'milestone.status',
      targetType: 'proposal',
      targetId: proposal.id,
      payload: { milestoneId: options.milestoneId, status },
    })
  })
}

export const PROGRESS_NOTE_MAX_LENGTH = MAX_TEXT_LENGTH

/** A progress note by either side, optionally on one milestone; the other side is told. */
export async function postProgressNote(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    milestoneId?: string
    body: string
  },
): Promise<void> {
  const { tenant, actor } = options
  const body = options.body.trim()
  if (!body) invalidInput([{ path: ['body'], message: 'must not be empty' }])
  if (body.length > PROGRESS_NOTE_MAX_LENGTH) {
    invalidInput([{ path: ['body'], message: `must be at most ${PROGRESS_NOTE_MAX_LENGTH} characters` }])
  }
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    requireDecided(proposal)
    if (options.milestoneId) {
      const [milestone] = isUuid(options.milestoneId)
        ? await tx
            .select({ id: implementationMilestones.id })
            .from(implementationMilestones)
            .where(
              and(
                eq(implementationMilestones.tenantId, tenant.id),
                eq(implementationMilestones.proposalId, proposal.id),
                eq(implementationMilestones.id, options.milestoneId),
              ),
            )
        : []
      if (!milestone)
        invalidInput([{ path: ['milestoneId'], message: 'is not a milestone of this proposal' }])
    }
    await tx.insert(implementationNotes).values({
      tenantId: tenant.id,
      proposalId: proposal.id,
      milestoneId: options.milestoneId || null,
      authorUserId: actor.userId,
      authorSide: actor.kind === 'staff' ? 'city' : 'proposer',
      body,
    })
    if (actor.kind === 'staff') await notifySubmitter(tx, tenant, proposal, 'message.received')
    else await notifyCityStaff(tx, proposal, 'message.received')
  })
}
