import { existsSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { randomBytes, scrypt } from 'node:crypto'
import { promisify } from 'node:util'
import postgres from 'postgres'
import { startEmbeddedPostgres, DatabaseStartError } from './embedded'
import { prepareDatabase, runtimeUrlFrom } from './setup'
import { RUNTIME_ROLE } from './roles'

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

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: string,
  length: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>

/**
 * The runtime role's password from the owner-side URL's: one-way and slow (scrypt, 32 MiB), so a runtime
 * password that leaks does not lead back to the owner's, and servers given the same URL agree on it.
 */
async function derivedRuntimePassword(adminPassword: string): Promise<string> {
  const key = await scryptAsync(adminPassword, `desk ${RUNTIME_ROLE} login v1`, 24, {
    N: 2 ** 15,
    r: 8,
    p: 1,
    maxmem: 64 * 1024 * 1024,
  })
  return key.toString('base64url')
}

/**
 * The password every start gives the runtime role. The role is the cluster's, not one server's, and each
 * start sets its password (so that a new DATABASE_RUNTIME_PASSWORD takes effect): servers on one cluster
 * must arrive at the same one without being told twice, or the server started last locks the others'
 * new connections out. In order:
 * - DATABASE_RUNTIME_URL's password, when an admin gave the role's own URL;
 * - DATABASE_RUNTIME_PASSWORD;
 * - derived from the owner-side URL's password (DATABASE_URL's, or the embedded cluster's own), so servers
 *   given the same DATABASE_URL agree whatever their DATA_DIR;
 * - a URL without a password (trust, peer or certificate login): a secret generated once into DATA_DIR,
 *   which only servers sharing DATA_DIR share (docs/scaling.md).
 */
export async function runtimePasswordFor(
  config: Pick<DatabaseConfig, 'DATABASE_RUNTIME_URL' | 'DATABASE_RUNTIME_PASSWORD' | 'DATA_DIR'>,
  adminUrl: string,
): Promise<string> {
  const given = config.DATABASE_RUNTIME_URL && new URL(config.DATABASE_RUNTIME_URL).password
  if (given) return decodeURIComponent(given)
  if (config.DATABASE_RUNTIME_PASSWORD) return config.DATABASE_RUNTIME_PASSWORD
  const adminPassword = new URL(adminUrl).password
  if (adminPassword) return derivedRuntimePassword(decodeURIComponent(adminPassword))
  return persistedSecret(path.resolve(config.DATA_DIR, 'runtime-db-password'))
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
  try {
    const runtimePassword = await runtimePasswordFor(config, database.adminUrl)
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
