import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/** The Citus suite (`pnpm test:citus`): tests that need the local cluster (db/citus/cluster.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: { alias: { '~': fileURLToPath(new URL('../../app', import.meta.url)) } },
  test: {
    include: ['db/**/*.citus.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    globalSetup: ['./db/citus/global-setup.ts'],
    // Every file forms databases on three nodes; one file at a time keeps the shared machine usable.
    fileParallelism: false,
  },
})
