import { describe, expect, it } from 'vitest'
import { createNonce, securityHeaders } from './security-headers.server'

describe('security headers', () => {
  it('allows scripts only from this site or with the request nonce, and forbids framing', () => {
    const nonce = createNonce()
    const headers = securityHeaders({ nonce, production: false })
    const csp = headers['Content-Security-Policy']!
    expect(csp).toContain(`script-src 'self' 'nonce-${nonce}'`)
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'none'")
    expect(headers['X-Content-Type-Options']).toBe('nosniff')
    expect(headers['Referrer-Policy']).toBeTruthy()
    expect(headers['Strict-Transport-Security']).toBeUndefined()
  })

  it('adds HSTS in production and a fresh nonce each time', () => {
    expect(securityHeaders({ nonce: 'x', production: true })['Strict-Transport-Security']).toMatch(/max-age=\d+/)
    expect(createNonce()).not.toBe(createNonce())
  })
})
