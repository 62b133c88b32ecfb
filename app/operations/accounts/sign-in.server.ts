import { redirect, type AppLoadContext } from '@remix-run/node'
import { eq, sql } from 'drizzle-orm'
import { cityMemberships, organisationMembers, tenants } from '../../../db/schema'
import { withTenant, type TenantTx } from '../../../db/tenant-context'
import type { RuntimeDb } from '../../../db/runtime'
import { hashPassword, verifyPassword } from '../../../db/password'
import { recordAccountEvent } from '../platform-audit/platform-audit.server'
import { ATTEMPTS, attemptSucceeded, takeAttempt } from '../../utils/throttle.server'
import { AppError } from '../app-error'

type UserForSignIn = {
  id: string
  password_hash: string
  disabled_at: string | null
  platform_role: string | null
}

/** Compared against when the account does not exist, so both cases cost the same. */
let decoyHash: Promise<string> | undefined

/**
 * Checks an email and password. Every attempt is counted before the password
 * is checked (one atomic step per key: concurrent guesses cannot slip past the
 * limit); a success forgets the account-and-address failures and gives the
 * address its attempt back. Throws `AppError('sign_in_throttled')` with the wait,
 * and `AppError('invalid_credentials')` otherwise — the same for an unknown
 * account and a wrong password; `AppError('account_disabled')` only after the
 * right password of a disabled account. Acts as the `system` actor.
 */
export async function verifySignIn(
  db: RuntimeDb,
  options: { email: string; password: string; ip: string | null },
): Promise<{ userId: string; operator: boolean }> {
  const attempt = ATTEMPTS.signIn(options.email, options.ip)
  const wait = await takeAttempt(db, attempt)
  if (wait) throw new AppError('sign_in_throttled', 'Too many failed sign-ins', { retryAfterSeconds: wait })

  const [user] = await withTenant(db, { tenantId: null, userId: null, actor: 'system' }, (tx) =>
    tx.execute<UserForSignIn>(sql`select * from find_user_for_sign_in(${options.email.trim()})`),
  )
  decoyHash ??= hashPassword('decoy password for unknown accounts')
  const passwordMatches = await verifyPassword(user?.password_hash ?? (await decoyHash), options.password)
  if (!user || !passwordMatches) throw new AppError('invalid_credentials')
  // Said only to someone who knows the password, so it reveals nothing about which e-mails have accounts.
  if (user.disabled_at !== null) throw new AppError('account_disabled')

  await attemptSucceeded(db, attempt)
  if (await onlySuspendedCities(db, user.id)) throw new AppError('city_suspended')
  await withTenant(db, { tenantId: null, userId: user.id, actor: 'system' }, (tx) =>
    recordAccountEvent(tx, { action: 'account.sign_in', actorUserId: user.id, ip: options.ip }),
  )
  return { userId: user.id, operator: user.platform_role === 'operator' }
}

/**
 * True for a city account (no organisation) whose every city is suspended: its
 * sign-in is refused until the operator resumes a city. Each city's status is
 * read as the user's staff context in that city, which is what may see it.
 */
async function onlySuspendedCities(db: RuntimeDb, userId: string): Promise<boolean> {
  const asStaff = <T>(tenantId: string | null, fn: (tx: TenantTx) => Promise<T>) =>
    withTenant(db, { tenantId, userId, actor: 'staff' }, fn)
  const memberships = await asStaff(null, (tx) =>
    tx
      .select({ tenantId: cityMemberships.tenantId })
      .from(cityMemberships)
      .where(eq(cityMemberships.userId, userId)),
  )
  if (memberships.length === 0) return false
  const organisations = await withTenant(db, { tenantId: null, userId, actor: 'proposer' }, (tx) =>
    tx
      .select({ id: organisationMembers.organisationId })
      .from(organisationMembers)
      .where(eq(organisationMembers.userId, userId)),
  )
  if (organisations.length > 0) return false
  for (const { tenantId } of memberships) {
    const [city] = await asStaff(tenantId, (tx) =>
      tx.select({ status: tenants.status }).from(tenants).where(eq(tenants.id, tenantId)),
    )
    if (city?.status !== 'suspended') return false
  }
  return true
}

/**
 * Signs this browser in as the user and goes on to `to`: whatever session it
 * had ends (rotation), a new one starts, its cookie goes with the redirect.
 * Sign-in, sign-up, a password reset and an accepted invitation end here.
 */
export async function signedInRedirect(
  request: Request,
  context: AppLoadContext,
  userId: string,
  to: string,
): Promise<Response> {
  if (context.session) await context.auth.endSession(context.session.id)
  const { cookie } = await context.auth.startSession(userId, {
    ip: context.clientIp,
    userAgent: request.headers.get('User-Agent'),
  })
  return redirect(to, { headers: { 'Set-Cookie': cookie } })
}
