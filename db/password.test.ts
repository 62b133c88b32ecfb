import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from './password'

describe('password hashing', () => {
  it('uses Argon2id with at least 19 MiB and 2 iterations', async () => {
    const encoded = await hashPassword('correct horse battery staple')
    const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(encoded)
    expect(match).not.toBeNull()
    expect(Number(match![1])).toBeGreaterThanOrEqual(19_456)
    expect(Number(match![2])).toBeGreaterThanOrEqual(2)
  })

  it('verifies the right password and rejects a wrong one or a broken hash', async () => {
    const encoded = await hashPassword('s3cret-passphrase')
    expect(await verifyPassword(encoded, 's3cret-passphrase')).toBe(true)
    expect(await verifyPassword(encoded, 'S3cret-passphrase')).toBe(false)
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false)
  })
})
