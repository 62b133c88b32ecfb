import { LRUCache } from 'lru-cache'

/**
 * The portal's page-data caches (lru-cache). Entries are keyed by everything
 * that changes a page (city, locale, content version, route), so nothing is
 * ever invalidated in place — stale keys simply fall off the end.
 */
export type DataCache = LRUCache<string, object, () => Promise<object>>

export function createDataCache(maxEntries: number): DataCache {
  return new LRUCache<string, object, () => Promise<object>>({
    max: maxEntries,
    fetchMethod: (_key, _stale, { context }) => context(),
    // A computation whose entry is pushed out while it runs still answers the requests waiting for it.
    ignoreFetchAbort: true,
  })
}

/** The cached value, or `compute()`'s, remembered. Concurrent misses share one computation; a failure is not kept. */
export async function cachedData<T extends object>(
  cache: DataCache,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  return (await cache.fetch(key, { context: compute })) as T
}
