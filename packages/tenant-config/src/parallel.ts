import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { parseTenantSource, type TenantLoadResult } from './load'

/**
 * Parsing many tenant files on every core. Each file is parsed and validated
 * by `parseTenantSource`, on the main thread or in a worker, so results and
 * problems are the same either way and come back in the files' order.
 *
 * The work is handed out in small batches: the main thread parses one batch,
 * then hands the next to any idle worker, so a worker that starts late (about
 * 0.1 s) or a busy core does not hold the rest up.
 *
 * The worker runs `parse-worker.ts`. The production build ships it bundled
 * next to the server (app/server/build-server.mjs); from sources it starts
 * through `parse-worker-from-sources.mjs`, which loads tsx in the worker, since
 * tsx's hooks do not reach worker threads on Node 20. Where neither exists,
 * everything runs here.
 */

export type ParseItem = { source: string; file: string }
export type ParseBatch = { id: number; items: ParseItem[] }
export type ParsedBatch = { id: number; results: TenantLoadResult[] }

/** Below this many files a worker's start-up costs more than it saves. */
export const PARALLEL_MIN_FILES = 100
const BATCH_SIZE = 20
/** The bundled worker's name beside the production server bundle. */
export const WORKER_BUNDLE_NAME = 'tenant-parse-worker.js'

export async function parseTenantSources(items: readonly ParseItem[]): Promise<TenantLoadResult[]> {
  const workerCount = Math.min(availableParallelism() - 1, Math.floor(items.length / PARALLEL_MIN_FILES))
  const workers = workerCount > 0 ? startParseWorkers(workerCount) : []
  if (workers.length === 0) return items.map(({ source, file }) => parseTenantSource(source, file))
  try {
    return await parseShared(items, workers)
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
}

async function parseShared(items: readonly ParseItem[], workers: Worker[]): Promise<TenantLoadResult[]> {
  const results = new Array<TenantLoadResult>(items.length)
  const batches: ParseBatch[] = []
  for (let start = 0; start < items.length; start += BATCH_SIZE) {
    batches.push({ id: start, items: items.slice(start, start + BATCH_SIZE) })
  }
  let next = 0
  let outstanding = 0
  let failure: unknown = null
  const idle: Worker[] = []
  let wake = () => {}
  const dispatch = () => {
    while (idle.length > 0 && next < batches.length) {
      outstanding++
      idle.pop()!.postMessage(batches[next++])
    }
  }
  for (const worker of workers) {
    worker.on('message', ({ id, results: parsed }: ParsedBatch) => {
      parsed.forEach((result, index) => (results[id + index] = result))
      outstanding--
      idle.push(worker)
      dispatch()
      wake()
    })
    worker.on('error', (error) => {
      failure = error
      wake()
    })
    worker.once('online', () => {
      idle.push(worker)
      dispatch()
    })
  }
  while (next < batches.length) {
    const { id, items: batch } = batches[next++]!
    batch.forEach(({ source, file }, index) => (results[id + index] = parseTenantSource(source, file)))
    // Lets the workers' replies in, so an idle worker gets the next batch.
    await new Promise((resolve) => setImmediate(resolve))
    if (failure) throw failure
  }
  while (outstanding > 0) {
    await new Promise<void>((resolve) => (wake = resolve))
    if (failure) throw failure
  }
  return results
}

/** The worker's entry: the production bundle's file beside the server, or the sources' entry (which loads tsx itself); null when neither exists. */
function findWorkerEntry(): URL | null {
  for (const name of [WORKER_BUNDLE_NAME, 'parse-worker-from-sources.mjs']) {
    const entry = new URL(`./${name}`, import.meta.url)
    if (existsSync(entry)) return entry
  }
  return null
}

/** `count` parse workers, or none where the worker's code cannot be found or built. */
export function startParseWorkers(count: number): Worker[] {
  const entry = findWorkerEntry()
  if (!entry) return []
  return Array.from({ length: count }, () => new Worker(entry))
}
