import type { RuntimeDb } from './runtime'
import { withTenant, type TenantTx } from './tenant-context'

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
  return withTenant(runtimeDb, { tenantId: null, userId, actor: 'system' }, fn)
}
