import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import { quoteIdentifier } from './embedded'
import { OWNER_ROLE, RUNTIME_ROLE, RUNTIME_ROLE_OPTIONS } from './roles'
import { installJobQueue } from './queue'

const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')
/** Serialises concurrent starts against one database (two app processes, parallel tests). */
const MIGRATION_LOCK_KEY = 7_311_842

export class DatabaseSetupError extends Error {}

/** The runtime role's URL: the admin URL's host and database, logged in as the runtime role. */
export function runtimeUrlFrom(adminUrl: string, runtimePassword: string): string {
  const url = new URL(adminUrl)
  url.username = RUNTIME_ROLE
  url.password = encodeURIComponent(runtimePassword)
  return url.toString()
}

/**
 * Creates both roles if they are missing, then applies pending migrations as the
 * owner role. Idempotent: safe on every start and from several processes at once.
 */
export async function prepareDatabase(options: {
  adminUrl: string
  runtimePassword: string
}): Promise<{ applied: number }> {
  const sql = postgres(options.adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 })
  try {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`
    await ensureRoles(sql, options.runtimePassword)
    await sql.unsafe(`SET ROLE ${quoteIdentifier(OWNER_ROLE)}`)
    // On a Citus coordinator drizzle applies pending migrations in one transaction, in which Citus
    // refuses DDL on a reference table after parallel DDL on a distributed one; sequential shard DDL
    // avoids that (docs/scaling.md). Plain PostgreSQL has no such setting.
    const [citus] = await sql`SELECT 1 FROM pg_extension WHERE extname = 'citus'`
    if (citus) await sql`SET citus.multi_shard_modify_mode TO 'sequential'`
    const before = await countAppliedMigrations(sql)
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER })
    const after = await countAppliedMigrations(sql)
    await installJobQueue(sql)
    // Lets the runtime role answer /readyz ("migrations current") without the owner connection.
    await sql.unsafe(`GRANT USAGE ON SCHEMA drizzle TO ${quoteIdentifier(RUNTIME_ROLE)}`)
    await sql.unsafe(`GRANT SELECT ON drizzle.__drizzle_migrations TO ${quoteIdentifier(RUNTIME_ROLE)}`)
    await sql`RESET ROLE`
    await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`
    return { applied: after - before }
  } finally {
    await sql.end()
  }
}

/** Creates (or updates) both cluster-wide roles only, without touching any schema. */
export async function prepareRoles(options: { adminUrl: string; runtimePassword: string }): Promise<void> {
  const sql = postgres(options.adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 })
  try {
    await ensureRoles(sql, options.runtimePassword)
  } finally {
    await sql.end()
  }
}

async function ensureRoles(sql: postgres.Sql, runtimePassword: string): Promise<void> {
  const [current] = await sql<{ database: string }[]>`SELECT current_database() AS database`
  const database = quoteIdentifier(current!.database)
  const owner = quoteIdentifier(OWNER_ROLE)
  const runtime = quoteIdentifier(RUNTIME_ROLE)
  const existing = await sql<{ rolname: string }[]>`
    SELECT rolname FROM pg_roles WHERE rolname IN (${OWNER_ROLE}, ${RUNTIME_ROLE})`
  const names = new Set(existing.map((row) => row.rolname))
  if (!names.has(OWNER_ROLE)) await sql.unsafe(`CREATE ROLE ${owner} NOLOGIN`)
  if (!names.has(RUNTIME_ROLE)) {
    await sql.unsafe(`CREATE ROLE ${runtime} ${RUNTIME_ROLE_OPTIONS}`)
  }
  // Passwords cannot be bound parameters in DDL; format() quotes the literal safely.
  await sql`SELECT format('ALTER ROLE %I PASSWORD %L', ${RUNTIME_ROLE}::text, ${runtimePassword}::text) AS ddl`.then(
    ([row]) => sql.unsafe(row!.ddl as string),
  )
  await sql.unsafe(`GRANT ${owner} TO CURRENT_USER`)
  await sql.unsafe(`GRANT CONNECT, CREATE ON DATABASE ${database} TO ${owner}`)
  await sql.unsafe(`GRANT CONNECT ON DATABASE ${database} TO ${runtime}`)
  await sql.unsafe(`GRANT CREATE ON SCHEMA public TO ${owner}`)
}

/** How many migrations ship with this build (drizzle-kit's journal). */
export function migrationsOnDisk(): number {
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[]
  }
  return journal.entries.length
}

/** True when the database has every migration this build ships. */
export async function migrationsCurrent(sql: postgres.Sql): Promise<boolean> {
  return (await countAppliedMigrations(sql)) >= migrationsOnDisk()
}

async function countAppliedMigrations(sql: postgres.Sql): Promise<number> {
  const [table] = await sql`SELECT to_regclass('drizzle.__drizzle_migrations') AS name`
  if (!table?.name) return 0
  const [row] = await sql<
    { count: number }[]
  >`SELECT count(*)::int AS count FROM drizzle.__drizzle_migrations`
  return row!.count
}
