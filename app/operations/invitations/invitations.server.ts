import { randomUUID } from 'node:crypto'
import { redirect, type AppLoadContext } from '@remix-run/node'
import { and, gt, isNull, sql, type SQL } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant, type TenantContext, type TenantTx } from '../../../db/tenant-context'
import { prepareAccount, refuseTakenEmail, type NewAccount, type NewUser } from '../accounts/accounts.server'
import { queueMail, type MailKind } from '../../utils/mail.server'
import { createEmailToken } from '../../../db/tokens'
import { AppError } from '../app-error'

/**
 * What the cities' staff invitations and the organisations' member
 * invitations share: an emailed link whose token is stored only as a hash,
 * an expiry, single use, and revocation (cancelled, or replaced by a resent
 * one). The tables and the definer functions that accept them differ; the
 * life of an invitation does not.
 */

export const INVITATION_TTL_SECONDS = 7 * 24 * 60 * 60
export const INVITATION_TTL_DAYS = INVITATION_TTL_SECONDS / 86_400

export type InvitationState = 'open' | 'used' | 'expired' | 'revoked'

type InvitationTable = { usedAt: AnyPgColumn; revokedAt: AnyPgColumn; expiresAt: AnyPgColumn }

/** Not used, not revoked, not expired: what an admin sees as waiting, and may cancel or resend. */
export function pendingInvitation(table: InvitationTable): SQL {
  return and(isNull(table.usedAt), isNull(table.revokedAt), gt(table.expiresAt, sql`now()`))!
}

/** A revocation: the link stops working at once. */
export const revoked = { revokedAt: sql`now()` }

/** The state of an invitation as its definer function returns it. */
export function invitationState(row: {
  used_at: unknown
  revoked_at: unknown
  expires_at: Date | string
}): InvitationState {
  if (row.used_at) return 'used'
  if (row.revoked_at) return 'revoked'
  return new Date(row.expires_at).getTime() <= Date.now() ? 'expired' : 'open'
}

/** Only an open invitation can be accepted, and only by the address it was sent to. */
export function checkAcceptable(
  invitation: { state: InvitationState; email: string } | null,
  email?: string,
): { email: string } {
  if (!invitation || invitation.state !== 'open') throw new AppError('invalid_token')
  if (email !== undefined && invitation.email.toLowerCase() !== email.toLowerCase())
    throw new AppError('wrong_email')
  return invitation
}

/** Who accepts: a signed-in user, or someone who creates their account with the invited address. */
export type Invitee = { userId: string; email: string } | { newUser: Omit<NewUser, 'email'> }

/**
 * Accepting, the same for every kind of invitation: the invitation must be
 * open and, for a signed-in user, sent to their address; `accept` then runs as
 * the user. Without an account yet, `accept` gets the new account (with the
 * invited address) to create in the same definer that accepts (migration 0038:
 * on Citus a definer cannot read the user the request itself has just written).
 * Returns the user.
 */
export async function acceptAs(
  db: RuntimeDb,
  options: {
    invitation: { state: InvitationState; email: string } | null
    invitee: Invitee
    context: (userId: string) => TenantContext
    accept: (tx: TenantTx, userId: string, newAccount: NewAccount | null) => Promise<void>
  },
): Promise<string> {
  const { invitee } = options
  if ('userId' in invitee) {
    checkAcceptable(options.invitation, invitee.email)
    await withTenant(db, options.context(invitee.userId), (tx) => options.accept(tx, invitee.userId, null))
    return invitee.userId
  }
  const { email } = checkAcceptable(options.invitation)
  const newAccount = await prepareAccount({ ...invitee.newUser, email })
  const userId = randomUUID()
  await withTenant(db, options.context(userId), (tx) => options.accept(tx, userId, newAccount))
  return userId
}

/**
 * The acceptance's definer: `definer(...args)` for a signed-in user, or
 * `definer_with_account(...args, email, display_name, locale, password_hash)`, which creates the new
 * account first. Returns its result: null when the invitation cannot be accepted.
 */
export async function callAcceptance(
  tx: TenantTx,
  options: {
    definer: 'accept_invitation' | 'accept_organisation_invitation'
    args: (string | null)[]
    newAccount: NewAccount | null
  },
): Promise<string | null> {
  const { definer, newAccount: account } = options
  const args = account
    ? [...options.args, account.email, account.displayName, account.locale, account.passwordHash]
    : options.args
  const name = account ? `${definer}_with_account` : definer
  const call = sql`select ${sql.identifier(name)}(${sql.join(
    args.map((arg) => sql`${arg}`),
    sql`, `,
  )}) as id`
  const [accepted] = await refuseTakenEmail(tx.execute<{ id: string | null }>(call))
  return accepted?.id ?? null
}

/**
 * A new token for an invitation row: spread `values` into the insert, put `token` in the link.
 * Queues the mail whose text `mail` writes from the link, in the same transaction.
 */
export async function issueInvitation(
  tx: TenantTx,
  options: {
    to: string
    kind: Extract<MailKind, 'city_invitation' | 'organisation_invitation'>
    /** The inviting city (its mail counts on the operator console). */
    tenantId?: string
    link: (token: string) => string
    mail: (link: string) => { subject: string; text: string }
    insert: (values: { tokenHash: string; expiresAt: SQL }) => Promise<unknown>
  },
): Promise<void> {
  const { token, tokenHash } = createEmailToken()
  await options.insert({
    tokenHash,
    expiresAt: sql`now() + make_interval(secs => ${INVITATION_TTL_SECONDS})`,
  })
  const mail = options.mail(options.link(token))
  await queueMail(tx, { to: options.to, kind: options.kind, tenantId: options.tenantId, ...mail })
}

/** After an invitation was sent (or sent again; its mail job was enqueued with it): back to the page with a notice. */
export async function invitationSent(
  context: AppLoadContext,
  back: string,
  notice: { invited: string } | { resent: string },
): Promise<Response> {
  return redirect(`${back}?${new URLSearchParams(notice)}`)
}
