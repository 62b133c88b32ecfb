import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * The integration tests of the journeys, run unchanged against the coordinator: under this config
 * `createTestDatabase()` (db/testing) makes a distributed database on the local cluster.
 */
export const JOURNEY_TESTS = (process.env.CITUS_JOURNEYS ?? '').split(',').filter(Boolean)

/** The Citus suite (`pnpm test:citus`): tests that need the local cluster (db/citus/cluster.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: { alias: { '~': fileURLToPath(new URL('../../app', import.meta.url)) } },
  test: {
    include: ['db/**/*.citus.test.ts', ...JOURNEY_TESTS],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    globalSetup: ['./db/citus/global-setup.ts'],
    // Every file forms databases on three nodes; one file at a time keeps the shared machine usable.
    fileParallelism: false,
  },
})
