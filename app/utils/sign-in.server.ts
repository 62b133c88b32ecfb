import { redirect, type AppLoadContext } from '@remix-run/node'
import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm'
import { cityMemberships, loginAttempts, organisationMembers, tenants } from '../../db/schema'
import { withTenant, type TenantTx } from '../../db/tenant-context'
import type { RuntimeDb } from '../../db/runtime'
import { AccountError } from './account-errors'
import { hashPassword, verifyPassword } from './password.server'
import { recordAccountEvent } from './platform-audit.server'

/** 10 failures in 15 minutes, per account and per IP address, and sign-in stops answering for a while. */
export const SIGN_IN_THROTTLE = { maxFailures: 10, windowSeconds: 15 * 60 } as const

type UserForSignIn = { id: string; password_hash: string; disabled_at: string | null; platform_role: string | null }

/** Compared against when the account does not exist, so both cases cost the same. */
let decoyHash: Promise<string> | undefined

function throttleKeys(email: string, ip: string | null): string[] {
  return [`account:${email.trim().toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])]
}

/** Seconds until the busiest key falls under the limit again, or 0. */
async function secondsUntilAllowed(
  tx: TenantTx,
  keys: string[],
  throttle: typeof SIGN_IN_THROTTLE,
): Promise<number> {
  const window = sql`now() - make_interval(secs => ${throttle.windowSeconds})`
  const rows = await tx
    .select({
      failures: sql<number>`count(*)::int`,
      retryAfter: sql<number>`ceil(extract(epoch from min(${loginAttempts.at}) + make_interval(secs => ${throttle.windowSeconds}) - now()))::int`,
    })
    .from(loginAttempts)
    .where(
      and(inArray(loginAttempts.key, keys), eq(loginAttempts.success, false), gt(loginAttempts.at, window)),
    )
    .groupBy(loginAttempts.key)
  return Math.max(
    0,
    ...rows.filter((row) => row.failures >= throttle.maxFailures).map((row) => row.retryAfter),
  )
}

/**
 * Checks an email and password. Throws `AccountError('throttled')` with the
 * wait when the account or the address has failed too often, and
 * `AccountError('invalid_credentials')` otherwise — the same for an unknown
 * account, a wrong password and a disabled account. Acts as the `system` actor.
 */
export async function verifySignIn(
  db: RuntimeDb,
  options: { email: string; password: string; ip: string | null; throttle?: typeof SIGN_IN_THROTTLE },
): Promise<{ userId: string; operator: boolean }> {
  const throttle = options.throttle ?? SIGN_IN_THROTTLE
  const keys = throttleKeys(options.email, options.ip)
  const asSystem = <T>(fn: (tx: TenantTx) => Promise<T>) =>
    withTenant(db, { tenantId: null, userId: null, actor: 'system' }, fn)

  const { wait, user } = await asSystem(async (tx) => {
    await tx
      .delete(loginAttempts)
      .where(lt(loginAttempts.at, sql`now() - make_interval(secs => ${throttle.windowSeconds})`))
    const wait = await secondsUntilAllowed(tx, keys, throttle)
    const [user] = wait
      ? []
      : await tx.execute<UserForSignIn>(sql`select * from find_user_for_sign_in(${options.email.trim()})`)
    return { wait, user }
  })
  if (wait) throw new AccountError('throttled', wait)

  decoyHash ??= hashPassword('decoy password for unknown accounts')
  const passwordMatches = await verifyPassword(user?.password_hash ?? (await decoyHash), options.password)
  const success = Boolean(user && passwordMatches && user.disabled_at === null)

  await asSystem(async (tx) => {
    await tx.insert(loginAttempts).values(keys.map((key) => ({ key, success })))
    if (success)
      await tx
        .delete(loginAttempts)
        .where(and(eq(loginAttempts.key, keys[0]!), eq(loginAttempts.success, false)))
  })
  if (!success || !user) throw new AccountError('invalid_credentials')
  if (await onlySuspendedCities(db, user.id)) throw new AccountError('city_suspended')
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
    tx.select({ tenantId: cityMemberships.tenantId }).from(cityMemberships).where(eq(cityMemberships.userId, userId)),
  )
  if (memberships.length === 0) return false
  const organisations = await withTenant(db, { tenantId: null, userId, actor: 'proposer' }, (tx) =>
    tx.select({ id: organisationMembers.organisationId }).from(organisationMembers).where(eq(organisationMembers.userId, userId)),
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
