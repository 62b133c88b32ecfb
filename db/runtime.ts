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
export type RuntimeDb = PostgresJsDatabase<Schema> & { $client: postgres.Sql; readonly [runtimeBrand]: true }

export function createRuntimeDb(url: string, options: { max?: number } = {}): RuntimeDb {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: 10,
    // A transaction-local setting never outlives its transaction, but a pooled
    // connection must not keep anything session-level either: nothing here uses SET.
  })
  return drizzle(client, { schema }) as RuntimeDb
}

/**
 * Wraps an existing runtime-role pool (e.g. the server's `runtimeSql`) without
 * opening another. The caller vouches that `client` logs in as the runtime role.
 */
export function runtimeDbFromClient(client: postgres.Sql): RuntimeDb {
  return drizzle(client, { schema }) as RuntimeDb
}

/** Closes the runtime pool. */
export async function closeRuntimeDb(db: RuntimeDb): Promise<void> {
  await db.$client.end({ timeout: 5 })
}
