import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the operators'
 * second factor, with node:crypto alone. Secrets are base32 (RFC 4648) as
 * authenticator apps expect them.
 */

export const TOTP_STEP_SECONDS = 30
const DIGITS = 6
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export function generateTotpSecret(): string {
  // 160 bits, the size RFC 4226 recommends for HMAC-SHA1.
  return base32Encode(randomBytes(20))
}

function base32Encode(bytes: Buffer): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out
}

function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase()
  let bits = 0
  let value = 0
  const out: number[] = []
  for (const char of clean) {
    const index = ALPHABET.indexOf(char)
    if (index < 0) throw new Error('not a base32 secret')
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

export function totpStep(at: Date = new Date()): number {
  return Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS)
}

/** The code for one time step (RFC 4226 dynamic truncation). */
export function totpCode(secret: string, step: number): string {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const hmac = createHmac('sha1', base32Decode(secret)).update(counter).digest()
  const offset = hmac[hmac.length - 1]! & 0xf
  const binary = (hmac.readUInt32BE(offset) & 0x7fffffff) % 10 ** DIGITS
  return String(binary).padStart(DIGITS, '0')
}

/**
 * The time step a code belongs to, accepting one step either side for clock
 * drift, or null. Callers refuse a step at or before the last one accepted,
 * so a code cannot be replayed.
 */
export function matchTotpStep(secret: string, code: string, at: Date = new Date()): number | null {
  const given = Buffer.from(code.replace(/\s/g, ''))
  if (given.length !== DIGITS) return null
  const now = totpStep(at)
  for (const step of [now - 1, now, now + 1]) {
    if (timingSafeEqual(Buffer.from(totpCode(secret, step)), given)) return step
  }
  return null
}

/** The otpauth:// URI authenticator apps read (usually as a QR code; shown here as text). */
export function otpauthUri(options: { secret: string; account: string; issuer: string }): string {
  const label = encodeURIComponent(`${options.issuer}:${options.account}`)
  const query = new URLSearchParams({
    secret: options.secret,
    issuer: options.issuer,
    algorithm: 'SHA1',
    digits: '6',
    period: '30',
  })
  return `otpauth://totp/${label}?${query}`
}
