import { and, asc, eq, sql } from 'drizzle-orm'
import { organisationMembers, organisations, userProfileColumns, users } from '../../db/schema'
import { withTenant, type TenantTx } from '../../db/tenant-context'
import type { RuntimeDb } from '../../db/runtime'
import { AccountError } from './account-errors'
import type { NewOrganisation } from './accounts.server'
import type { OrganisationMember } from './guards.server'
import { recordAccountEvent } from './platform-audit.server'

/** An organisation's profile and members, seen and changed by its members (owners change). */

type Ip = string | null
type MemberRole = 'owner' | 'member'

function asMember<T>(
  db: RuntimeDb,
  member: OrganisationMember,
  fn: (tx: TenantTx) => Promise<T>,
): Promise<T> {
  return withTenant(db, { tenantId: null, userId: member.user.id, actor: 'proposer' }, fn)
}

export function readOrganisation(db: RuntimeDb, member: OrganisationMember) {
  return asMember(db, member, async (tx) => {
    const [organisation] = await tx
      .select()
      .from(organisations)
      .where(eq(organisations.id, member.organisationId))
    const members = await tx
      .select({
        userId: organisationMembers.userId,
        role: organisationMembers.role,
        displayName: userProfileColumns.displayName,
        email: userProfileColumns.email,
      })
      .from(organisationMembers)
      .innerJoin(users, eq(users.id, organisationMembers.userId))
      .where(eq(organisationMembers.organisationId, member.organisationId))
      .orderBy(asc(organisationMembers.role), asc(users.displayName))
    if (!organisation) throw new AccountError('not_found')
    return { organisation, members }
  })
}

export async function updateOrganisation(
  db: RuntimeDb,
  member: OrganisationMember,
  options: { profile: NewOrganisation; ip: Ip },
): Promise<void> {
  await asMember(db, member, async (tx) => {
    await tx
      .update(organisations)
      .set({ ...options.profile, updatedAt: sql`now()` })
      .where(eq(organisations.id, member.organisationId))
    await recordAccountEvent(tx, {
      action: 'organisation.updated',
      actorUserId: member.user.id,
      ip: options.ip,
      targetType: 'organisation',
      targetId: member.organisationId,
    })
  })
}

/** Refuses a change that would leave the organisation without an owner. */
async function keepOneOwner(
  tx: TenantTx,
  organisationId: string,
  userId: string,
  newRole: MemberRole | null,
) {
  if (newRole === 'owner') return
  const owners = await tx
    .select({ userId: organisationMembers.userId })
    .from(organisationMembers)
    .where(and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.role, 'owner')))
  if (owners.length === 1 && owners[0]!.userId === userId) throw new AccountError('last_owner')
}

export async function changeMemberRole(
  db: RuntimeDb,
  member: OrganisationMember,
  options: { userId: string; role: MemberRole; ip: Ip },
): Promise<void> {
  await asMember(db, member, async (tx) => {
    await keepOneOwner(tx, member.organisationId, options.userId, options.role)
    const changed = await tx
      .update(organisationMembers)
      .set({ role: options.role })
      .where(
        and(
          eq(organisationMembers.organisationId, member.organisationId),
          eq(organisationMembers.userId, options.userId),
        ),
      )
      .returning({ userId: organisationMembers.userId })
    if (changed.length === 0) throw new AccountError('not_found')
    await recordAccountEvent(tx, {
      action: 'organisation.member_role_changed',
      actorUserId: member.user.id,
      ip: options.ip,
      targetType: 'organisation',
      targetId: member.organisationId,
      payload: { userId: options.userId, role: options.role },
    })
  })
}

/** Owners remove members; any member may remove themself (leave). */
export async function removeMember(
  db: RuntimeDb,
  member: OrganisationMember,
  options: { userId: string; ip: Ip },
): Promise<void> {
  await asMember(db, member, async (tx) => {
    await keepOneOwner(tx, member.organisationId, options.userId, null)
    const removed = await tx
      .delete(organisationMembers)
      .where(
        and(
          eq(organisationMembers.organisationId, member.organisationId),
          eq(organisationMembers.userId, options.userId),
        ),
      )
      .returning({ userId: organisationMembers.userId })
    if (removed.length === 0) throw new AccountError('not_found')
    await recordAccountEvent(tx, {
      action: 'organisation.member_removed',
      actorUserId: member.user.id,
      ip: options.ip,
      targetType: 'organisation',
      targetId: member.organisationId,
      payload: { userId: options.userId },
    })
  })
}
