import postgres from 'postgres'
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import * as schema from './schema'

/**
 * The runtime connection: the database role the web server logs in as
 * (`desk_app`: not superuser, NOBYPASSRLS, owns nothing). Every query it runs
 * goes through `withTenant` (./tenant-context.ts), which sets the request's
 * context inside a transaction; forced row-level security does the rest.
 */
declare const runtimeBrand: unique symbol

export type Schema = typeof schema
export type RuntimeDb = PostgresJsDatabase<Schema> & {
  $client: postgres.Sql
  readonly [runtimeBrand]: true
  /** How long withTenant waits for a pooled connection before giving up (DatabaseUnavailableError). */
  acquireTimeoutMs: number
  /** What withTenant throws instead of a DatabaseUnavailableError (the web server: a 503 response). */
  mapUnavailable: (error: unknown) => unknown
}

export type RuntimeDbOptions = {
  max?: number
  /** Default 10 s: long enough for a burst to drain, short enough to answer 503 before a browser gives up. */
  acquireTimeoutMs?: number
  mapUnavailable?: (error: unknown) => unknown
}

function withRuntimeOptions(db: PostgresJsDatabase<Schema>, options: RuntimeDbOptions): RuntimeDb {
  return Object.assign(db, {
    acquireTimeoutMs: options.acquireTimeoutMs ?? 10_000,
    mapUnavailable: options.mapUnavailable ?? ((error: unknown) => error),
  }) as RuntimeDb
}

export function createRuntimeDb(url: string, options: RuntimeDbOptions = {}): RuntimeDb {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: 10,
    // postgres.js prepares every statement (db/tenant-context.ts), and PostgreSQL's default plan cache keeps a
    // statement's generic plan once five custom plans show it costs no more. Forcing a custom plan for every
    // execution (as this pool did until session 17) made every statement pay its planning again, the policies'
    // expressions included: 60 % of the desk proposal page's PostgreSQL time and 30 % of the inbox's, while the
    // inbox's generic plans run as well as its custom ones on the scale data (ADR 015 has the comparison;
    // docs/performance.md, "the plan cache (session 17)"). Set here so that a server configured
    // otherwise does not change it.
    connection: { plan_cache_mode: 'auto' },
    // A transaction-local setting never outlives its transaction, but a pooled
    // connection must not keep anything session-level either: nothing here uses SET.
  })
  return withRuntimeOptions(drizzle(client, { schema }), options)
}

/**
 * Wraps an existing runtime-role pool (e.g. the server's `runtimeSql`) without
 * opening another. The caller vouches that `client` logs in as the runtime role.
 */
export function runtimeDbFromClient(client: postgres.Sql, options: RuntimeDbOptions = {}): RuntimeDb {
  return withRuntimeOptions(drizzle(client, { schema }), options)
}

/** Closes the runtime pool. */
export async function closeRuntimeDb(db: RuntimeDb): Promise<void> {
  await db.$client.end({ timeout: 5 })
}
