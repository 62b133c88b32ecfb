import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * The resilience suite (issue 11): the production build (`pnpm build`) against
 * its own embedded PostgreSQL, which it stops and starts. Run by `pnpm test`
 * (e2e/run.mjs, after the build) or alone with `pnpm test:resilience`.
 */
export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('../../app', import.meta.url)) } },
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['e2e/resilience/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    reporters: ['default'],
  },
})
