import { describe, expect, it } from 'vitest'
import { cachedData, createDataCache } from './data-cache'

describe('the page-data cache', () => {
  it('evicts the least recently used entry', async () => {
    const cache = createDataCache(2)
    await cachedData(cache, 'a', async () => ({ n: 1 }))
    await cachedData(cache, 'b', async () => ({ n: 2 }))
    expect(await cachedData(cache, 'a', async () => ({ n: -1 }))).toEqual({ n: 1 }) // a is now the most recent
    await cachedData(cache, 'c', async () => ({ n: 3 }))
    expect(cache.has('b')).toBe(false)
    expect(await cachedData(cache, 'a', async () => ({ n: -1 }))).toEqual({ n: 1 })
    expect(await cachedData(cache, 'c', async () => ({ n: -1 }))).toEqual({ n: 3 })
    expect(cache.size).toBe(2)
  })

  it('computes a missing value once, even for concurrent callers', async () => {
    const cache = createDataCache(10)
    let calls = 0
    const compute = async () => {
      calls += 1
      await new Promise((resolve) => setTimeout(resolve, 5))
      return { value: 1 }
    }
    const results = await Promise.all([cachedData(cache, 'k', compute), cachedData(cache, 'k', compute)])
    expect(results).toEqual([{ value: 1 }, { value: 1 }])
    expect(calls).toBe(1)
    expect(await cachedData(cache, 'k', compute)).toEqual({ value: 1 })
    expect(calls).toBe(1)
  })

  it('answers a computation whose entry was pushed out while it ran', async () => {
    const cache = createDataCache(1)
    let release = () => {}
    const slow = cachedData(cache, 'slow', () => new Promise<{ late: boolean }>((resolve) => (release = () => resolve({ late: true }))))
    await cachedData(cache, 'other', async () => ({ x: 1 }))
    release()
    expect(await slow).toEqual({ late: true })
  })

  it('does not remember a failed computation', async () => {
    const cache = createDataCache(10)
    await expect(cachedData(cache, 'k', () => Promise.reject(new Error('down')))).rejects.toThrow('down')
    expect(await cachedData(cache, 'k', async () => ({ ok: true }))).toEqual({ ok: true })
  })

  it('rejects a capacity below one', () => {
    expect(() => createDataCache(0)).toThrow()
  })
})
