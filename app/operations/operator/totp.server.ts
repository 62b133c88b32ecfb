import { randomBytes } from 'node:crypto'
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding'
import { createTOTPKeyURI, generateHOTP, verifyHOTP } from '@oslojs/otp'

/**
 * TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the operators'
 * second factor, through @oslojs/otp. Secrets are base32 (RFC 4648, upper
 * case, no padding) as authenticator apps expect them, and as they have been
 * stored since the first enrolment.
 *
 * @oslojs/otp rather than @epic-web/totp: it computes a code for a given
 * counter, so the step a code belongs to is known exactly (the replay guard
 * stores it), where @epic-web/totp reads the clock itself and returns only a
 * delta; and it compares codes in constant time.
 */

const STEP_SECONDS = 30
const DIGITS = 6

export function generateTotpSecret(): string {
  // 160 bits, the size RFC 4226 recommends for HMAC-SHA1.
  return encodeBase32UpperCaseNoPadding(randomBytes(20))
}

function secretKey(secret: string): Uint8Array {
  return decodeBase32IgnorePadding(secret.replace(/\s/g, '').toUpperCase())
}

export function totpStep(at: Date = new Date()): number {
  return Math.floor(at.getTime() / 1000 / STEP_SECONDS)
}

/** The code for one time step. */
export function totpCode(secret: string, step: number): string {
  return generateHOTP(secretKey(secret), BigInt(step), DIGITS)
}

/**
 * The time step a code belongs to, accepting one step either side for clock
 * drift, or null. Callers refuse a step at or before the last one accepted,
 * so a code cannot be replayed.
 */
export function matchTotpStep(secret: string, code: string, at: Date = new Date()): number | null {
  const given = code.replace(/\s/g, '')
  if (given.length !== DIGITS) return null
  const key = secretKey(secret)
  const now = totpStep(at)
  return [now - 1, now, now + 1].find((step) => verifyHOTP(key, BigInt(step), DIGITS, given)) ?? null
}

/** The otpauth:// URI authenticator apps read (usually as a QR code; shown here as text). */
export function otpauthUri(options: { secret: string; account: string; issuer: string }): string {
  return createTOTPKeyURI(options.issuer, options.account, secretKey(options.secret), STEP_SECONDS, DIGITS)
}
