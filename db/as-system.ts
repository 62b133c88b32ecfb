import type { RuntimeDb } from './runtime'
import type { SQL } from 'drizzle-orm'
import { withTenant, withTenantStatements, type TenantContext, type TenantTx } from './tenant-context'

/**
 * A transaction as `system`, in no city: server-internal work only (sign-in lookups, throttling, the mail
 * and alert senders, the tenant registry), never a request's data to render. `userId` names the account
 * whose sessions lucia's adapter reads or writes (the sessions' policy); otherwise there is none.
 */
export function asSystem<T>(
  runtimeDb: RuntimeDb,
  fn: (tx: TenantTx) => Promise<T>,
  userId: string | null = null,
): Promise<T> {
  return withTenant(runtimeDb, systemContext(userId), fn)
}

/** `asSystem` for statements that do not depend on one another's results: one round trip (`withTenantStatements`). */
export function asSystemStatements(
  runtimeDb: RuntimeDb,
  statements: readonly SQL[],
  userId: string | null = null,
): Promise<Record<string, unknown>[][]> {
  return withTenantStatements(runtimeDb, systemContext(userId), statements)
}

function systemContext(userId: string | null): TenantContext {
  return { tenantId: null, userId, actor: 'system' }
}
