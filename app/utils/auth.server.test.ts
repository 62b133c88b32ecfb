import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countTransactions, createHarness, type Harness } from '~/test/harness'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { SESSION_LIMITS } from './auth.server'
import { changePassword } from '../operations/accounts/accounts.server'
import { verifySignIn } from '../operations/accounts/sign-in.server'
import { THROTTLE_RULES } from './throttle.server'

let h: Harness
const origin = { ip: '192.0.2.1', userAgent: 'vitest' }

async function userId(email: string): Promise<string> {
  const [row] = await h.db.adminSql<{ id: string }[]>`SELECT id FROM users WHERE email = ${email}`
  return row!.id
}

beforeAll(async () => {
  h = await createHarness()
})
afterAll(async () => {
  await h?.close()
})

describe('sessions', () => {
  it('gives a new session id at every sign-in and validates it', async () => {
    const id = await userId('biz1@example.com')
    const first = await h.auth.startSession(id, origin)
    const second = await h.auth.startSession(id, origin)
    expect(first.session.id).not.toBe(second.session.id)
    expect(first.session.id.length).toBeGreaterThanOrEqual(32)
    const validated = await h.auth.validateSession(second.session.id)
    expect(validated?.user).toMatchObject({ id, email: 'biz1@example.com', locale: 'ja', platformRole: null })
    expect(second.cookie).toMatch(/^session=[^;]+; .*HttpOnly/)
    expect(second.cookie).toContain('SameSite=Lax')
  })

  it('gives city staff a shorter idle timeout than proposers, both within the absolute lifetime', async () => {
    const proposer = await h.auth.startSession(await userId('biz2@example.com'), origin)
    const staff = await h.auth.startSession(await userId('desk-staff@komatsu.example.jp'), origin)
    const rows = await h.db.adminSql<
      { id: string; idle: number; absolute: number; expires_is_min: boolean }[]
    >`
      SELECT id, extract(epoch from idle_expires_at - created_at)::int AS idle,
             extract(epoch from absolute_expires_at - created_at)::int AS absolute,
             expires_at = least(idle_expires_at, absolute_expires_at) AS expires_is_min
        FROM sessions WHERE id IN (${proposer.session.id}, ${staff.session.id})`
    const byId = new Map(rows.map((row) => [row.id, row]))
    expect(byId.get(proposer.session.id)).toMatchObject({
      idle: SESSION_LIMITS.idleSeconds,
      absolute: SESSION_LIMITS.absoluteSeconds,
      expires_is_min: true,
    })
    expect(byId.get(staff.session.id)).toMatchObject({
      idle: SESSION_LIMITS.staffIdleSeconds,
      absolute: SESSION_LIMITS.absoluteSeconds,
    })
    expect(SESSION_LIMITS.staffIdleSeconds).toBeLessThan(SESSION_LIMITS.idleSeconds)
  })

  it('rejects and deletes a session idle for too long', async () => {
    const { session } = await h.auth.startSession(await userId('biz1@example.com'), origin)
    await h.db.adminSql`
      UPDATE sessions SET last_seen_at = now() - interval '3 hours', idle_expires_at = now() - interval '1 hour',
                          expires_at = now() - interval '1 hour' WHERE id = ${session.id}`
    expect(await h.auth.validateSession(session.id)).toBeNull()
    expect(await h.db.adminSql`SELECT 1 FROM sessions WHERE id = ${session.id}`).toHaveLength(0)
  })

  it('slides the idle window on use, but never past the absolute lifetime', async () => {
    const { session } = await h.auth.startSession(await userId('biz1@example.com'), origin)
    // Last seen 10 minutes ago with a 2-hour idle window; the absolute limit falls in 1 minute.
    await h.db.adminSql`
      UPDATE sessions SET last_seen_at = now() - interval '10 minutes',
                          idle_expires_at = now() + interval '110 minutes',
                          absolute_expires_at = now() + interval '1 minute',
                          expires_at = now() + interval '1 minute' WHERE id = ${session.id}`
    expect(await h.auth.validateSession(session.id)).not.toBeNull()
    const [touched] = await h.db.adminSql<{ idle_from_now: number; capped: boolean }[]>`
      SELECT extract(epoch from idle_expires_at - now())::int AS idle_from_now, expires_at = absolute_expires_at AS capped
        FROM sessions WHERE id = ${session.id}`
    expect(touched!.idle_from_now).toBeGreaterThan(110 * 60)
    expect(touched!.capped).toBe(true)
  })

  it('validates a session and slides its idle window in one transaction', async () => {
    const { session } = await h.auth.startSession(await userId('biz2@example.com'), origin)
    await h.db.adminSql`
      UPDATE sessions SET last_seen_at = now() - interval '10 minutes',
                          idle_expires_at = now() + interval '110 minutes' WHERE id = ${session.id}`
    const { transactions, result } = await countTransactions(h, () => h.auth.validateSession(session.id))
    expect(result?.user.email).toBe('biz2@example.com')
    expect(transactions).toBe(1)
    const [touched] = await h.db.adminSql<{ seen_seconds_ago: number }[]>`
      SELECT extract(epoch from now() - last_seen_at)::int AS seen_seconds_ago FROM sessions WHERE id = ${session.id}`
    expect(touched!.seen_seconds_ago).toBeLessThan(60)
  })

  it('rejects a session past its absolute lifetime even while active', async () => {
    const { session } = await h.auth.startSession(await userId('biz1@example.com'), origin)
    await h.db.adminSql`
      UPDATE sessions SET absolute_expires_at = now() - interval '1 second' WHERE id = ${session.id}`
    expect(await h.auth.validateSession(session.id)).toBeNull()
  })

  it('rejects a session id replayed after sign-out', async () => {
    const { session } = await h.auth.startSession(await userId('biz1@example.com'), origin)
    const blank = await h.auth.endSession(session.id)
    expect(blank).toMatch(/^session=; .*Max-Age=0/)
    expect(await h.auth.validateSession(session.id)).toBeNull()
  })

  it('ends every session of a disabled account', async () => {
    const id = await userId('univ@example.com')
    const { session } = await h.auth.startSession(id, origin)
    await h.db.adminSql`UPDATE users SET disabled_at = now() WHERE id = ${id}`
    expect(await h.auth.validateSession(session.id)).toBeNull()
    await h.db.adminSql`UPDATE users SET disabled_at = NULL WHERE id = ${id}`
    expect(await h.auth.validateSession(session.id)).toBeNull()
  })

  it('ends every session when the password changes', async () => {
    const id = await userId('biz2@example.com')
    const a = await h.auth.startSession(id, origin)
    const b = await h.auth.startSession(id, origin)
    await changePassword(h.db.runtimeDb, {
      userId: id,
      currentPassword: DEMO_PASSWORD,
      newPassword: 'a-new-password-2026',
      ip: null,
    })
    expect(await h.auth.validateSession(a.session.id)).toBeNull()
    expect(await h.auth.validateSession(b.session.id)).toBeNull()
    const after = await h.auth.startSession(id, origin)
    expect(await h.auth.validateSession(after.session.id)).not.toBeNull()
    await expect(
      changePassword(h.db.runtimeDb, {
        userId: id,
        currentPassword: 'wrong',
        newPassword: 'x-new-password-2026',
        ip: null,
      }),
    ).rejects.toMatchObject({ code: 'wrong_password' })
  })

  it('uses the __Host- prefix and Secure in production', async () => {
    const { createAuth } = await import('./auth.server')
    const production = createAuth({ db: h.db.runtimeDb, production: true })
    const { cookie } = await production.startSession(await userId('biz1@example.com'), origin)
    expect(cookie).toMatch(/^__Host-session=[^;]+; /)
    expect(cookie).toContain('Secure')
    expect(cookie).toContain('Path=/')
    expect(cookie).not.toContain('Domain=')
  })
})

describe('sign-in throttling', () => {
  const { limit } = THROTTLE_RULES.signInAccountAddress
  const signIn = (email: string, password: string, ip: string) =>
    verifySignIn(h.db.runtimeDb, { email, password, ip })

  it('answers an unknown account exactly like a wrong password', async () => {
    const unknown = await signIn('nobody@example.com', 'x', '198.51.100.1').catch((e) => e)
    const wrong = await signIn('biz1@example.com', 'x', '198.51.100.1').catch((e) => e)
    expect(unknown).toMatchObject({ code: 'invalid_credentials' })
    expect(wrong).toEqual(unknown)
  })

  it('stops an account from one address after the limit, with a retry time, and reveals nothing', async () => {
    for (const email of ['desk-admin@aomori.example.jp', 'no-such-account@example.com']) {
      for (let i = 0; i < limit; i++)
        await expect(signIn(email, `guess-${i}`, '203.0.113.5')).rejects.toMatchObject({
          code: 'invalid_credentials',
        })
      // Even the right password is refused from that address now; an existing and a made-up account answer alike.
      const error = await signIn(email, DEMO_PASSWORD, '203.0.113.5').catch((e) => e)
      expect(error).toMatchObject({ code: 'sign_in_throttled' })
      expect(error.details.retryAfterSeconds).toBeGreaterThan(14 * 60)
      expect(error.details.retryAfterSeconds).toBeLessThanOrEqual(15 * 60)
    }
  })

  it("never locks the owner out: wrong passwords from other addresses leave the owner's address alone", async () => {
    const email = 'operator@example.com'
    // Far more guesses than the limit, spread over addresses, as a botnet would.
    for (let i = 0; i < 3 * limit; i++) await signIn(email, `guess-${i}`, `198.18.${i}.1`).catch(() => {})
    await expect(signIn(email, DEMO_PASSWORD, '192.0.2.10')).resolves.toMatchObject({ operator: true })
    // The staff account too, even while its attacker's address is blocked.
    for (let i = 0; i <= limit; i++)
      await signIn('desk-staff@komatsu.example.jp', 'x', '198.18.200.1').catch(() => {})
    await expect(
      signIn('desk-staff@komatsu.example.jp', DEMO_PASSWORD, '198.18.200.1'),
    ).rejects.toMatchObject({
      code: 'sign_in_throttled',
    })
    await expect(signIn('desk-staff@komatsu.example.jp', DEMO_PASSWORD, '192.0.2.11')).resolves.toBeTruthy()
  })

  it('stops an address that fails across many accounts, and gives good sign-ins back', async () => {
    const ip = '198.51.100.77'
    const { limit: addressLimit } = THROTTLE_RULES.signInAddress
    // Good sign-ins from one address (an office) do not add up.
    for (let i = 0; i < addressLimit + 5; i++) await signIn('univ@example.com', DEMO_PASSWORD, ip)
    for (let i = 0; i < addressLimit; i++) await signIn(`someone-${i}@example.com`, 'x', ip).catch(() => {})
    await expect(signIn('biz1@example.com', DEMO_PASSWORD, ip)).rejects.toMatchObject({ code: 'sign_in_throttled' })
    // Another address still signs in.
    await expect(signIn('biz1@example.com', DEMO_PASSWORD, '198.51.100.78')).resolves.toHaveProperty('userId')
  })

  it('blocks again for twice as long after a block has run out (backoff)', async () => {
    const email = 'desk-admin@komatsu.example.jp'
    const ip = '203.0.113.77'
    const key = `sign-in:${email}|${ip}`
    for (let i = 0; i <= limit; i++) await signIn(email, 'x', ip).catch(() => {})
    // The first block runs out.
    await h.db
      .adminSql`UPDATE throttle_counters SET blocked_until = now() - interval '1 second' WHERE key = ${key}`
    for (let i = 0; i < limit; i++)
      await expect(signIn(email, 'x', ip)).rejects.toMatchObject({ code: 'invalid_credentials' })
    const error = await signIn(email, 'x', ip).catch((e) => e)
    expect(error).toMatchObject({ code: 'sign_in_throttled' })
    expect(error.details.retryAfterSeconds).toBeGreaterThan(29 * 60)
    expect(error.details.retryAfterSeconds).toBeLessThanOrEqual(30 * 60)
  })

  it('lets at most the limit through when the guesses come all at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        signIn('biz1@example.com', `concurrent-${i}`, '203.0.113.150').catch((e: { code: string }) => e.code),
      ),
    )
    expect(results.filter((code) => code === 'invalid_credentials').length).toBeLessThanOrEqual(limit)
    expect(results.filter((code) => code === 'sign_in_throttled').length).toBeGreaterThanOrEqual(60 - limit)
  })

  it('a success forgets the failures of that account from that address', async () => {
    const email = 'dept-staff@aomori.example.jp'
    for (let i = 0; i < limit - 1; i++) await signIn(email, 'x', '203.0.113.201').catch(() => {})
    await expect(signIn(email, DEMO_PASSWORD, '203.0.113.201')).resolves.toBeTruthy()
    for (let i = 0; i < limit; i++)
      await expect(signIn(email, 'x', '203.0.113.201')).rejects.toMatchObject({ code: 'invalid_credentials' })
  })
})
