import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) } },
  test: {
    include: ['{app,db,packages,scripts}/**/*.test.{ts,tsx}'],
    // *.citus.test.ts need the local Citus cluster: pnpm test:citus (db/citus/vitest.config.ts).
    exclude: ['**/node_modules/**', 'build/**', 'e2e/**', '**/*.citus.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One PostgreSQL for the run (DATABASE_URL, or an embedded cluster); each test file makes its own database.
    globalSetup: ['./db/testing/global-setup.ts'],
    reporters: ['default'],
  },
})
