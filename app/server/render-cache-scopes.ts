import { contentHash } from '../utils/portal/http-cache'
import type { TenantRegistry } from '../utils/tenant-registry.server'

/**
 * What the render cache keeps pages of, by the first segment of the path: a
 * city's public pages (its slug), and the cross-city lists /themes and /cases
 * (issue 22), which show every live city's published content and so change
 * with any city's file or status (here) and with the platform's published
 * content (the caller's contentVersion). Reserved slugs (issue 18) keep a
 * city from being called `themes` or `cases`.
 */
export type CacheScope = { slug: string; version: string; status: string }
export type CacheScopes = { get(segment: string): CacheScope | undefined }

/** The cross-city lists whose HTML documents are cached (their feeds and files are not documents). */
export const PLATFORM_LIST_SCOPES: ReadonlySet<string> = new Set(['themes', 'cases'])

export function renderCacheScopes(tenants: Pick<TenantRegistry, 'get' | 'list'>): CacheScopes {
  return {
    get(segment) {
      if (!PLATFORM_LIST_SCOPES.has(segment)) return tenants.get(segment)
      const cities = tenants.list().map((city) => `${city.slug}:${city.version}:${city.status}`)
      return { slug: segment, version: contentHash(...cities), status: 'live' }
    },
  }
}
