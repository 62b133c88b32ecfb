import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '~/test/harness'
import { DEMO_PASSWORD } from '../../../db/seed/demo'
import { changePassword, requestPasswordReset, resetPassword } from './accounts.server'
import { createEmailToken } from '../../../db/tokens'

/** Issue 17, finding 2: reset tokens are revoked together (migration 0018). */
let h: Harness

beforeAll(async () => {
  h = await createHarness()
})
afterAll(async () => {
  await h?.close()
})

async function userId(email: string): Promise<string> {
  const [row] = await h.db.adminSql<{ id: string }[]>`SELECT id FROM users WHERE email = ${email}`
  return row!.id
}

/** A live token written directly: through the site a user never holds two at once. */
async function liveToken(email: string): Promise<string> {
  const { token, tokenHash } = createEmailToken()
  await h.db.adminSql`INSERT INTO password_reset_tokens (user_id, token_hash, expires_at)
    VALUES (${await userId(email)}, ${tokenHash}, now() + interval '30 minutes')`
  return token
}

const reset = (token: string, newPassword: string) =>
  resetPassword(h.db.runtimeDb, { token, newPassword, ip: null })

describe('password reset tokens', () => {
  it('using one revokes every other outstanding token of the user', async () => {
    const first = await liveToken('biz1@example.com')
    const second = await liveToken('biz1@example.com')
    await expect(reset(first, 'first token passphrase')).resolves.toBe(await userId('biz1@example.com'))
    await expect(reset(second, 'second token passphrase')).rejects.toMatchObject({ code: 'invalid_token' })
    await expect(reset(first, 'first token again')).rejects.toMatchObject({ code: 'invalid_token' })
  })

  it('requesting a new one revokes the older ones', async () => {
    const older = await liveToken('biz2@example.com')
    await requestPasswordReset(h.db.runtimeDb, {
      email: 'biz2@example.com',
      origin: 'https://desk.example.jp',
      ip: null,
    })
    await expect(reset(older, 'older token passphrase')).rejects.toMatchObject({ code: 'invalid_token' })
  })

  it("changing the password revokes them, and only the user's own", async () => {
    const mine = await liveToken('univ@example.com')
    const someoneElses = await liveToken('desk-staff@komatsu.example.jp')
    await changePassword(h.db.runtimeDb, {
      userId: await userId('univ@example.com'),
      currentPassword: DEMO_PASSWORD,
      newPassword: 'changed passphrase 2026',
      ip: null,
    })
    await expect(reset(mine, 'stale token passphrase')).rejects.toMatchObject({ code: 'invalid_token' })
    await expect(reset(someoneElses, 'still valid passphrase')).resolves.toBeTruthy()
  })

  it('stores only the hash and expires within 30 minutes', async () => {
    await requestPasswordReset(h.db.runtimeDb, {
      email: 'biz1@example.com',
      origin: 'https://desk.example.jp',
      ip: null,
    })
    const [row] = await h.db.adminSql<{ token_hash: string; minutes: number }[]>`
      SELECT token_hash, extract(epoch from expires_at - created_at) / 60 AS minutes FROM password_reset_tokens
       WHERE user_id = ${await userId('biz1@example.com')} ORDER BY created_at DESC LIMIT 1`
    expect(row!.token_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(Number(row!.minutes)).toBeLessThanOrEqual(30)
  })

  it('refuses a common password before using the token up', async () => {
    const token = await liveToken('dept-staff@komatsu.example.jp')
    await expect(reset(token, 'password123')).rejects.toMatchObject({ code: 'common_password' })
    await expect(reset(token, 'an uncommon passphrase')).resolves.toBeTruthy()
  })
})
