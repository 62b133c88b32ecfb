import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, formRequest, getRequest, sessionCookieFrom, type Harness } from '~/test/harness'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { generateTotpSecret, totpCode, totpStep } from '~/operations/operator/totp.server'
import * as signInPage from '~/routes/sign-in'
import * as verifyPage from '~/routes/operator.verify'
import * as devMailPage from '~/routes/dev.mail'

/** Issue 17, finding 10: the operator's session id after the second factor; who may read /dev/mail. */
let h: Harness
const secret = generateTotpSecret()

beforeAll(async () => {
  h = await createHarness({ env: { MAIL_OUTBOX_PAGE: 'true' } })
  await h.db.adminSql`UPDATE users SET totp_secret = ${secret} WHERE email = 'operator@example.com'`
})
afterAll(async () => {
  await h?.close()
})

async function operatorPasswordCookie(): Promise<string> {
  const response = (await signInPage.action({
    request: formRequest('/sign-in', { email: 'operator@example.com', password: DEMO_PASSWORD }),
    context: await h.contextFor(null),
    params: {},
  })) as Response
  return sessionCookieFrom(response)!
}

/** `later`: a code of a later time step (within the accepted window), as each step is accepted once. */
async function passSecondFactor(cookie: string, later = 0): Promise<Response> {
  const code = totpCode(secret, totpStep() + later)
  return (await verifyPage.action({
    request: formRequest('/operator/verify', { intent: 'verify', code }, cookie),
    context: await h.contextFor(cookie),
    params: {},
  })) as Response
}

const status = async (run: () => Promise<unknown>) =>
  run().then(
    (value) => (value instanceof Response ? value.status : 200),
    (thrown: unknown) => (thrown instanceof Response ? thrown.status : 500),
  )

describe('operator session after the second factor', () => {
  it('gets a new id carrying the factor; the id from before it ends', async () => {
    const before = await operatorPasswordCookie()
    const response = await passSecondFactor(before)
    expect(response.status).toBe(302)
    const after = sessionCookieFrom(response)
    expect(after).toBeTruthy()
    expect(after).not.toBe(before)
    // The old id is dead; the new one is signed in with its factor.
    expect((await h.contextFor(before)).user).toBeNull()
    const context = await h.contextFor(after)
    expect(context.user?.email).toBe('operator@example.com')
    const { sessionHasSecondFactor } = await import('~/http/require-operator.server')
    expect(await sessionHasSecondFactor(context)).toBe(true)
  })
})

describe('/dev/mail', () => {
  const read = async (cookie: string | null, clientIp: string) =>
    status(async () =>
      devMailPage.loader({
        request: getRequest('/dev/mail', cookie),
        context: await h.contextFor(cookie, { clientIp }),
        params: {},
      }),
    )

  it('answers a request from the machine itself', async () => {
    expect(await read(null, '127.0.0.1')).toBe(200)
    expect(await read(null, '::1')).toBe(200)
    expect(await read(null, '::ffff:127.0.0.1')).toBe(200)
  })

  it('is not found for an anonymous visitor from elsewhere, or a proposer', async () => {
    expect(await read(null, '203.0.113.9')).toBe(404)
    const proposer = sessionCookieFrom(
      (await signInPage.action({
        request: formRequest('/sign-in', { email: 'biz1@example.com', password: DEMO_PASSWORD }),
        context: await h.contextFor(null),
        params: {},
      })) as Response,
    )
    expect(await read(proposer, '203.0.113.9')).toBe(404)
  })

  it('answers the operator from elsewhere once the second factor is given', async () => {
    const passwordOnly = await operatorPasswordCookie()
    expect(await read(passwordOnly, '203.0.113.9')).toBe(404)
    const verified = sessionCookieFrom(await passSecondFactor(passwordOnly, 1))
    expect(await read(verified, '203.0.113.9')).toBe(200)
  })
})
