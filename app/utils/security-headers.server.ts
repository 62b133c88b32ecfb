import { randomBytes } from 'node:crypto'

export function createNonce(): string {
  return randomBytes(16).toString('base64')
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
