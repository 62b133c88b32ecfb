import { randomUUID } from 'node:crypto'
import { and, asc, eq, sql } from 'drizzle-orm'
import { organisationInvitations, organisationMembers, organisations } from '../../../db/schema'
import { withTenant, type TenantDb, type TenantTx } from '../../../db/tenant-context'
import type { RuntimeDb } from '../../../db/runtime'
import type { Locale } from '~/i18n'
import type { NewAccount, NewOrganisation } from '../accounts/accounts.server'
import type { OrganisationMember } from '../actors'
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
import { recordAccountEvent } from '../platform-audit/platform-audit.server'
import { hashEmailToken } from '../../../db/tokens'
import { AppError } from '../app-error'
import { readPeople } from '../people.server'

/** An organisation's profile, members and invitations, seen and changed by its members (owners change). */

type Ip = string | null
type MemberRole = 'owner' | 'member'

function asMember<T>(db: TenantDb, member: OrganisationMember, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return withTenant(db, member.tenantContext, fn)
}

/** In the transaction that checked the membership when given it (withOrgMember), else in its own. */
export function readOrganisation(db: TenantDb, member: OrganisationMember) {
  return asMember(db, member, async (tx) => {
    const [organisation] = await tx
      .select()
      .from(organisations)
      .where(eq(organisations.id, member.organisationId))
    const memberships = await tx
      .select({ userId: organisationMembers.userId, role: organisationMembers.role })
      .from(organisationMembers)
      .where(eq(organisationMembers.organisationId, member.organisationId))
    // Names and addresses through app_people (the users policy shows a member only themself).
    const people = await readPeople(
      tx,
      memberships.map((membership) => membership.userId),
    )
    const members = memberships
      .flatMap((membership) => {
        const person = people.get(membership.userId)
        return person ? [{ ...membership, displayName: person.displayName, email: person.email }] : []
      })
      .sort((a, b) => a.role.localeCompare(b.role) || a.displayName.localeCompare(b.displayName))
    // Owners only: the row-level policy shows a plain member none.
    const invitations = await tx
      .select({
        id: organisationInvitations.id,
        email: organisationInvitations.email,
        role: organisationInvitations.role,
        expiresAt: organisationInvitations.expiresAt,
      })
      .from(organisationInvitations)
      .where(
        and(
          eq(organisationInvitations.organisationId, member.organisationId),
          pendingInvitation(organisationInvitations),
        ),
      )
      .orderBy(asc(organisationInvitations.createdAt))
    if (!organisation) throw new AppError('no_longer_exists')
    return { organisation, members, invitations }
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
  if (owners.length === 1 && owners[0]!.userId === userId) throw new AppError('last_owner')
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
    if (changed.length === 0) throw new AppError('no_longer_exists')
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
    if (removed.length === 0) throw new AppError('no_longer_exists')
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

type InvitationMail = { origin: string; locale: Locale }

/** Issues an invitation row with a fresh token and queues its mail; returns the row's id. */
async function sendMemberInvitation(
  tx: TenantTx,
  member: OrganisationMember,
  options: InvitationMail & { email: string; role: MemberRole },
): Promise<string> {
  const [organisation] = await tx
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, member.organisationId))
  const t = await getFixedT(options.locale)
  const id = randomUUID()
  await issueInvitation(tx, {
    to: options.email,
    kind: 'organisation_invitation',
    link: (token) => `${options.origin}/organisations/invitation/${token}`,
    mail: (link) => ({
      subject: t('auth:mail.memberInvitation.subject', { organisation: organisation!.name }),
      text: t('auth:mail.memberInvitation.body', {
        organisation: organisation!.name,
        inviter: member.user.displayName,
        role: t(`auth:roles.${options.role}`),
        link,
        days: INVITATION_TTL_DAYS,
      }),
    }),
    insert: (token) =>
      tx.insert(organisationInvitations).values({
        id,
        organisationId: member.organisationId,
        email: options.email,
        role: options.role,
        ...token,
        invitedBy: member.user.id,
      }),
  })
  return id
}

/** An owner invites someone by email to join as owner or member. */
export async function inviteMember(
  db: RuntimeDb,
  member: OrganisationMember,
  options: InvitationMail & { email: string; role: MemberRole; ip: Ip },
): Promise<void> {
  const email = options.email.trim()
  await asMember(db, member, async (tx) => {
    const id = await sendMemberInvitation(tx, member, { ...options, email })
    await recordAccountEvent(tx, {
      action: 'organisation.member_invited',
      actorUserId: member.user.id,
      ip: options.ip,
      targetType: 'organisation',
      targetId: member.organisationId,
      payload: { invitationId: id, email, role: options.role },
    })
  })
}

async function revokeMemberInvitation(tx: TenantTx, member: OrganisationMember, invitationId: string) {
  const [invitation] = await tx
    .update(organisationInvitations)
    .set(revoked)
    .where(
      and(
        eq(organisationInvitations.id, invitationId),
        eq(organisationInvitations.organisationId, member.organisationId),
        pendingInvitation(organisationInvitations),
      ),
    )
    .returning()
  if (!invitation) throw new AppError('no_longer_exists')
  return invitation
}

export async function cancelMemberInvitation(
  db: RuntimeDb,
  member: OrganisationMember,
  options: { invitationId: string; ip: Ip },
): Promise<void> {
  await asMember(db, member, async (tx) => {
    const invitation = await revokeMemberInvitation(tx, member, options.invitationId)
    await recordAccountEvent(tx, {
      action: 'organisation.invitation_cancelled',
      actorUserId: member.user.id,
      ip: options.ip,
      targetType: 'organisation',
      targetId: member.organisationId,
      payload: { invitationId: invitation.id, email: invitation.email },
    })
  })
}

/** Sends a waiting invitation again with a new token: the old link stops working. Returns the address. */
export async function resendMemberInvitation(
  db: RuntimeDb,
  member: OrganisationMember,
  options: InvitationMail & { invitationId: string; ip: Ip },
): Promise<string> {
  return asMember(db, member, async (tx) => {
    const old = await revokeMemberInvitation(tx, member, options.invitationId)
    const id = await sendMemberInvitation(tx, member, { ...options, email: old.email, role: old.role })
    await recordAccountEvent(tx, {
      action: 'organisation.invitation_resent',
      actorUserId: member.user.id,
      ip: options.ip,
      targetType: 'organisation',
      targetId: member.organisationId,
      payload: { invitationId: id, replaces: old.id, email: old.email },
    })
    return old.email
  })
}

export type MemberInvitationView = {
  organisationName: string
  email: string
  role: MemberRole
  state: InvitationState
}

/** An organisation invitation by its emailed token, to show before it is accepted; null when unknown. */
export async function readMemberInvitation(
  db: RuntimeDb,
  token: string,
): Promise<MemberInvitationView | null> {
  const [row] = await withTenant(db, { tenantId: null, userId: null, actor: 'public' }, (tx) =>
    tx.execute<{
      organisation_name: string
      email: string
      role: MemberRole
      expires_at: string
      used_at: string | null
      revoked_at: string | null
    }>(
      sql`select organisation_name, email, role, expires_at, used_at, revoked_at
            from organisation_invitation_for_token(${hashEmailToken(token)})`,
    ),
  )
  if (!row) return null
  return {
    organisationName: row.organisation_name,
    email: row.email,
    role: row.role,
    state: invitationState(row),
  }
}

async function acceptIn(
  tx: TenantTx,
  options: { userId: string; token: string; ip: Ip; newAccount: NewAccount | null },
): Promise<string> {
  const organisationId = await callAcceptance(tx, {
    definer: 'accept_organisation_invitation',
    args: [hashEmailToken(options.token)],
    newAccount: options.newAccount,
  })
  if (!organisationId) throw new AppError('invalid_token')
  // The caller's memberships are settings of the transaction (decision 008): read them again.
  await tx.execute(sql`select app_refresh_context()`)
  await recordAccountEvent(tx, {
    action: 'organisation.invitation_accepted',
    actorUserId: options.userId,
    ip: options.ip,
    targetType: 'organisation',
    targetId: organisationId,
  })
  return organisationId
}

/** Accepts for a signed-in user (their address must be the invited one) or with a new account. */
export async function acceptMemberInvitation(
  db: RuntimeDb,
  options: { token: string; invitee: Invitee; ip: Ip },
): Promise<{ userId: string; organisationId: string }> {
  let organisationId = ''
  const userId = await acceptAs(db, {
    invitation: await readMemberInvitation(db, options.token),
    invitee: options.invitee,
    context: (userId) => ({ tenantId: null, userId, actor: 'proposer' }),
    accept: async (tx, userId, newAccount) => {
      organisationId = await acceptIn(tx, { ...options, userId, newAccount })
    },
  })
  return { userId, organisationId }
}
