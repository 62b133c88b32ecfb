import { platformAuditLog } from '../../../db/schema'
import type { TenantTx } from '../../../db/tenant-context'

export type OperatorAction =
  | 'operator.totp_enrolled'
  | 'operator.second_factor'
  | 'operator.second_factor_failed'
  | 'tenant.planned'
  | 'tenant.previewed'
  | 'tenant.made_live'
  | 'tenant.suspended'
  | 'tenant.resumed'
  | 'account.disabled'
  | 'account.enabled'

/** Every operator action goes to the append-only platform audit log, as the operator. */
export async function recordOperatorAction(
  tx: TenantTx,
  entry: {
    operatorId: string
    action: OperatorAction
    ip: string | null
    citySlug?: string
    /** The account acted on (disabling, re-enabling); otherwise the target is the city or the operator. */
    targetUserId?: string
    payload?: Record<string, unknown>
  },
): Promise<void> {
  await tx.insert(platformAuditLog).values({
    actorUserId: entry.operatorId,
    actorKind: 'operator',
    action: entry.action,
    targetType: entry.citySlug ? 'tenant' : 'user',
    targetId: entry.citySlug ?? entry.targetUserId ?? entry.operatorId,
    ip: entry.ip,
    payload: entry.payload ?? {},
  })
}
