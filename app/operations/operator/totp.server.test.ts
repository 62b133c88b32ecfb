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
    for (const [seconds, code] of vectors) {
      const at = new Date(seconds * 1000)
      expect(totpCode(RFC_SECRET, totpStep(at))).toBe(code)
      expect(matchTotpStep(RFC_SECRET, code, at)).toBe(totpStep(at))
    }
  })

  it('still verifies a secret stored before the library, with the codes the hand-written TOTP gave it', () => {
    // Codes computed by the node:crypto implementation this module replaced, for a secret in its stored format.
    const stored = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
    const at = new Date('2026-12-06T10:00:00Z')
    expect(totpStep(at)).toBe(59885040)
    expect(matchTotpStep(stored, '301417', at)).toBe(59885039)
    expect(matchTotpStep(stored, '257994', at)).toBe(59885040)
    expect(matchTotpStep(stored, '752 511', at)).toBe(59885041)
    expect(matchTotpStep(stored.toLowerCase(), '257994', at)).toBe(59885040)
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

  it('makes 160-bit base32 secrets and an otpauth URI for SHA-1, 6 digits, 30 seconds', () => {
    const secret = generateTotpSecret()
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    const uri = new URL(otpauthUri({ secret, account: 'op@example.com', issuer: 'Desk' }))
    expect(`${uri.protocol}//${uri.host}${decodeURIComponent(uri.pathname)}`).toBe('otpauth://totp/Desk:op@example.com')
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret,
      issuer: 'Desk',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    })
  })
})
