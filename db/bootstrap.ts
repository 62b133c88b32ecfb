import { existsSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { startEmbeddedPostgres, DatabaseStartError } from './embedded'
import { prepareDatabase, runtimeUrlFrom } from './setup'

export type DatabaseUrls = {
  /** Owner-side URL: migrations, seeding and operator tasks only. */
  adminUrl: string
  /** The runtime role's URL: everything a request does. */
  runtimeUrl: string
  embedded: boolean
  stop: () => Promise<void>
}

export type DatabaseConfig = {
  DATABASE_URL?: string | undefined
  DATABASE_RUNTIME_URL?: string | undefined
  DATABASE_RUNTIME_PASSWORD?: string | undefined
  DATA_DIR: string
  EMBEDDED_PG_PORT: number
}

async function persistedSecret(file: string): Promise<string> {
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, randomBytes(18).toString('base64url'), { mode: 0o600 })
  }
  return readFileSync(file, 'utf8').trim()
}

/** One line that says what is wrong with the database, for a start-up failure. */
function describeConnectionError(error: unknown, url: string, embedded: boolean): string {
  const where = (() => {
    try {
      const parsed = new URL(url)
      return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`
    } catch {
      return 'the given URL'
    }
  })()
  // drizzle wraps driver errors ("Failed query: <sql>"); the cause says what went wrong.
  const root = error instanceof Error && error.cause instanceof Error ? error.cause : error
  const reason = (root instanceof Error ? root.message : String(root)).split('\n')[0]
  const source = embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'
  return `${source}: cannot use the database at ${where}: ${reason}`
}

/**
 * Finds the database (DATABASE_URL, or an embedded PostgreSQL under DATA_DIR),
 * makes sure both roles exist and migrations are applied, and returns the URLs.
 */
export async function bootstrapDatabase(
  config: DatabaseConfig,
  log: (message: string) => void = () => {},
): Promise<DatabaseUrls & { migrationsApplied: number }> {
  const embedded = !config.DATABASE_URL
  const database = embedded
    ? await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, log })
    : { adminUrl: config.DATABASE_URL!, stop: async () => {} }
  const runtimePassword =
    config.DATABASE_RUNTIME_PASSWORD ??
    (await persistedSecret(path.resolve(config.DATA_DIR, 'runtime-db-password')))
  try {
    const { applied } = await prepareDatabase({ adminUrl: database.adminUrl, runtimePassword })
    const runtimeUrl = config.DATABASE_RUNTIME_URL ?? runtimeUrlFrom(database.adminUrl, runtimePassword)
    await checkConnects(runtimeUrl)
    return { ...database, runtimeUrl, embedded, migrationsApplied: applied }
  } catch (error) {
    await database.stop()
    if (error instanceof DatabaseStartError) throw error
    throw new DatabaseStartError(describeConnectionError(error, database.adminUrl, embedded))
  }
}

async function checkConnects(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} })
  try {
    await sql`SELECT 1`
  } finally {
    await sql.end()
  }
}

export { DatabaseStartError }
