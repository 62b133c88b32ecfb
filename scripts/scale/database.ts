import postgres from 'postgres'
import type { Env } from '../../app/utils/env.server'
import { bootstrapDatabase } from '../../db/bootstrap'
import { quoteIdentifier } from '../../db/embedded'
import { prepareDatabase } from '../../db/setup'

/** The scale data set never goes into the app's own database unless asked to. */
export const DEFAULT_SCALE_DATABASE = 'desk_scale'

export type ScaleDatabase = {
  name: string
  /** Owner-side URL of the scale database (a role that may `SET ROLE desk_owner`). */
  adminUrl: string
  /** The runtime role's URL of the scale database (`desk_app`, forced RLS). */
  runtimeUrl: string
  /** Admin URL of the server's maintenance database, for CREATE/DROP DATABASE. */
  serverUrl: string
  embedded: boolean
  stop: () => Promise<void>
}

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(name)}`
  return parsed.toString()
}

function checkName(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(
      `--database-name: got ${JSON.stringify(name)}, expected a lower-case identifier such as desk_scale`,
    )
  }
}

export async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 })
  try {
    const [row] = await sql`SELECT 1 AS found FROM pg_database WHERE datname = ${name}`
    return Boolean(row)
  } finally {
    await sql.end()
  }
}

async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 })
  try {
    const [row] = await sql`SELECT 1 AS found FROM pg_database WHERE datname = ${name}`
    if (!row) {
      await sql.unsafe(`CREATE DATABASE ${quoteIdentifier(name)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error // created concurrently: fine
      })
    }
  } finally {
    await sql.end()
  }
}

/**
 * Opens (creating and migrating it when needed) a database named `name` on the
 * server the app would use: the server of DATABASE_URL, or the embedded
 * cluster under DATA_DIR when DATABASE_URL is unset. With `create: false` a
 * missing database is an error.
 */
export async function openScaleDatabase(
  env: Env,
  name: string,
  options: { create?: boolean; log?: (message: string) => void } = {},
): Promise<ScaleDatabase> {
  checkName(name)
  const create = options.create ?? true
  if (env.DATABASE_URL) {
    const serverUrl = env.DATABASE_URL
    const adminUrl = withDatabaseName(serverUrl, name)
    if (create) await createDatabaseIfMissing(serverUrl, name)
    else if (!(await databaseExists(serverUrl, name)))
      throw new Error(`database ${name} does not exist on the DATABASE_URL server; run pnpm seed:scale first`)
    // bootstrapDatabase creates the roles if needed and migrates the scale database (prepareDatabase).
    const database = await bootstrapDatabase(
      {
        ...env,
        DATABASE_URL: adminUrl,
        DATABASE_RUNTIME_URL: env.DATABASE_RUNTIME_URL && withDatabaseName(env.DATABASE_RUNTIME_URL, name),
      },
      options.log,
    )
    return {
      name,
      adminUrl,
      runtimeUrl: database.runtimeUrl,
      serverUrl,
      embedded: false,
      stop: database.stop,
    }
  }
  // Embedded: start (or re-attach to) the cluster under DATA_DIR, then a second database on it.
  const database = await bootstrapDatabase(env, options.log)
  try {
    const serverUrl = database.adminUrl
    if (create) await createDatabaseIfMissing(serverUrl, name)
    else if (!(await databaseExists(serverUrl, name)))
      throw new Error(`database ${name} does not exist in the embedded cluster; run pnpm seed:scale first`)
    const adminUrl = withDatabaseName(serverUrl, name)
    const runtimePassword = decodeURIComponent(new URL(database.runtimeUrl).password)
    await prepareDatabase({ adminUrl, runtimePassword })
    return {
      name,
      adminUrl,
      runtimeUrl: withDatabaseName(database.runtimeUrl, name),
      serverUrl,
      embedded: true,
      stop: database.stop,
    }
  } catch (error) {
    await database.stop()
    throw error
  }
}

/** Drops a scale database (used by the benchmark's helpers and by hand; never the app's database). */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  checkName(name)
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 })
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`)
  } finally {
    await sql.end()
  }
}
