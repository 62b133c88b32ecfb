import { describe, expect, it } from 'vitest'
import { LruCache } from './lru'

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new LruCache<number>(2)
    cache.set('a', 1)
    cache.set('b', 2)
    expect(cache.get('a')).toBe(1) // a is now the most recent
    cache.set('c', 3)
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBe(1)
    expect(cache.get('c')).toBe(3)
    expect(cache.size).toBe(2)
  })

  it('computes a missing value once, even for concurrent callers', async () => {
    const cache = new LruCache<string>(10)
    let calls = 0
    const compute = async () => {
      calls += 1
      await new Promise((resolve) => setTimeout(resolve, 5))
      return 'value'
    }
    const results = await Promise.all([cache.getOrCompute('k', compute), cache.getOrCompute('k', compute)])
    expect(results).toEqual(['value', 'value'])
    expect(calls).toBe(1)
    expect(await cache.getOrCompute('k', compute)).toBe('value')
    expect(calls).toBe(1)
  })

  it('does not remember a failed computation', async () => {
    const cache = new LruCache<string>(10)
    await expect(cache.getOrCompute('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down')
    expect(await cache.getOrCompute('k', async () => 'ok')).toBe('ok')
  })

  it('rejects a capacity below one', () => {
    expect(() => new LruCache(0)).toThrow(RangeError)
  })
})
