import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import { sessions, users } from '../../../db/schema'
import { ATTEMPTS, attemptSucceeded, takeAttempt } from '../../utils/throttle.server'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant, type TenantTx } from '../../../db/tenant-context'
import { asSystem } from '../../../db/as-system'
import { recordOperatorAction } from './record-operator-action.server'
import type { Operator } from '../actors'
import type { Auth, SessionOrigin } from '../../utils/auth.server'
import { matchTotpStep } from './totp.server'
import { AppError } from '../app-error'

/** The operator's stored secret, or null before enrolment (read as `system`, like sign-in). */
async function storedSecret(db: RuntimeDb, email: string): Promise<string | null> {
  const [row] = await asSystem(db, (tx) =>
    tx.execute<{ totp_secret: string | null }>(sql`select totp_secret from find_user_for_sign_in(${email})`),
  )
  return row?.totp_secret ?? null
}

export async function isEnrolled(db: RuntimeDb, operator: Operator): Promise<boolean> {
  return (await storedSecret(db, operator.user.email)) !== null
}

async function recordFailure(db: RuntimeDb, operator: Operator, ip: string | null): Promise<void> {
  await withTenant(db, operator.tenantContext, (tx) =>
    recordOperatorAction(tx, { operatorId: operator.user.id, action: 'operator.second_factor_failed', ip }),
  )
}

/**
 * Accepts the code's time step once: the step must be later than the last one
 * this user used (a replayed code, even within its window, is refused), then
 * marks the session as having its second factor.
 */
async function acceptStep(
  tx: TenantTx,
  operator: Operator,
  step: number,
  secretToStore: string | null,
): Promise<boolean> {
  const updated = await tx
    .update(users)
    .set({ totpLastStep: step, ...(secretToStore ? { totpSecret: secretToStore } : {}) })
    .where(and(eq(users.id, operator.user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id })
  if (updated.length === 0) return false
  await tx
    .update(sessions)
    .set({ secondFactorAt: sql`now()` })
    .where(eq(sessions.id, operator.sessionId))
  return true
}

async function checkCode(
  db: RuntimeDb,
  operator: Operator,
  options: { secret: string; code: string; ip: string | null; enrol: boolean },
): Promise<void> {
  // Counted before the code is checked (ADR 006).
  const attempt = ATTEMPTS.secondFactor(operator.user.id)
  const wait = await takeAttempt(db, attempt)
  if (wait) throw new AppError('code_throttled', 'Too many codes', { retryAfterSeconds: wait })
  const step = matchTotpStep(options.secret, options.code)
  if (step === null) {
    await recordFailure(db, operator, options.ip)
    throw new AppError('invalid_code')
  }
  const accepted = await withTenant(db, operator.tenantContext, async (tx) => {
    if (!(await acceptStep(tx, operator, step, options.enrol ? options.secret : null))) return false
    await recordOperatorAction(tx, {
      operatorId: operator.user.id,
      action: options.enrol ? 'operator.totp_enrolled' : 'operator.second_factor',
      ip: options.ip,
    })
    return true
  })
  if (!accepted) throw new AppError('replayed_code')
  await attemptSucceeded(db, attempt)
}

/** First use: stores the secret the operator's app now holds, once a code from it checks out. */
export async function enrolTotp(
  db: RuntimeDb,
  operator: Operator,
  options: { secret: string; code: string; ip: string | null },
): Promise<void> {
  if (await isEnrolled(db, operator)) throw new AppError('already_enrolled')
  await checkCode(db, operator, { ...options, enrol: true })
}

export async function verifyTotp(
  db: RuntimeDb,
  operator: Operator,
  options: { code: string; ip: string | null },
): Promise<void> {
  const secret = await storedSecret(db, operator.user.email)
  if (!secret) throw new AppError('invalid_code')
  await checkCode(db, operator, { secret, code: options.code, ip: options.ip, enrol: false })
}

/**
 * After the second factor the operator's session id changes: an id that
 * existed before the factor (seen, planted or fixed by someone else) never
 * carries it. The new session has the factor; the old one ends. Returns the
 * new session's cookie.
 */
export async function rotateVerifiedSession(
  db: RuntimeDb,
  auth: Auth,
  operator: Operator,
  origin: SessionOrigin,
): Promise<string> {
  const { session, cookie } = await auth.startSession(operator.user.id, origin)
  await withTenant(db, operator.tenantContext, (tx) =>
    tx
      .update(sessions)
      .set({ secondFactorAt: sql`now()` })
      .where(eq(sessions.id, session.id)),
  )
  await auth.endSession(operator.sessionId)
  return cookie
}
