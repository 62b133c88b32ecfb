import { randomUUID } from 'node:crypto'
import { desc, eq, sql } from 'drizzle-orm'
import type { OrganisationKind } from '../../../db/schema'
import {
  cityMemberships,
  organisationMembers,
  organisations,
  passwordResetTokens,
  sessions,
  tenants,
  users,
} from '../../../db/schema'
import { withTenant, type TenantTx } from '../../../db/tenant-context'
import { asSystem } from '../../../db/as-system'
import type { RuntimeDb } from '../../../db/runtime'
import type { Locale } from '~/i18n'
import { getFixedT } from '../../utils/i18n.server'
import { queueMail } from '../../utils/mail.server'
import { hashPassword, verifyPassword } from '../../../db/password'
import { recordAccountEvent } from '../platform-audit/platform-audit.server'
import { isCommonPassword } from '../../utils/common-passwords.server'
import { ATTEMPTS, takeAttempt } from '../../utils/throttle.server'
import { createEmailToken, hashEmailToken } from '../../../db/tokens'
import { AppError } from '../app-error'

/** Platform-wide account operations: sign-up, profile, password, reset, sessions. */

/** A reset link works once, for 30 minutes, and only while it is the user's newest (ADR 006). */
export const PASSWORD_RESET_TTL_SECONDS = 30 * 60

type Db = RuntimeDb
type Ip = string | null

function asUser<T>(db: Db, userId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return withTenant(db, { tenantId: null, userId, actor: 'proposer' }, fn)
}

function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause ?? error
  return (cause as { code?: string }).code === '23505'
}

export type NewUser = { email: string; password: string; displayName: string; locale: Locale }

/** A password anyone would guess first is refused before anything is written or used up. */
function refuseCommonPassword(password: string): void {
  if (isCommonPassword(password)) throw new AppError('common_password')
}

/** A new account's row as the definers that create one take it (common password refused, password hashed). */
export type NewAccount = { email: string; displayName: string; locale: Locale; passwordHash: string }

export async function prepareAccount(user: NewUser): Promise<NewAccount> {
  refuseCommonPassword(user.password)
  return {
    email: user.email.trim(),
    displayName: user.displayName,
    locale: user.locale,
    passwordHash: await hashPassword(user.password),
  }
}

/** A definer's call that creates the context's new user: a taken address becomes `email_taken`. */
export function refuseTakenEmail<T>(call: Promise<T>): Promise<T> {
  return call.catch((error: unknown) => {
    throw isUniqueViolation(error) ? new AppError('email_taken') : error
  })
}

export type NewOrganisation = {
  name: string
  kind: OrganisationKind
  corporateNumber: string | null
  address: string
  contactPerson: string
}

/**
 * Sign-up: a person and their organisation (they become its owner), and a mail telling them the account
 * is ready. An address that already has an account gets a mail telling its owner instead, and the caller
 * answers exactly the same (no sign-in, the same page): a sign-up never says which addresses are taken.
 * The password is hashed either way, so both take about as long. Throttled per client.
 * The id is made here: see ADR 002.
 */
export async function signUp(
  db: Db,
  options: { user: NewUser; organisation: NewOrganisation; ip: Ip; origin: string },
): Promise<void> {
  const wait = await takeAttempt(db, ATTEMPTS.signUp(options.ip))
  if (wait) throw new AppError('rate_limited', 'Too many requests', { retryAfterSeconds: wait })
  refuseCommonPassword(options.user.password)
  const userId = randomUUID()
  const passwordHash = await hashPassword(options.user.password)
  const signInLink = `${options.origin}/sign-in`
  const { user, organisation } = options
  try {
    await asUser(db, userId, async (tx) => {
      // The account, its organisation and its first owner in one definer (migration 0034): no policy
      // lets a request make itself the owner of an organisation.
      const [created] = await refuseTakenEmail(
        tx.execute<{ id: string }>(
          sql`SELECT create_account_with_organisation(${user.email.trim()}, ${user.displayName}, ${user.locale},
                ${passwordHash}, ${organisation.name}, ${organisation.kind}, ${organisation.corporateNumber},
                ${organisation.address}, ${organisation.contactPerson}) AS id`,
        ),
      )
      const organisationId = created!.id
      await recordAccountEvent(tx, {
        action: 'account.sign_up',
        actorUserId: userId,
        ip: options.ip,
        payload: { organisationId, kind: options.organisation.kind },
      })
      const t = await getFixedT(options.user.locale)
      await queueMail(tx, {
        to: options.user.email.trim(),
        kind: 'account_created',
        subject: t('auth:mail.accountCreated.subject'),
        text: t('auth:mail.accountCreated.body', { link: signInLink }),
      })
    })
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'email_taken')) throw error
    await tellOwnerOfSignUpAttempt(db, {
      email: options.user.email,
      signInLink,
      resetLink: `${options.origin}/forgot-password`,
    })
  }
}

/** Someone signed up with an address that has an account: its owner hears of it, in their language. */
async function tellOwnerOfSignUpAttempt(
  db: Db,
  options: { email: string; signInLink: string; resetLink: string },
): Promise<void> {
  await asSystem(db, async (tx) => {
    const [owner] = await tx.execute<{ email: string; locale: Locale; disabled_at: string | null }>(
      sql`select email, locale, disabled_at from find_user_for_sign_in(${options.email.trim()})`,
    )
    if (!owner || owner.disabled_at) return
    const t = await getFixedT(owner.locale)
    await queueMail(tx, {
      to: owner.email,
      kind: 'account_exists',
      subject: t('auth:mail.accountExists.subject'),
      text: t('auth:mail.accountExists.body', { signIn: options.signInLink, reset: options.resetLink }),
    })
  })
}

/** What the account page shows: the person's organisations and the cities where they are staff. */
export async function readAccountOverview(db: Db, userId: string) {
  return asUser(db, userId, async (tx) => ({
    organisations: await tx
      .select({
        id: organisations.id,
        name: organisations.name,
        kind: organisations.kind,
        role: organisationMembers.role,
      })
      .from(organisationMembers)
      .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
      .where(eq(organisationMembers.userId, userId))
      .orderBy(organisations.name),
    staffCities: await tx
      .select({ slug: tenants.slug, role: cityMemberships.role })
      .from(cityMemberships)
      .innerJoin(tenants, eq(tenants.id, cityMemberships.tenantId))
      .where(eq(cityMemberships.userId, userId))
      .orderBy(tenants.slug),
  }))
}

export async function updateProfile(
  db: Db,
  options: { userId: string; displayName: string; locale: Locale; ip: Ip },
) {
  await asUser(db, options.userId, async (tx) => {
    await tx
      .update(users)
      .set({ displayName: options.displayName, locale: options.locale, updatedAt: sql`now()` })
      .where(eq(users.id, options.userId))
    await recordAccountEvent(tx, {
      action: 'account.profile_updated',
      actorUserId: options.userId,
      ip: options.ip,
    })
  })
}

/** Every reset link of the user not used yet stops working. */
async function revokeResetTokens(tx: TenantTx, userId: string): Promise<void> {
  await tx.execute(sql`select revoke_password_reset_tokens(${userId})`)
}

async function setPassword(tx: TenantTx, userId: string, password: string): Promise<void> {
  await tx
    .update(users)
    .set({ passwordHash: await hashPassword(password), passwordChangedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(users.id, userId))
  // Every session that began before now is orphaned by the new password_changed_at; delete them outright too.
  await tx.delete(sessions).where(eq(sessions.userId, userId))
  // A reset link mailed before the change must not undo it.
  await revokeResetTokens(tx, userId)
}

/** Changes the password after confirming the current one; every session of the user ends. */
export async function changePassword(
  db: Db,
  options: { userId: string; currentPassword: string; newPassword: string; ip: Ip },
): Promise<void> {
  refuseCommonPassword(options.newPassword)
  await asUser(db, options.userId, async (tx) => {
    const [credentials] = await tx.execute<{ password_hash: string }>(
      sql`select password_hash from my_credentials()`,
    )
    if (!credentials || !(await verifyPassword(credentials.password_hash, options.currentPassword))) {
      throw new AppError('wrong_password')
    }
    await setPassword(tx, options.userId, options.newPassword)
    await recordAccountEvent(tx, {
      action: 'account.password_changed',
      actorUserId: options.userId,
      ip: options.ip,
    })
  })
}

/**
 * Queues a reset link for the account with this email, if there is one that
 * is enabled. Says nothing either way: the caller shows the same page. Too
 * many requests for one address or from one client: `AppError('rate_limited')`.
 */
export async function requestPasswordReset(
  db: Db,
  options: { email: string; origin: string; ip: Ip },
): Promise<void> {
  // Counted whether or not the account exists: the limit says nothing about it.
  const wait = await takeAttempt(db, ATTEMPTS.passwordResetRequest(options.email, options.ip))
  if (wait) throw new AppError('rate_limited', 'Too many requests', { retryAfterSeconds: wait })
  const { token, tokenHash } = createEmailToken()
  await asSystem(db, async (tx) => {
    const [user] = await tx.execute<{
      id: string
      email: string
      locale: Locale
      disabled_at: string | null
    }>(sql`select id, email, locale, disabled_at from find_user_for_sign_in(${options.email.trim()})`)
    if (!user || user.disabled_at) return
    // Only the newest link works: one mailed earlier (perhaps read by someone else) is revoked.
    await revokeResetTokens(tx, user.id)
    await tx.insert(passwordResetTokens).values({
      userId: user.id,
      tokenHash,
      expiresAt: sql`now() + make_interval(secs => ${PASSWORD_RESET_TTL_SECONDS})`,
    })
    const t = await getFixedT(user.locale)
    await queueMail(tx, {
      to: user.email,
      kind: 'password_reset',
      subject: t('auth:mail.reset.subject'),
      text: t('auth:mail.reset.body', {
        link: `${options.origin}/reset-password/${token}`,
        minutes: PASSWORD_RESET_TTL_SECONDS / 60,
      }),
    })
    await recordAccountEvent(tx, {
      action: 'account.password_reset_requested',
      actorUserId: null,
      ip: options.ip,
      targetId: user.id,
    })
  })
}

/**
 * Uses a reset token once (hashed lookup, expiry, single use; the user's other tokens are revoked with it),
 * sets the password and ends every session.
 */
export async function resetPassword(
  db: Db,
  options: { token: string; newPassword: string; ip: Ip },
): Promise<string> {
  // Before the token is used up: the person can choose another password with the same link.
  refuseCommonPassword(options.newPassword)
  const [consumed] = await asSystem(db, (tx) =>
    tx.execute<{ user_id: string | null }>(
      sql`select consume_password_reset_token(${hashEmailToken(options.token)}) as user_id`,
    ),
  )
  const userId = consumed?.user_id
  if (!userId) throw new AppError('invalid_token')
  await asUser(db, userId, async (tx) => {
    await setPassword(tx, userId, options.newPassword)
    await recordAccountEvent(tx, { action: 'account.password_reset', actorUserId: userId, ip: options.ip })
  })
  return userId
}

/** The user's live sessions, newest first. */
export function listSessions(db: Db, userId: string) {
  return asUser(db, userId, (tx) =>
    tx
      .select({
        id: sessions.id,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        expiresAt: sessions.expiresAt,
        ip: sessions.ip,
        userAgent: sessions.userAgent,
      })
      .from(sessions)
      .where(sql`${sessions.userId} = ${userId} and ${sessions.expiresAt} > now()`)
      .orderBy(desc(sessions.createdAt)),
  )
}

export async function recordSignOut(
  db: Db,
  options: { userId: string; everywhere: boolean; ip: Ip },
): Promise<void> {
  await asUser(db, options.userId, (tx) =>
    recordAccountEvent(tx, {
      action: options.everywhere ? 'account.sign_out_everywhere' : 'account.sign_out',
      actorUserId: options.userId,
      ip: options.ip,
    }),
  )
}
