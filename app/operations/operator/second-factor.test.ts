import { randomUUID } from 'node:crypto'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../db/testing'
import { createAuth, type Auth } from '../../utils/auth.server'
import { sessionHasSecondFactor } from '../../http/require-operator.server'
import type { Operator } from '../actors'
import { THROTTLE_RULES } from '../../utils/throttle.server'
import { enrolTotp, isEnrolled, verifyTotp } from './second-factor.server'
import { generateTotpSecret, totpCode, totpStep } from './totp.server'
import { AppError, type AppErrorCode } from '../app-error'

let db: TestDatabase
let auth: Auth

beforeAll(async () => {
  db = await createTestDatabase()
  auth = createAuth({ db: db.runtimeDb, production: false })
})
afterAll(async () => {
  await db?.drop()
})

async function newOperator(): Promise<Operator> {
  const id = randomUUID()
  const email = `op-${id}@example.test`
  await db.ownerSql`
    INSERT INTO users (id, email, display_name, password_hash, platform_role)
    VALUES (${id}, ${email}, 'Operator', 'not-a-password-hash', 'operator')`
  const { session } = await auth.startSession(id, { ip: null, userAgent: null })
  return {
    user: { id, email, displayName: 'Operator', locale: 'en', platformRole: 'operator' },
    sessionId: session.id,
    tenantContext: { tenantId: null, userId: id, actor: 'operator' },
  }
}

const contextOf = (operator: Operator) =>
  ({
    db: db.runtimeDb,
    user: operator.user,
    session: { id: operator.sessionId, userId: operator.user.id },
  }) as unknown as AppLoadContext

async function refusal(promise: Promise<unknown>): Promise<AppErrorCode> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(AppError)
  return (error as AppError).code
}

describe('the operator second factor', () => {
  it('enrols with a code from the shown secret, marks the session, and audits', async () => {
    const operator = await newOperator()
    const secret = generateTotpSecret()
    expect(await isEnrolled(db.runtimeDb, operator)).toBe(false)
    expect(await sessionHasSecondFactor(contextOf(operator))).toBe(false)
    expect(await refusal(enrolTotp(db.runtimeDb, operator, { secret, code: '000000', ip: null }))).toBe(
      'invalid_code',
    )

    await enrolTotp(db.runtimeDb, operator, { secret, code: totpCode(secret, totpStep()), ip: null })
    expect(await isEnrolled(db.runtimeDb, operator)).toBe(true)
    expect(await sessionHasSecondFactor(contextOf(operator))).toBe(true)
    const [row] = await db.adminSql`SELECT totp_secret FROM users WHERE id = ${operator.user.id}`
    expect(row!.totp_secret).toBe(secret)
    expect(
      await refusal(
        enrolTotp(db.runtimeDb, operator, { secret: generateTotpSecret(), code: '123456', ip: null }),
      ),
    ).toBe('already_enrolled')
    const actions =
      await db.adminSql`SELECT action FROM platform_audit_log WHERE actor_user_id = ${operator.user.id} ORDER BY at`
    expect(actions.map((a) => a.action)).toEqual(['operator.second_factor_failed', 'operator.totp_enrolled'])
  })

  it('verifies a later sign-in, refuses a replayed code and an old one, accepts the next step', async () => {
    const operator = await newOperator()
    const secret = generateTotpSecret()
    const step = totpStep()
    await enrolTotp(db.runtimeDb, operator, { secret, code: totpCode(secret, step - 1), ip: null })

    const { session } = await auth.startSession(operator.user.id, { ip: null, userAgent: null })
    const later = { ...operator, sessionId: session.id }
    expect(await sessionHasSecondFactor(contextOf(later))).toBe(false)
    // The same code again, in its window: refused.
    expect(
      await refusal(verifyTotp(db.runtimeDb, later, { code: totpCode(secret, step - 1), ip: null })),
    ).toBe('replayed_code')
    expect(await sessionHasSecondFactor(contextOf(later))).toBe(false)
    await verifyTotp(db.runtimeDb, later, { code: totpCode(secret, step), ip: null })
    expect(await sessionHasSecondFactor(contextOf(later))).toBe(true)
    expect(await refusal(verifyTotp(db.runtimeDb, later, { code: totpCode(secret, step), ip: null }))).toBe(
      'replayed_code',
    )
    // Two steps away is outside the ±1 window.
    expect(
      await refusal(verifyTotp(db.runtimeDb, later, { code: totpCode(secret, step + 2), ip: null })),
    ).toBe('invalid_code')
  })

  it('stops answering after too many wrong codes', async () => {
    const operator = await newOperator()
    const secret = generateTotpSecret()
    await enrolTotp(db.runtimeDb, operator, { secret, code: totpCode(secret, totpStep()), ip: null })
    for (let i = 0; i < THROTTLE_RULES.secondFactor.limit; i++) {
      expect(await refusal(verifyTotp(db.runtimeDb, operator, { code: '000000', ip: null }))).toBe(
        'invalid_code',
      )
    }
    const throttled = verifyTotp(db.runtimeDb, operator, { code: totpCode(secret, totpStep() + 1), ip: null })
    await expect(throttled).rejects.toMatchObject({
      code: 'code_throttled',
      details: { retryAfterSeconds: THROTTLE_RULES.secondFactor.blockSeconds },
    })
  })

  it('a user who is not an operator has no second factor session', async () => {
    const operator = await newOperator()
    const context = {
      ...contextOf(operator),
      user: { ...operator.user, platformRole: null },
    } as AppLoadContext
    expect(await sessionHasSecondFactor(context)).toBe(false)
  })
})
