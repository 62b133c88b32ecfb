import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { brokenVariants } from './fixtures/broken-variants'
import { parseTenantSource } from './load'
import {
  PARALLEL_MIN_FILES,
  parseTenantSources,
  startParseWorkers,
  type ParsedBatch,
  type ParseItem,
} from './parallel'

const minimalPath = new URL('./fixtures/minimal.yaml', import.meta.url)

describe('parseTenantSources', () => {
  it('gives, in the files’ order, the same results and problems in workers as one by one', async () => {
    const minimal = await readFile(minimalPath, 'utf8')
    // Enough files for workers to start, valid ones interleaved with every broken variant.
    const items: ParseItem[] = Array.from({ length: PARALLEL_MIN_FILES * 3 }, (_, index) => {
      const variant = index % 5 === 0 ? brokenVariants[(index / 5) % brokenVariants.length] : undefined
      const source = variant
        ? minimal.replace(variant.replace, variant.with)
        : minimal.replace('sample-city', `city-${index}`)
      return { source, file: `tenants/city-${index}.yaml` }
    })
    const oneByOne = items.map(({ source, file }) => parseTenantSource(source, file))
    expect(oneByOne.filter((result) => !result.ok)).toHaveLength(items.length / 5)
    expect(await parseTenantSources(items)).toEqual(oneByOne)
  }, 30_000)

  it('starts workers from the sources that parse as the calling thread does', async () => {
    const minimal = await readFile(minimalPath, 'utf8')
    const [worker] = startParseWorkers(1)
    expect(worker).toBeDefined()
    try {
      const reply = new Promise<ParsedBatch>((resolve) => worker!.once('message', resolve))
      worker!.postMessage({ id: 7, items: [{ source: minimal, file: 'tenants/a.yaml' }] })
      expect(await reply).toEqual({ id: 7, results: [parseTenantSource(minimal, 'tenants/a.yaml')] })
    } finally {
      await worker!.terminate()
    }
  })

  it('parses a handful of files on the calling thread', async () => {
    const minimal = await readFile(minimalPath, 'utf8')
    const results = await parseTenantSources([{ source: minimal, file: 'tenants/a.yaml' }])
    expect(results).toEqual([parseTenantSource(minimal, 'tenants/a.yaml')])
  })
})
