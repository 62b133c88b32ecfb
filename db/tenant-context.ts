import { sql } from 'drizzle-orm'
import type { PgTransaction } from 'drizzle-orm/pg-core'
import type { PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js'
import type { ExtractTablesWithRelations } from 'drizzle-orm'
import type { RuntimeDb, Schema } from './runtime'

/**
 * Who is acting:
 * - `staff`: city staff; must be a member of `tenantId` (checked in the database).
 * - `proposer`: a member of one or more organisations; sees those organisations'
 *   proposals in every city, or only in `tenantId` when it is set. Writes need `tenantId`.
 * - `public`: anonymous; sees what the city `tenantId` has published.
 * - `operator`: platform operator (users.platform_role = 'operator'); no tenant rows.
 * - `system`: server-internal work only — sign-in lookups, session validation,
 *   throttling, the mail and notification senders. Never for rendering a request's data.
 */
export const actorKinds = ['staff', 'proposer', 'public', 'operator', 'system'] as const
export type ActorKind = (typeof actorKinds)[number]

export type TenantContext = {
  tenantId: string | null
  userId: string | null
  actor: ActorKind
}

export type TenantTx = PgTransaction<PostgresJsQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export class TenantContextError extends Error {}

function checkContext(context: TenantContext): void {
  if (!actorKinds.includes(context.actor)) throw new TenantContextError(`unknown actor kind: ${String(context.actor)}`)
  if (context.tenantId !== null && !UUID.test(context.tenantId)) throw new TenantContextError('tenantId is not a uuid')
  if (context.userId !== null && !UUID.test(context.userId)) throw new TenantContextError('userId is not a uuid')
}

/**
 * The one way into tenant data. Opens a transaction on the runtime connection,
 * sets `app.tenant_id`, `app.user_id` and `app.actor` transaction-locally with
 * one parameterised `set_config(…, true)` statement, and runs `fn` inside it.
 * Row-level security reads those settings; they vanish at commit or rollback,
 * so a pooled connection never carries one request's context into the next.
 */
export async function withTenant<T>(
  runtimeDb: RuntimeDb,
  context: TenantContext,
  fn: (tx: TenantTx) => Promise<T>,
): Promise<T> {
  checkContext(context)
  return runtimeDb.transaction(async (tx) => {
    await tx.execute(sql`select
      set_config('app.tenant_id', ${context.tenantId ?? ''}, true),
      set_config('app.user_id', ${context.userId ?? ''}, true),
      set_config('app.actor', ${context.actor}, true)`)
    return fn(tx)
  })
}
