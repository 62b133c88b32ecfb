import { describe, expect, it } from 'vitest'
import { generateTotpSecret, matchTotpStep, otpauthUri, totpCode, totpStep } from './totp.server'

// RFC 6238 appendix B: the SHA-1 secret "12345678901234567890" in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors (last six digits)', () => {
    const vectors: [number, string][] = [
      [59, '287082'],
      [1111111109, '081804'],
      [1111111111, '050471'],
      [1234567890, '005924'],
      [2000000000, '279037'],
    ]
    for (const [seconds, code] of vectors)
      expect(totpCode(RFC_SECRET, totpStep(new Date(seconds * 1000)))).toBe(code)
  })

  it('accepts one step either side and nothing further', () => {
    const secret = generateTotpSecret()
    const at = new Date('2026-11-22T05:00:10Z')
    const step = totpStep(at)
    expect(matchTotpStep(secret, totpCode(secret, step), at)).toBe(step)
    expect(matchTotpStep(secret, totpCode(secret, step - 1), at)).toBe(step - 1)
    expect(matchTotpStep(secret, totpCode(secret, step + 1), at)).toBe(step + 1)
    expect(matchTotpStep(secret, totpCode(secret, step - 2), at)).toBeNull()
    expect(matchTotpStep(secret, totpCode(secret, step + 2), at)).toBeNull()
    expect(matchTotpStep(secret, '12345', at)).toBeNull()
  })

  it('makes 160-bit base32 secrets and an otpauth URI', () => {
    expect(generateTotpSecret()).toMatch(/^[A-Z2-7]{32}$/)
    expect(otpauthUri({ secret: 'ABC', account: 'op@example.com', issuer: 'Desk' })).toBe(
      'otpauth://totp/Desk%3Aop%40example.com?secret=ABC&issuer=Desk&algorithm=SHA1&digits=6&period=30',
    )
  })
})
