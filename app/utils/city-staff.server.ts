import { randomUUID } from 'node:crypto'
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm'
import {
  auditLog,
  cityMemberships,
  departments,
  invitations,
  tenants,
  userProfileColumns,
  users,
  type CityRole,
} from '../../db/schema'
import { withTenant, type TenantTx } from '../../db/tenant-context'
import type { RuntimeDb } from '../../db/runtime'
import type { Locale } from '~/i18n'
import { AccountError } from './account-errors'
import { insertUser, type NewUser } from './accounts.server'
import type { CityStaff } from './guards.server'
import { getFixedT } from './i18n.server'
import { queueMail } from './mail.server'
import { createEmailToken, hashEmailToken } from './tokens.server'

/** City staff management (desk admins) and invitation acceptance. Every change is written to the city's audit log. */

export const INVITATION_TTL_SECONDS = 7 * 24 * 60 * 60

type Ip = string | null
type StaffAction = 'staff.invited' | 'staff.role_changed' | 'staff.removed' | 'staff.invitation_accepted'

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

function asStaff<T>(db: RuntimeDb, staff: CityStaff, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return withTenant(db, staff.tenantContext, fn)
}

/** The city's row id for a slug (live cities), or null. */
export async function findCityTenantId(db: RuntimeDb, slug: string): Promise<string | null> {
  const [row] = await withTenant(db, { tenantId: null, userId: null, actor: 'public' }, (tx) =>
    tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug)),
  )
  return row?.id ?? null
}

/** Members, pending invitations and departments of the desk admin's city. */
export function readCityStaff(db: RuntimeDb, staff: CityStaff) {
  return asStaff(db, staff, async (tx) => ({
    members: await tx
      .select({
        membershipId: cityMemberships.id,
        userId: cityMemberships.userId,
        role: cityMemberships.role,
        departmentId: cityMemberships.departmentId,
        displayName: userProfileColumns.displayName,
        email: userProfileColumns.email,
      })
      .from(cityMemberships)
      .innerJoin(users, eq(users.id, cityMemberships.userId))
      .orderBy(asc(cityMemberships.role), asc(users.displayName)),
    invitations: await tx
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        departmentId: invitations.departmentId,
        expiresAt: invitations.expiresAt,
      })
      .from(invitations)
      .where(and(isNull(invitations.usedAt), gt(invitations.expiresAt, sql`now()`)))
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
  if (!assignment.departmentId) throw new AccountError('department_required')
  const [department] = await tx
    .select({ id: departments.id })
    .from(departments)
    .where(eq(departments.id, assignment.departmentId))
  if (!department) throw new AccountError('department_required')
  return assignment
}

/** Invites someone by email to a role; the emailed link carries a token whose hash is stored. */
export async function inviteStaff(
  db: RuntimeDb,
  staff: CityStaff,
  options: RoleAssignment & { email: string; origin: string; locale: Locale; cityName: string; ip: Ip },
): Promise<void> {
  const { token, tokenHash } = createEmailToken()
  const t = await getFixedT(options.locale)
  const email = options.email.trim()
  await asStaff(db, staff, async (tx) => {
    const assignment = await checkAssignment(tx, options)
    const id = randomUUID()
    await tx.insert(invitations).values({
      tenantId: staff.tenantId,
      id,
      email,
      ...assignment,
      tokenHash,
      expiresAt: sql`now() + make_interval(secs => ${INVITATION_TTL_SECONDS})`,
      invitedBy: staff.user.id,
    })
    await queueMail(tx, {
      to: email,
      kind: 'city_invitation',
      subject: t('auth:mail.invitation.subject', { city: options.cityName }),
      text: t('auth:mail.invitation.body', {
        city: options.cityName,
        inviter: staff.user.displayName,
        role: t(`auth:roles.${assignment.role}`),
        link: `${options.origin}/${staff.citySlug}/invitation/${token}`,
        days: INVITATION_TTL_SECONDS / 86_400,
      }),
    })
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

/** Refuses a change that would leave the city without a desk admin. */
async function keepOneAdmin(tx: TenantTx, membershipId: string, newRole: CityRole | null) {
  if (newRole === 'desk_admin') return
  const admins = await tx
    .select({ id: cityMemberships.id })
    .from(cityMemberships)
    .where(eq(cityMemberships.role, 'desk_admin'))
  if (admins.length === 1 && admins[0]!.id === membershipId) throw new AccountError('last_admin')
}

async function findMembership(tx: TenantTx, membershipId: string) {
  const [membership] = await tx.select().from(cityMemberships).where(eq(cityMemberships.id, membershipId))
  if (!membership) throw new AccountError('not_found')
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
  state: 'open' | 'used' | 'expired'
}

/** An invitation of the city by its emailed token, to show before it is accepted; null when unknown. */
export async function readInvitation(
  db: RuntimeDb,
  options: { tenantId: string; token: string },
): Promise<InvitationView | null> {
  const [row] = await withTenant(db, { tenantId: options.tenantId, userId: null, actor: 'public' }, (tx) =>
    tx.execute<{
      email: string
      role: CityRole
      name_ja: string | null
      name_en: string | null
      used: boolean
      expired: boolean
    }>(
      sql`select i.email, i.role, d.name_ja, d.name_en, i.used_at is not null as used, i.expires_at <= now() as expired
            from invitation_for_token(${hashEmailToken(options.token)}) i
            left join departments d on d.tenant_id = ${options.tenantId} and d.id = i.department_id`,
    ),
  )
  if (!row) return null
  return {
    email: row.email,
    role: row.role,
    department: row.name_ja === null ? null : { nameJa: row.name_ja, nameEn: row.name_en ?? '' },
    state: row.used ? 'used' : row.expired ? 'expired' : 'open',
  }
}

async function acceptIn(tx: TenantTx, options: { tenantId: string; userId: string; token: string; ip: Ip }) {
  const [accepted] = await tx.execute<{ membership_id: string | null }>(
    sql`select accept_invitation(${hashEmailToken(options.token)}) as membership_id`,
  )
  if (!accepted?.membership_id) throw new AccountError('invalid_token')
  await audit(tx, {
    tenantId: options.tenantId,
    actorUserId: options.userId,
    action: 'staff.invitation_accepted',
    targetType: 'membership',
    targetId: accepted.membership_id,
    ip: options.ip,
    payload: {},
  })
}

/** The signed-in user accepts; their email must be the invited one. */
export async function acceptInvitation(
  db: RuntimeDb,
  options: { tenantId: string; userId: string; email: string; token: string; ip: Ip },
): Promise<void> {
  const invitation = await readInvitation(db, options)
  if (!invitation || invitation.state !== 'open') throw new AccountError('invalid_token')
  if (invitation.email.toLowerCase() !== options.email.toLowerCase()) throw new AccountError('wrong_email')
  await withTenant(db, { tenantId: options.tenantId, userId: options.userId, actor: 'staff' }, (tx) =>
    acceptIn(tx, options),
  )
}

/** Someone without an account accepts: the account (with the invited email) and the membership in one transaction. */
export async function acceptInvitationWithNewAccount(
  db: RuntimeDb,
  options: { tenantId: string; token: string; user: Omit<NewUser, 'email'>; ip: Ip },
): Promise<string> {
  const invitation = await readInvitation(db, options)
  if (!invitation || invitation.state !== 'open') throw new AccountError('invalid_token')
  const userId = randomUUID()
  await withTenant(db, { tenantId: options.tenantId, userId, actor: 'staff' }, async (tx) => {
    await insertUser(tx, userId, { ...options.user, email: invitation.email })
    await acceptIn(tx, { ...options, userId })
  })
  return userId
}
