import { describe, expect, it } from 'vitest'
import type { RegisteredTenant } from '../utils/tenant-registry.server'
import { renderCacheScopes } from './render-cache-scopes'

const city = (slug: string, version: string, status: RegisteredTenant['status'] = 'live') =>
  ({ slug, version, status }) as RegisteredTenant

function registry(cities: RegisteredTenant[]) {
  return { get: (slug: string) => cities.find((c) => c.slug === slug), list: () => cities }
}

describe('render cache scopes', () => {
  it('are a city’s own pages, and /themes and /cases, whose version changes with any city’s file or status', () => {
    const cities = [city('alpha', 'a1'), city('beta', 'b1')]
    const scopes = renderCacheScopes(registry(cities))
    expect(scopes.get('alpha')).toBe(cities[0])
    expect(scopes.get('nowhere')).toBeUndefined()
    expect(scopes.get('themes.atom')).toBeUndefined()
    const themes = scopes.get('themes')!
    expect(themes).toMatchObject({ slug: 'themes', status: 'live' })
    expect(scopes.get('cases')!.version).toBe(themes.version)
    cities[1] = city('beta', 'b2')
    const edited = scopes.get('themes')!.version
    expect(edited).not.toBe(themes.version)
    cities[1] = city('beta', 'b2', 'suspended')
    expect(scopes.get('themes')!.version).not.toBe(edited)
  })
})
