import { randomFillSync } from 'node:crypto'

const NONCE_BYTES = 16
/** Random bytes for 256 nonces, filled at once: one call into the CSPRNG per 256 responses, not per response. */
const pool = Buffer.alloc(NONCE_BYTES * 256)
let used = pool.length

/** 128 random bits, base64: a CSP nonce, never repeated (each pool's bytes are handed out once). */
export function createNonce(): string {
  if (used === pool.length) {
    randomFillSync(pool)
    used = 0
  }
  const nonce = pool.toString('base64', used, used + NONCE_BYTES)
  used += NONCE_BYTES
  return nonce
}

/**
 * Headers for every response. Scripts run only with the per-request nonce
 * (Remix's hydration data and module scripts carry it); nothing may frame us.
 */
export function securityHeaders(options: { nonce: string; production: boolean; devSocketPort?: number }) {
  const connectSources = ["'self'"]
  if (options.devSocketPort) connectSources.push(`ws://localhost:${options.devSocketPort}`)
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}'`,
    `style-src 'self' 'nonce-${options.nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connectSources.join(' ')}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ')
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  }
  if (options.production) headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains'
  return headers
}
