import { randomBytes } from 'node:crypto'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres } from '../embedded'
import { withServerLock, TEST_RUNTIME_PASSWORD } from './server'
import { prepareRoles } from '../setup'
import { dropDatabase } from './index'

/**
 * Vitest global setup: one PostgreSQL server for the whole run. With
 * DATABASE_URL set it is that server; otherwise an embedded cluster under
 * `.data/test-pg` (port TEST_PG_PORT, default 54330), stopped at teardown.
 * Each test file then makes its own database with `createTestDatabase()`, a
 * copy of one template database migrated once for the run.
 */
export default async function setup(project: TestProject) {
  const external = process.env.DATABASE_URL
  let adminUrl: string
  let stop: () => Promise<void> = async () => {}
  if (external) {
    adminUrl = external
  } else {
    const database = await startEmbeddedPostgres({
      dataDir: path.resolve(process.env.TEST_DATA_DIR ?? '.data/test-pg'),
      port: Number(process.env.TEST_PG_PORT ?? 54330),
    })
    adminUrl = database.adminUrl
    stop = database.stop
  }
  // Create the cluster-wide roles once, before test files race to do it.
  await withServerLock(adminUrl, () =>
    prepareRoles({ adminUrl, runtimePassword: process.env.DATABASE_RUNTIME_PASSWORD ?? TEST_RUNTIME_PASSWORD }),
  )
  project.provide('testDatabaseServerUrl', adminUrl)
  // The migrated database each test file's database is copied from, made by the first file that needs
  // one (createTestDatabase). Named per run: runs of other worktrees on the same DATABASE_URL server
  // keep their own, and no run copies a template of another branch's migrations.
  const template = `desk_template_run_${randomBytes(6).toString('hex')}`
  project.provide('testDatabaseTemplate', template)
  return async () => {
    await dropDatabase(adminUrl, template)
    await stop()
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseServerUrl: string
    /** The migrated database each test file's database is a copy of. */
    testDatabaseTemplate: string
  }
}
