import type { AppLoadContext } from '@remix-run/node'
import { withTenant, type TenantTx } from '../../../db/tenant-context'

/**
 * The portal's way into tenant data: anonymous (`actor: 'public'`) and always
 * through withTenant, so row-level security decides what a visitor sees.
 */
export function asPublic<T>(context: AppLoadContext, tenantId: string | null, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return withTenant(context.db, { tenantId, userId: null, actor: 'public' }, fn)
}
