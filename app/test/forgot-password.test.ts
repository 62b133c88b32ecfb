import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, formRequest, type Harness } from '~/test/harness'
import * as forgotPasswordPage from '~/routes/forgot-password'
import { THROTTLE_RULES } from '~/utils/throttle.server'

/**
 * Reset requests go through the attempt limiter (ADR 006): per e-mail address
 * (known or not) and per client. Past the limit the answer is a 429 with
 * Retry-After, the same for a known and an unknown address, and no mail is sent.
 */
let h: Harness

beforeAll(async () => {
  h = await createHarness()
})
afterAll(async () => {
  await h?.close()
})

let nextAddress = 1
/** A client address of its own, so only the per-e-mail limit is in play. */
const freshClient = () => `198.51.100.${nextAddress++}`

async function requestReset(email: string, clientIp: string) {
  const response = (await forgotPasswordPage.action({
    request: formRequest('/forgot-password', { email }),
    context: await h.contextFor(null, { clientIp }),
    params: {},
  })) as Response
  return {
    status: response.status,
    body: await response.json(),
    retryAfter: response.headers.get('Retry-After'),
  }
}

const resetMailsTo = async (email: string) =>
  (
    await h.db.adminSql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM mail_outbox WHERE to_address = ${email} AND kind = 'password_reset'`
  )[0]!.n

describe('/forgot-password throttling', () => {
  const { limit, blockSeconds } = THROTTLE_RULES.resetRequestAccount

  it('answers the request past the per-address limit with 429 and sends no mail, alike for an unknown address', async () => {
    const refusals: unknown[] = []
    for (const email of ['biz1@example.com', 'nobody-here@example.org']) {
      for (let i = 0; i < limit; i++) {
        expect(await requestReset(email, freshClient()), `${email} #${i + 1}`).toEqual({
          status: 200,
          body: { sent: true },
          retryAfter: null,
        })
      }
      const mailsBefore = await resetMailsTo(email)
      const refused = await requestReset(email, freshClient())
      expect(refused.status).toBe(429)
      expect(Number(refused.retryAfter)).toBeGreaterThan(blockSeconds - 60)
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(blockSeconds)
      expect(await resetMailsTo(email)).toBe(mailsBefore)
      // The form gives back what was typed (no-JS echo); the rest is the refusal.
      const { values, ...refusal } = refused.body as { values?: Record<string, string> }
      expect(values).toEqual({ email })
      refusals.push(refusal)
    }
    expect(await resetMailsTo('biz1@example.com')).toBe(limit)
    expect(await resetMailsTo('nobody-here@example.org')).toBe(0)
    // Apart from the address typed, the same refusal for both: it says nothing about which address has an account.
    expect(refusals[0]).toEqual({
      formError: 'auth:errors.rate_limited',
      fieldErrors: {},
      retryAfterMinutes: 60,
    })
    expect(refusals[1]).toEqual(refusals[0])
  })

  it('limits one client across many addresses', async () => {
    const client = freshClient()
    const { limit: clientLimit } = THROTTLE_RULES.resetRequestAddress
    for (let i = 0; i < clientLimit; i++)
      expect((await requestReset(`someone-${i}@example.org`, client)).status).toBe(200)
    expect((await requestReset('biz2@example.com', client)).status).toBe(429)
    expect(await resetMailsTo('biz2@example.com')).toBe(0)
  })
})
