import postgres from 'postgres'
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import * as schema from './schema'
import { OWNER_ROLE } from './roles'

/**
 * THE OWNER CONNECTION — migrations, seeding, tenant onboarding and operator
 * tasks only. It acts as `desk_owner`, which owns every table and is allowed
 * everything by its `owner_all` policies. Request code (app/routes/**) must
 * never import this module: the lint rule forbids `db/owner` there. Requests
 * use `withTenant` on the runtime connection (./tenant-context.ts).
 */
declare const ownerBrand: unique symbol

export type OwnerDb = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql; readonly [ownerBrand]: true }

/**
 * `adminUrl` logs in as a role that is a member of `desk_owner` (the embedded
 * cluster's superuser, the machine's postgres, or a managed database's admin);
 * every connection switches to `desk_owner` at start-up.
 */
export function createOwnerSql(adminUrl: string, options: { max?: number } = {}): postgres.Sql {
  return postgres(adminUrl, {
    max: options.max ?? 2,
    onnotice: () => {},
    connect_timeout: 10,
    connection: { role: OWNER_ROLE },
  })
}

export function createOwnerDb(adminUrl: string, options: { max?: number } = {}): OwnerDb {
  return drizzle(createOwnerSql(adminUrl, options), { schema }) as OwnerDb
}
