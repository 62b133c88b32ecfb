import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) } },
  test: {
    include: ['{app,db,packages}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'build/**', 'e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One PostgreSQL for the run (DATABASE_URL, or an embedded cluster); each test file makes its own database.
    globalSetup: ['./db/testing/global-setup.ts'],
    reporters: ['default'],
  },
})
