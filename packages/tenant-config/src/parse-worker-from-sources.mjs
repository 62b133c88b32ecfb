// The parse worker's entry when running from TypeScript sources (tsx, vitest):
// tsx's hooks do not reach worker threads on Node 20, so the worker loads them itself.
import { tsImport } from 'tsx/esm/api'

await tsImport('./parse-worker.ts', import.meta.url)
