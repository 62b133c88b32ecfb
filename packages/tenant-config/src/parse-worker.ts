/**
 * A worker thread of the parallel loader (parallel.ts): parses and validates
 * the tenant files it is sent, exactly as the main thread would.
 */
import { parentPort } from 'node:worker_threads'
import { parseTenantSource } from './load'
import type { ParseBatch, ParsedBatch } from './parallel'

parentPort?.on('message', ({ id, items }: ParseBatch) => {
  const reply: ParsedBatch = { id, results: items.map(({ source, file }) => parseTenantSource(source, file)) }
  parentPort?.postMessage(reply)
})
