import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * Integration tests of the journeys, run unchanged against the coordinator: under this config
 * `createTestDatabase()` (db/testing) gives each file a copy of the migrated, distributed schema on
 * the local cluster. Sign-up and accounts, proposing to two cities, desk screening and dialogue,
 * publishing a case, the mailer, after-decision work, disabling accounts, invitations, the desk
 * dashboard and stage reminders (docs/scaling.md; the dashboard's statements are router queries since
 * one of them crashed the 13.2 coordinator, the reminder job inserts row by row since migration 0039),
 * and across cities: the lists, the platform home, the desk's similar cases and alert matching, read
 * through definer readers since migration 0041.
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
  // Across cities: the readers' rule, the lists, the desk's similar cases, alert matching and the daily digest's
  // reads (definer readers, migration 0041). Not alerts-digest-schedule.test.ts: it waits ~30 s for pg-boss's
  // scheduler (the coordinator's local tables) to call the digest alerts.test.ts already runs here.
  'db/probes/across-cities.test.ts',
  'app/test/across-cities.test.ts',
  'app/test/alerts.test.ts',
]

/**
 * The rest of the integration suite that runs on the coordinator (docs/scaling.md, "What runs on the
 * coordinator"), one product path each. Every other file that makes a database, and why it is not here:
 * - on a single PostgreSQL only: db/citus/plain-postgres.test.ts (the migrated schema, no cluster);
 *   db/isolation.test.ts (every table: isolation.citus.test.ts probes the 13 of CITUS_PROBE_TABLES
 *   here, all of them took six minutes); db/tenant-archive/tenant-archive.test.ts (its import into
 *   the coordinator is tenant-archive.citus.test.ts); scripts/scale/seed.test.ts (the benchmark seed
 *   fills tables with INSERT … SELECT generate_series as the owner, which Citus executes as a COPY
 *   into the shards, and Citus refuses COPY into a table with row-level security);
 * - passing here, left out for time (CI under 30 minutes): app/utils/auth.server.test.ts (password
 *   hashing and throttles, about a minute; the accounts' paths on the cluster are auth-routes'),
 *   app/utils/mail-delivery.test.ts (the mail job's retries on pg-boss tables, which stay local on
 *   the coordinator; about a minute), scripts/operator-cli.test.ts (onboarding.test's operator
 *   tasks through the CLI: six tsx processes, about a minute and a half);
 */
const INTEGRATION = [
  'app/http/errors.test.ts',
  'app/http/form-validation.test.tsx',
  'app/jobs/queue.test.ts',
  'app/server/auth-middleware.test.ts',
  'app/utils/mail.server.test.ts',
  'app/operations/accounts/reset-tokens.test.ts',
  'app/test/forgot-password.test.ts',
  'app/test/account-forms.test.ts',
  'app/test/operator-session.test.ts',
  'app/operations/operator/second-factor.test.ts',
  'app/operations/operator/onboarding.test.ts',
  'db/probes/operator.test.ts',
  'db/seed/demo.test.ts',
  'db/tenant-context.test.ts',
  'app/test/proposal-form.test.tsx',
  'app/test/draft-city.test.ts',
  'app/test/draft-files.test.ts',
  'db/file-storage/file-store.test.ts',
  'app/operations/proposals/draft-limit.test.ts',
  'app/operations/proposals/audit-and-views.test.ts',
  'app/test/desk-forms.test.tsx',
  'app/test/desk-exports.test.ts',
  'app/test/page-transactions.test.ts',
  'app/operations/lists-paging.test.ts',
  'app/operations/experiments/experiments.test.ts',
  'app/operations/experiments/column-guard.test.ts',
]

/** The Citus suite (`pnpm test:citus`): tests that need the local cluster (db/citus/cluster.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: { alias: { '~': fileURLToPath(new URL('../../app', import.meta.url)) } },
  test: {
    include: ['db/**/*.citus.test.ts', ...JOURNEYS, ...INTEGRATION],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    globalSetup: ['./db/citus/global-setup.ts'],
    // Two files at a time: much of a file's time is waiting on the three nodes (copying the database,
    // round trips through the coordinator); measured in docs/scaling.md ("The rest of the integration
    // suite"). More workers would only queue on the machine's two cores.
    fileParallelism: true,
    maxWorkers: 2,
    minWorkers: 1,
  },
})
