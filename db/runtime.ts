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
    // postgres.js prepares every statement, and after five runs PostgreSQL may switch a prepared
    // statement to a generic plan, which cannot see the tenant/actor values the RLS policies compare
    // against: the inbox through withTenant was 1.97× the owner with generic plans, 1.48× with custom
    // ones (docs/performance.md). Planning each execution costs less than that. The functions every
    // request calls (the session's, the context's, the organisations' names) set plan_cache_mode = auto for
    // their own key lookups, which gain nothing from a custom plan (migration 0046).
    connection: { plan_cache_mode: 'force_custom_plan' },
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
