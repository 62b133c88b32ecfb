import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countTransactions, createHarness, type Harness } from '~/test/harness'
import { DEMO_PASSWORD } from '../../db/seed/demo'
import { SESSION_LIMITS } from './auth.server'
import { changePassword } from './accounts.server'
import { verifySignIn } from './sign-in.server'

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
  const throttle = { maxFailures: 10, windowSeconds: 15 * 60 } as const

  it('answers an unknown account exactly like a wrong password', async () => {
    const unknown = await verifySignIn(h.db.runtimeDb, {
      email: 'nobody@example.com',
      password: 'x',
      ip: '198.51.100.1',
    }).catch((e) => e)
    const wrong = await verifySignIn(h.db.runtimeDb, {
      email: 'biz1@example.com',
      password: 'x',
      ip: '198.51.100.1',
    }).catch((e) => e)
    expect(unknown).toMatchObject({ code: 'invalid_credentials' })
    expect(wrong).toEqual(unknown)
  })

  it('stops an account after 10 failures in 15 minutes, with a retry time, and reveals nothing', async () => {
    for (const email of ['desk-admin@aomori.example.jp', 'no-such-account@example.com']) {
      for (let i = 0; i < 10; i++) {
        await expect(
          verifySignIn(h.db.runtimeDb, { email, password: `guess-${i}`, ip: `203.0.113.${i}`, throttle }),
        ).rejects.toMatchObject({
          code: 'invalid_credentials',
        })
      }
      // Even the right password is refused now; an existing and a made-up account answer alike.
      const error = await verifySignIn(h.db.runtimeDb, {
        email,
        password: DEMO_PASSWORD,
        ip: '203.0.113.99',
        throttle,
      }).catch((e) => e)
      expect(error).toMatchObject({ code: 'throttled' })
      expect(error.retryAfterSeconds).toBeGreaterThan(14 * 60)
      expect(error.retryAfterSeconds).toBeLessThanOrEqual(15 * 60)
    }
  })

  it('stops an IP address after 10 failures across accounts', async () => {
    const ip = '198.51.100.77'
    for (let i = 0; i < 10; i++) {
      await verifySignIn(h.db.runtimeDb, {
        email: `someone-${i}@example.com`,
        password: 'x',
        ip,
        throttle,
      }).catch(() => {})
    }
    await expect(
      verifySignIn(h.db.runtimeDb, { email: 'biz1@example.com', password: DEMO_PASSWORD, ip, throttle }),
    ).rejects.toMatchObject({
      code: 'throttled',
    })
    // Another address still signs in.
    await expect(
      verifySignIn(h.db.runtimeDb, {
        email: 'biz1@example.com',
        password: DEMO_PASSWORD,
        ip: '198.51.100.78',
        throttle,
      }),
    ).resolves.toHaveProperty('userId')
  })

  it('lets the failures age out of the window', async () => {
    const email = 'desk-admin@aomori.example.jp'
    await h.db
      .adminSql`UPDATE login_attempts SET at = now() - interval '16 minutes' WHERE key = ${`account:${email}`}`
    await expect(
      verifySignIn(h.db.runtimeDb, { email, password: DEMO_PASSWORD, ip: '203.0.113.200', throttle }),
    ).resolves.toBeTruthy()
  })
})
