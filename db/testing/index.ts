import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { quoteIdentifier } from '../embedded'
import { prepareDatabase, prepareRoles, runtimeUrlFrom } from '../setup'
import { createRuntimeDb, type RuntimeDb } from '../runtime'
import { createOwnerDb, createOwnerSql, type OwnerDb } from '../owner'
import { TEST_RUNTIME_PASSWORD, withServerLock } from './server'
import type { CitusCluster } from '../citus/cluster'

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

/** `url` with its database replaced by `name`. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

/**
 * `CREATE DATABASE name` on the server of `serverUrl`, empty or as a copy of `template`. A copy
 * waits while the template still has a session (55006: the migrating connection just closed).
 */
export async function createDatabase(serverUrl: string, name: string, template?: string): Promise<void> {
  const server = postgres(serverUrl, { max: 1, onnotice: () => {} })
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await server.unsafe(`CREATE DATABASE ${quoteIdentifier(name)}${template ? ` TEMPLATE ${quoteIdentifier(template)}` : ''}`)
        return
      } catch (error) {
        const templateInUse = error instanceof postgres.PostgresError && error.code === '55006'
        if (!templateInUse || attempt >= 20) throw error
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
      }
    }
  } finally {
    await server.end()
  }
}

/** Drops the database `name` of the server of `serverUrl`, closing its connections. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const server = postgres(serverUrl, { max: 1, onnotice: () => {} })
  try {
    await server.unsafe(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`)
  } finally {
    await server.end()
  }
}

/**
 * A fresh database for one test file: `CREATE DATABASE desk_test_<random>` on
 * the run's server (DATABASE_URL, or the embedded cluster the global setup
 * started), both roles, every migration — inside a vitest run as a copy of the
 * run's migrated template database, outside one (the benchmarks) migrated
 * afresh. Call `drop()` in `afterAll`.
 */
export async function createTestDatabase(
  options: {
    serverUrl?: string
    /**
     * Under `pnpm test:citus`: the shards per distributed table (default CITUS_TEST_SHARD_COUNT or 4,
     * two per worker — every shard is DDL on a worker, and the 32 of production take a minute more
     * per database; the routing test asks for 32).
     */
    citusShardCount?: number
  } = {},
): Promise<TestDatabase> {
  // Only inside a vitest run (the benchmarks call this with a serverUrl, outside one: importing vitest there throws).
  const inject = options.serverUrl ? undefined : (await import('vitest')).inject
  // Under `pnpm test:citus` (db/citus/vitest.config.ts) the run's server is the local Citus cluster.
  const citus = inject?.('citusCluster')
  if (citus)
    return createDistributedTestDatabase(
      JSON.parse(citus) as CitusCluster,
      options.citusShardCount ?? Number(process.env.CITUS_TEST_SHARD_COUNT ?? 4),
    )
  const serverUrl = options.serverUrl ?? inject?.('testDatabaseServerUrl')
  if (!serverUrl) throw new Error('no test database server: add db/testing/global-setup.ts to vitest globalSetup')
  const name = `desk_test_${randomBytes(6).toString('hex')}`
  const adminUrl = withDatabase(serverUrl, name)
  const runtimePassword = process.env.DATABASE_RUNTIME_PASSWORD ?? TEST_RUNTIME_PASSWORD
  // In a vitest run, a copy of the run's migrated template (db/testing/global-setup.ts names it): the
  // same schema in a fraction of the time every migration takes, which each file would otherwise pay.
  const template = inject?.('testDatabaseTemplate')
  await withServerLock(serverUrl, async () => {
    if (template) {
      await ensureTemplateDatabase(serverUrl, template, runtimePassword)
      await createDatabase(serverUrl, name, template)
      // A copy has the template's tables and their grants, not the roles' grants on the database itself.
      await prepareRoles({ adminUrl, runtimePassword })
    } else {
      await createDatabase(serverUrl, name)
      await prepareDatabase({ adminUrl, runtimePassword })
    }
  })
  return connect(name, adminUrl, () => dropDatabase(serverUrl, name))
}

/**
 * Makes the run's template database with every migration, unless an earlier test file has: the
 * first file that needs a database pays for it (under the server lock), a run without any nothing.
 * One that failed half-way is dropped, so the next file tries again rather than copying it.
 */
async function ensureTemplateDatabase(serverUrl: string, template: string, runtimePassword: string): Promise<void> {
  const server = postgres(serverUrl, { max: 1, onnotice: () => {} })
  const [exists] = await server`SELECT 1 FROM pg_database WHERE datname = ${template}`.finally(() => server.end())
  if (exists) return
  await createDatabase(serverUrl, template)
  try {
    await prepareDatabase({ adminUrl: withDatabase(serverUrl, template), runtimePassword })
  } catch (error) {
    await dropDatabase(serverUrl, template)
    throw error
  }
}

/**
 * The same on the local Citus cluster: the database on every node, migrated
 * through the coordinator, then `db:distribute`d — the product's schema as
 * it runs on Citus (docs/scaling.md). Test files written for one PostgreSQL
 * run unchanged against the coordinator. The migrated and distributed schema
 * is made once per cluster, migrations, layout and shard count (a template
 * database named after their hash); each test file gets a copy of it.
 */
async function createDistributedTestDatabase(cluster: CitusCluster, shardCount: number): Promise<TestDatabase> {
  const { copyCitusDatabase, citusDatabaseExists, createCitusDatabase, dropCitusDatabase, nodeUrl } = await import(
    '../citus/cluster'
  )
  const template = await distributedTemplateName(shardCount)
  await withServerLock(nodeUrl(cluster.coordinatorPort, 'postgres'), async () => {
    if (await citusDatabaseExists(cluster, template)) return
    // A template left half-made by an interrupted run is made again; those of older schemas go.
    const coordinator = postgres(nodeUrl(cluster.coordinatorPort, 'postgres'), { max: 1, onnotice: () => {} })
    const stale = await coordinator<{ name: string }[]>`
      SELECT datname AS name FROM pg_database WHERE datname LIKE 'desk\_template\_%'`.finally(() => coordinator.end())
    for (const { name } of stale) await dropCitusDatabase(cluster, name)
    const { distribute } = await import('../citus/distribute')
    const adminUrl = await createCitusDatabase(cluster, `${template}_making`)
    await prepareDatabase({ adminUrl, runtimePassword: process.env.DATABASE_RUNTIME_PASSWORD ?? TEST_RUNTIME_PASSWORD })
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} })
    try {
      await distribute(sql, undefined, { shardCount })
    } finally {
      await sql.end()
    }
    await copyCitusDatabase(cluster, `${template}_making`, template)
    await dropCitusDatabase(cluster, `${template}_making`)
  })
  const name = `desk_test_${randomBytes(6).toString('hex')}`
  const adminUrl = await copyCitusDatabase(cluster, template, name)
  return connect(name, adminUrl, () => dropCitusDatabase(cluster, name))
}

/** `desk_template_<hash>` of the migrations, the distribution code and the shard count. */
async function distributedTemplateName(shardCount: number): Promise<string> {
  const { createHash } = await import('node:crypto')
  const { readdir, readFile } = await import('node:fs/promises')
  const here = new URL('..', import.meta.url)
  const hash = createHash('sha256').update(String(shardCount))
  const migrations = new URL('migrations/', here)
  for (const file of (await readdir(migrations)).filter((name) => name.endsWith('.sql')).sort())
    hash.update(file).update(await readFile(new URL(file, migrations)))
  for (const file of ['citus/distribute.ts', 'setup.ts', 'roles.ts']) hash.update(await readFile(new URL(file, here)))
  return `desk_template_${hash.digest('hex').slice(0, 16)}`
}

function connect(name: string, adminUrl: string, dropDatabase: () => Promise<void>): TestDatabase {
  const runtimePassword = process.env.DATABASE_RUNTIME_PASSWORD ?? TEST_RUNTIME_PASSWORD
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
      await dropDatabase()
    },
  }
}
