import type { RuntimeDb } from './runtime'
import { withTenant, type TenantTx } from './tenant-context'

/**
 * A transaction as `system`, in no city and for no user: server-internal work only (sign-in lookups,
 * throttling, the mail and alert senders, the tenant registry), never a request's data to render.
 */
export function asSystem<T>(runtimeDb: RuntimeDb, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return withTenant(runtimeDb, { tenantId: null, userId: null, actor: 'system' }, fn)
}
