/**
 * A small least-recently-used map: the portal's data cache. Entries are keyed
 * by everything that changes a page (city, locale, content version, route), so
 * nothing is ever invalidated in place — stale keys simply fall off the end.
 */
export class LruCache<V> {
  readonly #entries = new Map<string, V>()
  readonly #pending = new Map<string, Promise<V>>()

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer')
  }

  get size(): number {
    return this.#entries.size
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key)
    if (value === undefined) return undefined
    // Re-insert so the Map's insertion order doubles as recency order.
    this.#entries.delete(key)
    this.#entries.set(key, value)
    return value
  }

  set(key: string, value: V): void {
    this.#entries.delete(key)
    this.#entries.set(key, value)
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value as string
      this.#entries.delete(oldest)
    }
  }

  /** The cached value, or `compute()`'s, remembered. Concurrent misses share one computation. */
  async getOrCompute(key: string, compute: () => Promise<V>): Promise<V> {
    const cached = this.get(key)
    if (cached !== undefined) return cached
    const pending = this.#pending.get(key)
    if (pending) return pending
    const computation = compute().finally(() => this.#pending.delete(key))
    this.#pending.set(key, computation)
    const value = await computation
    this.set(key, value)
    return value
  }
}
