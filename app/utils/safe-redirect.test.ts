import { describe, expect, it } from 'vitest'
import { safeRedirectPath } from '../http/guards.server'

describe('safeRedirectPath (the return path after sign-in or sign-up)', () => {
  it('keeps a path on this site, with its query', () => {
    expect(safeRedirectPath('/proposals/new?city=komatsu')).toBe('/proposals/new?city=komatsu')
    expect(safeRedirectPath('/komatsu/propose?theme=abc')).toBe('/komatsu/propose?theme=abc')
  })

  it.each([
    'https://evil.example/phish',
    '//evil.example/phish',
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    ' /account',
    'javascript:alert(1)',
    '/\u0000//evil.example',
    '',
    undefined,
    42,
  ])('refuses %j: only the fallback is used', (value) => {
    expect(safeRedirectPath(value, '/account')).toBe('/account')
  })
})
