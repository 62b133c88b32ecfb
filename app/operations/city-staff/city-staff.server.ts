import { randomUUID } from 'node:crypto'
import { and, asc, eq, sql } from 'drizzle-orm'
import { auditLog, cityMemberships, departments, invitations, type CityRole } from '../../../db/schema'
import { withTenant, type TenantDb, type TenantTx } from '../../../db/tenant-context'
import type { RuntimeDb } from '../../../db/runtime'
import type { Locale } from '~/i18n'
import type { NewAccount } from '../accounts/accounts.server'
import type { CityStaff } from '../actors'
import { getFixedT } from '../../utils/i18n.server'
import {
  acceptAs,
  callAcceptance,
  INVITATION_TTL_DAYS,
  invitationState,
  issueInvitation,
  pendingInvitation,
  revoked,
  type InvitationState,
  type Invitee,
} from '../invitations/invitations.server'
import { hashEmailToken } from '../../../db/tokens'
import { AppError } from '../app-error'
import { readPeople } from '../people.server'

/** City staff management (desk admins) and invitation acceptance. Every change is written to the city's audit log. */

type Ip = string | null
type StaffAction =
  | 'staff.invited'
  | 'staff.invitation_cancelled'
  | 'staff.invitation_resent'
  | 'staff.role_changed'
  | 'staff.removed'
  // Written by the accept_invitation definer (migration 0038), not by audit() below.
  | 'staff.invitation_accepted'

async function audit(
  tx: TenantTx,
  entry: {
    tenantId: string
    actorUserId: string
    action: StaffAction
    targetType: string
    targetId: string
    ip: Ip
    payload: Record<string, unknown>
  },
) {
  await tx.insert(auditLog).values({ ...entry, actorKind: 'staff' })
}

function asStaff<T>(db: TenantDb, staff: CityStaff, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return withTenant(db, staff.tenantContext, fn)
}

/** The city's row id for a slug, whatever its status (an invitee of a draft city opens the link), or null. */
export async function findCityTenantId(db: RuntimeDb, slug: string): Promise<string | null> {
  const [row] = await withTenant(db, { tenantId: null, userId: null, actor: 'public' }, (tx) =>
    tx.execute<{ id: string | null }>(sql`select tenant_id_for_slug(${slug}) as id`),
  )
  return row?.id ?? null
}

/** The city's members with their names and addresses (app_people), by role, then name. */
async function membersWithNames<T extends { userId: string; role: string }>(tx: TenantTx, members: T[]) {
  const people = await readPeople(
    tx,
    members.map((member) => member.userId),
  )
  return members
    .flatMap((member) => {
      const person = people.get(member.userId)
      return person
        ? [{ ...member, displayName: person.displayName, email: person.email, disabledAt: person.disabledAt }]
        : []
    })
    .sort((a, b) => a.role.localeCompare(b.role) || a.displayName.localeCompare(b.displayName))
}

/** Members, pending invitations and departments of the desk admin's city. */
export function readCityStaff(db: TenantDb, staff: CityStaff) {
  return asStaff(db, staff, async (tx) => ({
    members: await membersWithNames(
      tx,
      await tx
        .select({
          membershipId: cityMemberships.id,
          userId: cityMemberships.userId,
          role: cityMemberships.role,
          departmentId: cityMemberships.departmentId,
        })
        .from(cityMemberships),
    ),
    invitations: await tx
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        departmentId: invitations.departmentId,
        expiresAt: invitations.expiresAt,
      })
      .from(invitations)
      .where(pendingInvitation(invitations))
      .orderBy(asc(invitations.createdAt)),
    departments: await tx
      .select({
        id: departments.id,
        key: departments.key,
        nameJa: departments.nameJa,
        nameEn: departments.nameEn,
      })
      .from(departments)
      .orderBy(asc(departments.key)),
  }))
}

export type RoleAssignment = { role: CityRole; departmentId: string | null }

/** Department staff belong to a department of the city; desk roles to none. */
async function checkAssignment(tx: TenantTx, assignment: RoleAssignment): Promise<RoleAssignment> {
  if (assignment.role !== 'department_staff') return { role: assignment.role, departmentId: null }
  if (!assignment.departmentId) throw new AppError('department_required')
  const [department] = await tx
    .select({ id: departments.id })
    .from(departments)
    .where(eq(departments.id, assignment.departmentId))
  if (!department) throw new AppError('department_required')
  return assignment
}

type InvitationMail = { origin: string; locale: Locale; cityName: string }

/** Issues an invitation row with a fresh token and queues its mail; returns the row's id. */
async function sendStaffInvitation(
  tx: TenantTx,
  staff: CityStaff,
  options: InvitationMail & RoleAssignment & { email: string },
): Promise<string> {
  const t = await getFixedT(options.locale)
  const id = randomUUID()
  const assignment = { role: options.role, departmentId: options.departmentId }
  await issueInvitation(tx, {
    to: options.email,
    kind: 'city_invitation',
    tenantId: staff.tenantId,
    link: (token) => `${options.origin}/${staff.citySlug}/invitation/${token}`,
    mail: (link) => ({
      subject: t('auth:mail.invitation.subject', { city: options.cityName }),
      text: t('auth:mail.invitation.body', {
        city: options.cityName,
        inviter: staff.user.displayName,
        role: t(`auth:roles.${assignment.role}`),
        link,
        days: INVITATION_TTL_DAYS,
      }),
    }),
    insert: (token) =>
      tx.insert(invitations).values({
        tenantId: staff.tenantId,
        id,
        email: options.email,
        ...assignment,
        ...token,
        invitedBy: staff.user.id,
      }),
  })
  return id
}

/** Invites someone by email to a role; the emailed link carries a token whose hash is stored. */
export async function inviteStaff(
  db: RuntimeDb,
  staff: CityStaff,
  options: RoleAssignment & InvitationMail & { email: string; ip: Ip },
): Promise<void> {
  const email = options.email.trim()
  await asStaff(db, staff, async (tx) => {
    const assignment = await checkAssignment(tx, options)
    const id = await sendStaffInvitation(tx, staff, { ...options, ...assignment, email })
    await audit(tx, {
      tenantId: staff.tenantId,
      actorUserId: staff.user.id,
      action: 'staff.invited',
      targetType: 'invitation',
      targetId: id,
      ip: options.ip,
      payload: { email, ...assignment },
    })
  })
}

/** Revokes a waiting invitation of the city (its link stops working); returns it. */
async function revokeStaffInvitation(tx: TenantTx, invitationId: string) {
  const [invitation] = await tx
    .update(invitations)
    .set(revoked)
    .where(and(eq(invitations.id, invitationId), pendingInvitation(invitations)))
    .returning()
  if (!invitation) throw new AppError('no_longer_exists')
  return invitation
}

export async function cancelStaffInvitation(
  db: RuntimeDb,
  staff: CityStaff,
  options: { invitationId: string; ip: Ip },
): Promise<void> {
  await asStaff(db, staff, async (tx) => {
    const invitation = await revokeStaffInvitation(tx, options.invitationId)
    await audit(tx, {
      tenantId: staff.tenantId,
      actorUserId: staff.user.id,
      action: 'staff.invitation_cancelled',
      targetType: 'invitation',
      targetId: invitation.id,
      ip: options.ip,
      payload: { email: invitation.email },
    })
  })
}

/** Sends a waiting invitation again with a new token: the old link stops working. Returns the address. */
export async function resendStaffInvitation(
  db: RuntimeDb,
  staff: CityStaff,
  options: InvitationMail & { invitationId: string; ip: Ip },
): Promise<string> {
  return asStaff(db, staff, async (tx) => {
    const old = await revokeStaffInvitation(tx, options.invitationId)
    const id = await sendStaffInvitation(tx, staff, { ...options, ...old })
    await audit(tx, {
      tenantId: staff.tenantId,
      actorUserId: staff.user.id,
      action: 'staff.invitation_resent',
      targetType: 'invitation',
      targetId: id,
      ip: options.ip,
      payload: { email: old.email, replaces: old.id },
    })
    return old.email
  })
}

/** Refuses a change that would leave the city without a desk admin. */
async function keepOneAdmin(tx: TenantTx, membershipId: string, newRole: CityRole | null) {
  if (newRole === 'desk_admin') return
  const admins = await tx
    .select({ id: cityMemberships.id })
    .from(cityMemberships)
    .where(eq(cityMemberships.role, 'desk_admin'))
  if (admins.length === 1 && admins[0]!.id === membershipId) throw new AppError('last_admin')
}

async function findMembership(tx: TenantTx, membershipId: string) {
  const [membership] = await tx.select().from(cityMemberships).where(eq(cityMemberships.id, membershipId))
  if (!membership) throw new AppError('no_longer_exists')
  return membership
}

export async function changeStaffRole(
  db: RuntimeDb,
  staff: CityStaff,
  options: RoleAssignment & { membershipId: string; ip: Ip },
): Promise<void> {
  await asStaff(db, staff, async (tx) => {
    const before = await findMembership(tx, options.membershipId)
    const assignment = await checkAssignment(tx, options)
    await keepOneAdmin(tx, before.id, assignment.role)
    await tx
      .update(cityMemberships)
      .set({ ...assignment, updatedAt: sql`now()` })
      .where(eq(cityMemberships.id, before.id))
    await audit(tx, {
      tenantId: staff.tenantId,
      actorUserId: staff.user.id,
      action: 'staff.role_changed',
      targetType: 'user',
      targetId: before.userId,
      ip: options.ip,
      payload: { from: { role: before.role, departmentId: before.departmentId }, to: assignment },
    })
  })
}

export async function removeStaff(
  db: RuntimeDb,
  staff: CityStaff,
  options: { membershipId: string; ip: Ip },
): Promise<void> {
  await asStaff(db, staff, async (tx) => {
    const before = await findMembership(tx, options.membershipId)
    await keepOneAdmin(tx, before.id, null)
    await tx.delete(cityMemberships).where(eq(cityMemberships.id, before.id))
    await audit(tx, {
      tenantId: staff.tenantId,
      actorUserId: staff.user.id,
      action: 'staff.removed',
      targetType: 'user',
      targetId: before.userId,
      ip: options.ip,
      payload: { role: before.role, departmentId: before.departmentId },
    })
  })
}

export type InvitationView = {
  email: string
  role: CityRole
  department: { nameJa: string; nameEn: string } | null
  state: InvitationState
}

/** An invitation of the city by its emailed token, to show before it is accepted; null when unknown. */
export async function readInvitation(
  db: RuntimeDb,
  options: { tenantId: string; token: string },
): Promise<InvitationView | null> {
  const row = await withTenant(db, { tenantId: options.tenantId, userId: null, actor: 'public' }, async (tx) => {
    // The reader on its own, then the department: on Citus a definer inside a join runs on the shard.
    const [invitation] = await tx.execute<{
      email: string
      role: CityRole
      department_id: string | null
      used_at: string | null
      revoked_at: string | null
      expires_at: string
    }>(
      sql`select i.email, i.role, i.department_id, i.used_at, i.revoked_at, i.expires_at
            from invitation_for_token(${hashEmailToken(options.token)}) i`,
    )
    if (!invitation?.department_id) return invitation && { ...invitation, name_ja: null, name_en: null }
    const [department] = await tx
      .select({ name_ja: departments.nameJa, name_en: departments.nameEn })
      .from(departments)
      .where(and(eq(departments.tenantId, options.tenantId), eq(departments.id, invitation.department_id)))
    return { ...invitation, name_ja: department?.name_ja ?? null, name_en: department?.name_en ?? null }
  })
  if (!row) return null
  return {
    email: row.email,
    role: row.role,
    department: row.name_ja === null ? null : { nameJa: row.name_ja, nameEn: row.name_en ?? '' },
    state: invitationState(row),
  }
}

async function acceptIn(
  tx: TenantTx,
  options: { token: string; ip: Ip; newAccount: NewAccount | null },
) {
  // The definer writes the audit entry too (migration 0038: on Citus the request may not write the
  // city's shards after the definer has).
  const membershipId = await callAcceptance(tx, {
    definer: 'accept_invitation',
    args: [hashEmailToken(options.token), options.ip],
    newAccount: options.newAccount,
  })
  if (!membershipId) throw new AppError('invalid_token')
  // The caller's memberships are settings of the transaction (decision 008): read them again.
  await tx.execute(sql`select app_refresh_context()`)
}

/** Accepts for a signed-in user (their address must be the invited one) or with a new account; returns the user. */
export function acceptInvitation(
  db: RuntimeDb,
  options: { tenantId: string; token: string; invitee: Invitee; ip: Ip },
): Promise<string> {
  return readInvitation(db, options).then((invitation) =>
    acceptAs(db, {
      invitation,
      invitee: options.invitee,
      context: (userId) => ({ tenantId: options.tenantId, userId, actor: 'staff' }),
      accept: (tx, _userId, newAccount) => acceptIn(tx, { ...options, newAccount }),
    }),
  )
}
