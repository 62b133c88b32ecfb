import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * Integration tests of the journeys, run unchanged against the coordinator: under this config
 * `createTestDatabase()` (db/testing) gives each file a copy of the migrated, distributed schema on
 * the local cluster. Sign-up and accounts, proposing to two cities, desk screening and dialogue,
 * publishing a case, the mailer, after-decision work, disabling accounts, invitations, the desk
 * dashboard and stage reminders (docs/scaling.md; the dashboard's statements are router queries since
 * one of them crashed the 13.2 coordinator, the reminder job inserts row by row since migration 0039).
 * Not yet (docs/scaling.md, "What is left"): the cross-city lists and alerts (Citus runs their views'
 * shard queries as the caller, whose policies show no other city).
 */
const JOURNEYS = [
  'app/test/auth-routes.test.ts',
  'app/operations/proposals/lifecycle.test.ts',
  'app/operations/inbox/desk-work.test.ts',
  'app/operations/dialogue/notification-mail.test.ts',
  'app/operations/agreements/after-decision.test.ts',
  'app/operations/accounts/disable-account.test.ts',
  'app/test/invitations.test.ts',
  'app/operations/dashboard/desk-dashboard.test.ts',
  'app/operations/reminders/remind-waiting-proposals.test.ts',
]

/** The Citus suite (`pnpm test:citus`): tests that need the local cluster (db/citus/cluster.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: { alias: { '~': fileURLToPath(new URL('../../app', import.meta.url)) } },
  test: {
    include: ['db/**/*.citus.test.ts', ...JOURNEYS],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    globalSetup: ['./db/citus/global-setup.ts'],
    // Every file forms databases on three nodes; one file at a time keeps the shared machine usable.
    fileParallelism: false,
  },
})
