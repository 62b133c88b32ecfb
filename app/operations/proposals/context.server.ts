import { and, eq, inArray, sql } from 'drizzle-orm'
import { isPlatformDefault, localize, type TenantConfig } from '@desk/tenant-config'
import { earlyAnswerDue, type Actor as EngineActor, type Lane, type Track } from '@desk/workflow'
import { withTenant, type TenantDb, type TenantTx } from '../../../db/tenant-context'
import {
  auditLog,
  cityMemberships,
  departments,
  notificationOutbox,
  organisationMembers,
  proposalDepartments,
  proposals,
  referencedRow,
} from '../../../db/schema'
import { enqueueJob } from '../../../db/queue/enqueue'
import { isUuid } from '../../utils/ids'
import { AppError } from '../app-error'

/** A city as the operations need it: its database id and its validated tenant file. */
export type ProposalTenant = {
  id: string
  config: TenantConfig
  /** The tenant file's content version, recorded with acknowledgements. */
  configVersion: string
}

/** The signed-in user and the side they act on; staff rights are looked up in the city. */
export type RequestActor = { kind: 'staff' | 'proposer'; userId: string }

export type ProposalRow = typeof proposals.$inferSelect

/** What every operation returns about a proposal: no answers, no routing. */
export type ProposalSummary = Pick<
  ProposalRow,
  | 'id'
  | 'organisationId'
  | 'proposalType'
  | 'track'
  | 'state'
  | 'version'
  | 'referenceCode'
  | 'title'
  | 'collaborationMethod'
  | 'submittedAt'
  | 'earlyAnswerDueAt'
  | 'decidedAt'
>

export function summarise(row: ProposalRow): ProposalSummary {
  const { id, organisationId, proposalType, track, state, version, referenceCode, title } = row
  const { collaborationMethod, submittedAt, earlyAnswerDueAt, decidedAt } = row
  return {
    id,
    organisationId,
    proposalType,
    track,
    state,
    version,
    referenceCode,
    title,
    collaborationMethod,
    submittedAt,
    earlyAnswerDueAt,
    decidedAt,
  }
}

/**
 * Runs `fn` in the actor's tenant transaction. The database's own refusals
 * (row-level security, a unique clash, a lock) come out as drizzle wraps them
 * and are worded at the edge (app/http/errors.server.ts), like every refusal.
 */
export async function inProposalTransaction<T>(
  db: TenantDb,
  tenant: ProposalTenant,
  actor: RequestActor,
  fn: (tx: TenantTx) => Promise<T>,
): Promise<T> {
  return withTenant(db, { tenantId: tenant.id, userId: actor.userId, actor: actor.kind }, fn)
}

/** The proposal as the actor may see it; another city's id, a forged id or someone else's draft are all "not found". */
export async function findProposal(
  tx: TenantTx,
  tenant: ProposalTenant,
  proposalId: string,
): Promise<ProposalRow> {
  const [row] = isUuid(proposalId)
    ? await tx
        .select()
        .from(proposals)
        .where(and(eq(proposals.tenantId, tenant.id), eq(proposals.id, proposalId)))
    : []
  if (!row) throw new AppError('not_found', 'No such proposal in this city')
  return row
}

export function trackOf(tenant: ProposalTenant, trackId: string): Track {
  const track = tenant.config.tracks.find((candidate) => candidate.id === trackId)
  // A stored proposal whose track left the tenant file cannot move until the file is fixed.
  if (!track) throw new AppError('invalid_transition', `The city has no track "${trackId}"`)
  return track
}

/**
 * Who the actor is to the engine for this proposal: desk or department staff
 * of the city (from their membership), or the proposer — who must belong to
 * the proposal's organisation, not merely see it. Staff whose membership was
 * read in this transaction already (withCityRole) pass it as `membership`.
 */
export async function engineActorFor(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
  proposal: ProposalRow,
  membership?: StaffMembership,
): Promise<EngineActor> {
  if (actor.kind === 'proposer') {
    if (!(await isOrganisationMember(tx, proposal.organisationId, actor.userId)))
      throw new AppError('forbidden', 'Only members of the proposing organisation act for it')
    return { kind: 'proposer' }
  }
  const { role, departmentKey } = membership ?? (await staffMembership(tx, tenant, actor))
  if (role !== 'department_staff') return { kind: 'desk' }
  return departmentKey === null ? { kind: 'department' } : { kind: 'department', departmentId: departmentKey }
}

/** Whether the user belongs to the organisation: a proposer acts only for their own organisations. */
export async function isOrganisationMember(
  tx: TenantTx,
  organisationId: string,
  userId: string,
): Promise<boolean> {
  const [member] = await tx
    .select({ userId: organisationMembers.userId })
    .from(organisationMembers)
    .where(
      and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, userId)),
    )
  return member !== undefined
}

export type StaffMembership = { role: string; departmentKey: string | null }

export async function staffMembership(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
): Promise<StaffMembership> {
  const [membership] =
    actor.kind === 'staff'
      ? await tx
          .select({ role: cityMemberships.role, departmentKey: departments.key })
          .from(cityMemberships)
          .leftJoin(departments, referencedRow(cityMemberships, cityMemberships.departmentId, departments))
          .where(and(eq(cityMemberships.tenantId, tenant.id), eq(cityMemberships.userId, actor.userId)))
      : []
  if (!membership) throw new AppError('forbidden', 'Only staff of this city may do this')
  return membership
}

/** The tenant-file ids of the departments a proposal is routed to (empty for a proposer: routing is the city's). */
export async function routedDepartmentKeys(
  tx: TenantTx,
  tenant: ProposalTenant,
  proposalId: string,
): Promise<string[]> {
  const rows = await tx
    .select({ key: departments.key })
    .from(proposalDepartments)
    .innerJoin(departments, referencedRow(proposalDepartments, proposalDepartments.departmentId, departments))
    .where(and(eq(proposalDepartments.tenantId, tenant.id), eq(proposalDepartments.proposalId, proposalId)))
  return rows.map((row) => row.key).sort()
}

/** Routes the proposal to exactly `keys`: adds the new departments, removes the others. Returns the added keys. */
export async function routeToDepartments(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
  proposalId: string,
  keys: readonly string[],
): Promise<string[]> {
  const known = await tx
    .select({ id: departments.id, key: departments.key })
    .from(departments)
    .where(and(eq(departments.tenantId, tenant.id), inArray(departments.key, [...keys])))
  const unknown = keys.filter((key) => !known.some((department) => department.key === key))
  if (unknown.length > 0) {
    throw new AppError('invalid_input', `Unknown departments: ${unknown.join(', ')}`, {
      issues: unknown.map((key) => ({
        path: ['departments'],
        message: `"${key}" is not a department of this city`,
      })),
    })
  }
  const current = await routedDepartmentKeys(tx, tenant, proposalId)
  const added = known.filter((department) => !current.includes(department.key))
  const removedKeys = current.filter((key) => !keys.includes(key))
  if (removedKeys.length > 0) {
    const removedIds = tx
      .select({ id: departments.id })
      .from(departments)
      .where(and(eq(departments.tenantId, tenant.id), inArray(departments.key, removedKeys)))
    await tx
      .delete(proposalDepartments)
      .where(
        and(
          eq(proposalDepartments.tenantId, tenant.id),
          eq(proposalDepartments.proposalId, proposalId),
          inArray(proposalDepartments.departmentId, removedIds),
        ),
      )
  }
  if (added.length > 0) {
    await tx.insert(proposalDepartments).values(
      added.map((department) => ({
        tenantId: tenant.id,
        proposalId,
        departmentId: department.id,
        assignedBy: actor.userId,
      })),
    )
  }
  return added.map((department) => department.key)
}

export async function recordAudit(
  tx: TenantTx,
  tenant: ProposalTenant,
  actor: RequestActor,
  entry: {
    action: string
    targetType: string
    targetId: string
    payload?: Record<string, unknown>
    ip?: string | null
  },
): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId: tenant.id,
    actorUserId: actor.userId,
    actorKind: actor.kind,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    ip: entry.ip ?? null,
    payload: entry.payload ?? {},
  })
}

/**
 * What every notification says of its proposal, as it is after the change: the mail names the proposal by
 * title and reference code and its stage by label, and links to the recipient's own page of it (`audience`).
 */
export function proposalNotice(proposal: ProposalRow) {
  return {
    proposalId: proposal.id,
    referenceCode: proposal.referenceCode,
    title: proposal.title,
    track: proposal.track,
    state: proposal.state,
  }
}

/**
 * Queues a notification to the proposal's submitter, in their language (the database fills the row's
 * locale with the recipient's, migration 0035: no read of another person after this transaction's
 * writes, which Citus refuses to a definer), and the job that mails it (in the same transaction).
 */
export async function notifySubmitter(
  tx: TenantTx,
  tenant: ProposalTenant,
  proposal: ProposalRow,
  kind: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  const payload = { ...details, ...proposalNotice(proposal), audience: 'proposer' }
  await tx.insert(notificationOutbox).values({
    tenantId: tenant.id,
    recipientUserId: proposal.submitterUserId,
    kind,
    payload,
    locale: sql`NULL`,
  })
  await enqueueJob(tx, 'notifications.mail', { tenantId: tenant.id })
}

/**
 * Queues a notification to the city's desk (no `departmentKeys`) or to the
 * staff of those departments. A proposer may notify the desk but not list its
 * members: the request writes one row without a recipient, and the database
 * replaces it by one row per staff member in their language, after checking
 * the writer may notify the city (a trigger on the city's own shard, migration 0035).
 */
export async function notifyCityStaff(
  tx: TenantTx,
  proposal: ProposalRow,
  kind: string,
  details: Record<string, unknown> = {},
  departmentKeys?: readonly string[],
): Promise<void> {
  const payload = { ...details, ...proposalNotice(proposal), audience: 'city' }
  const keys = departmentKeys
    ? departmentKeys.length > 0
      ? sql`ARRAY[${sql.join(
          departmentKeys.map((key) => sql`${key}`),
          sql`, `,
        )}]::text[]`
      : sql`'{}'::text[]`
    : sql`NULL::text[]`
  await tx.execute(sql`
    INSERT INTO notification_outbox (tenant_id, recipient_user_id, kind, payload, for_department_keys)
    VALUES (${proposal.tenantId}, NULL, ${kind}, ${JSON.stringify(payload)}::jsonb, ${keys})`)
  await enqueueJob(tx, 'notifications.mail', { tenantId: proposal.tenantId })
}

/**
 * The early answer's due day and whether it is (or was) late; undefined before
 * submission. `targetIsPlatformDefault`: the guideline states no number of days,
 * so the date is the portal's estimate and must not be shown to a proposer as the city's.
 */
export function earlyAnswerStatus(
  tenant: ProposalTenant,
  proposal: Pick<ProposalRow, 'submittedAt' | 'decidedAt'>,
  now: Date,
) {
  if (!proposal.submittedAt) return undefined
  const due = earlyAnswerDue(proposal.submittedAt, tenant.config.earlyAnswerTargetDays, now, {
    answeredAt: proposal.decidedAt,
  })
  return {
    dueOn: due.dueOn,
    overdue: due.overdue,
    daysRemaining: due.daysRemaining,
    answered: proposal.decidedAt !== null,
    targetIsPlatformDefault: isPlatformDefault(tenant.config, 'earlyAnswerTargetDays'),
  }
}

/** How the city names a lane on its flow charts; the lane id where it does not say. */
export function laneLabel(tenant: ProposalTenant, lane: Lane, locale: string): string {
  const label = tenant.config.laneLabels?.[lane]
  return label ? localize(label, locale, tenant.config.defaultLocale) : lane
}
