import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { quoteIdentifier } from '../embedded'
import { prepareDatabase, runtimeUrlFrom } from '../setup'
import { createRuntimeDb, type RuntimeDb } from '../runtime'
import { createOwnerDb, createOwnerSql, type OwnerDb } from '../owner'
import { TEST_RUNTIME_PASSWORD, withServerLock } from './server'

export type TestDatabase = {
  name: string
  /** Owner-side URL of this database (migrations, seeding, assertions "from above"). */
  adminUrl: string
  /** The runtime role's URL of this database. */
  runtimeUrl: string
  /** postgres.js on `adminUrl`, logged in as the server's admin (superuser on test servers). */
  adminSql: postgres.Sql
  /** postgres.js on `runtimeUrl`: what the app's requests use. */
  runtimeSql: postgres.Sql
  /** postgres.js acting as `desk_owner` (what `createOwnerDb` gives the app). */
  ownerSql: postgres.Sql
  /** drizzle on the runtime role, for `withTenant(runtimeDb, …)`. */
  runtimeDb: RuntimeDb
  /** drizzle acting as `desk_owner`. */
  ownerDb: OwnerDb
  /** Closes every connection and drops the database. */
  drop: () => Promise<void>
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

/**
 * A fresh database for one test file: `CREATE DATABASE desk_test_<random>` on
 * the run's server (DATABASE_URL, or the embedded cluster the global setup
 * started), both roles, every migration. Call `drop()` in `afterAll`.
 */
export async function createTestDatabase(options: { serverUrl?: string } = {}): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? (await import('vitest')).inject('testDatabaseServerUrl')
  if (!serverUrl) throw new Error('no test database server: add db/testing/global-setup.ts to vitest globalSetup')
  const name = `desk_test_${randomBytes(6).toString('hex')}`
  const server = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await server.unsafe(`CREATE DATABASE ${quoteIdentifier(name)}`)
  await server.end()

  const adminUrl = withDatabase(serverUrl, name)
  const runtimePassword = process.env.DATABASE_RUNTIME_PASSWORD ?? TEST_RUNTIME_PASSWORD
  await withServerLock(serverUrl, () => prepareDatabase({ adminUrl, runtimePassword }))
  const runtimeUrl = runtimeUrlFrom(adminUrl, runtimePassword)

  const adminSql = postgres(adminUrl, { max: 4, onnotice: () => {} })
  const runtimeSql = postgres(runtimeUrl, { max: 8, onnotice: () => {} })
  const ownerSql = createOwnerSql(adminUrl, { max: 2 })
  const runtimeDb = createRuntimeDb(runtimeUrl, { max: 4 })
  const ownerDb = createOwnerDb(adminUrl, { max: 2 })

  return {
    name,
    adminUrl,
    runtimeUrl,
    adminSql,
    runtimeSql,
    ownerSql,
    runtimeDb,
    ownerDb,
    drop: async () => {
      await Promise.all([
        adminSql.end({ timeout: 5 }),
        runtimeSql.end({ timeout: 5 }),
        ownerSql.end({ timeout: 5 }),
        runtimeDb.$client.end({ timeout: 5 }),
        ownerDb.$client.end({ timeout: 5 }),
      ])
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} })
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`)
      } finally {
        await dropper.end()
      }
    },
  }
}
