import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, formRequest, getRequest, sessionCookieFrom, type Harness } from '~/test/harness'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { generateTotpSecret, totpCode, totpStep } from '~/operations/operator/totp.server'
import * as signInPage from '~/routes/sign-in'
import * as verifyPage from '~/routes/operator.verify'
import * as applyPage from '~/routes/operator.apply'
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

describe('the second factor form (the one field kit)', () => {
  const post = async (cookie: string, fields: Record<string, string>) =>
    (await verifyPage.action({
      request: formRequest('/operator/verify', fields, cookie),
      context: await h.contextFor(cookie),
      params: {},
    })) as Response

  it('refuses a code that is not six digits at its field (a locale key), and the session stays without its factor', async () => {
    const cookie = await operatorPasswordCookie()
    for (const code of ['', '12345', '12345a']) {
      const answer = await post(cookie, { intent: 'verify', code, redirectTo: '/operator' })
      expect(answer.status).toBe(400)
      expect(await answer.json()).toMatchObject({
        formError: 'common:errors.operation.invalid_input',
        fieldErrors: { code: 'operator:verify.codeError' },
        values: { intent: 'verify', code },
      })
    }
    const { sessionHasSecondFactor } = await import('~/http/require-operator.server')
    expect(await sessionHasSecondFactor(await h.contextFor(cookie))).toBe(false)
  })

  it('refuses a form the page did not make (an intent, a secret) as out of date', async () => {
    const cookie = await operatorPasswordCookie()
    const forged: Record<string, string>[] = [
      { intent: 'skip', code: '123456' },
      { intent: 'enrol', code: '123456', secret: 'not-a-secret' },
    ]
    for (const fields of forged) {
      const answer = await post(cookie, fields)
      expect(answer.status).toBe(400)
      expect(await answer.json()).toMatchObject({
        formError: 'common:errors.request.stale_form',
        fieldErrors: {},
      })
    }
  })
})

describe('the tenant file form (the one field kit)', () => {
  const post = async (cookie: string, fields: Record<string, string | File>) => {
    const body = new FormData()
    for (const [name, value] of Object.entries(fields)) body.append(name, value)
    return (await applyPage.action({
      request: new Request('http://localhost/operator/apply', {
        method: 'POST',
        headers: { Origin: 'http://localhost', Cookie: cookie },
        body,
      }),
      context: await h.contextFor(cookie),
      params: {},
    })) as Response
  }
  const tenants = async () =>
    (await h.db.adminSql`SELECT slug, status FROM tenants ORDER BY slug`).map(
      (row) => `${row.slug}:${row.status}`,
    )

  it('refuses a malformed address and a missing file at their fields, gives the answers back and changes nothing', async () => {
    // A step of its own: the steps the other tests use are accepted once, in order.
    await h.db.adminSql`UPDATE users SET totp_last_step = NULL WHERE email = 'operator@example.com'`
    const cookie = sessionCookieFrom(await passSecondFactor(await operatorPasswordCookie(), -1))!
    const before = await tenants()
    const noFile = new File([], '', { type: 'application/octet-stream' })
    const answer = await post(cookie, {
      intent: 'plan',
      tenantFile: noFile,
      mapping: 'main.intake=review',
      adminEmail: 'admin@',
    })
    expect(answer.status).toBe(400)
    const failure = await answer.json()
    expect(failure).toMatchObject({
      formError: 'common:errors.operation.invalid_input',
      values: { intent: 'plan', mapping: 'main.intake=review', adminEmail: 'admin@' },
    })
    expect(failure.fieldErrors).toEqual({
      tenantFile: 'auth:validation.required',
      adminEmail: 'auth:validation.email',
    })
    // A confirmation whose values the page did not set is out of date.
    const forged = await post(cookie, {
      intent: 'apply',
      source: 'x',
      file: 'town.yaml',
      adminEmail: 'admin@',
    })
    expect(forged.status).toBe(400)
    expect(await forged.json()).toMatchObject({
      formError: 'common:errors.request.stale_form',
      fieldErrors: {},
    })
    expect(await tenants()).toEqual(before)
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
