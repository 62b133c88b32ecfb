import { platformAuditLog } from '../../../db/schema'
import type { TenantTx } from '../../../db/tenant-context'

export type AccountEvent =
  | 'account.sign_up'
  | 'account.sign_in'
  | 'account.sign_out'
  | 'account.sign_out_everywhere'
  | 'account.password_changed'
  | 'account.password_reset_requested'
  | 'account.password_reset'
  | 'account.profile_updated'
  | 'organisation.updated'
  | 'organisation.member_role_changed'
  | 'organisation.member_removed'
  | 'organisation.member_invited'
  | 'organisation.invitation_cancelled'
  | 'organisation.invitation_resent'
  | 'organisation.invitation_accepted'

/** Appends a platform-level account event (append-only `platform_audit_log`); `actorUserId` is the context's user. */
export async function recordAccountEvent(
  tx: TenantTx,
  event: {
    action: AccountEvent
    actorUserId: string | null
    ip: string | null
    targetType?: string
    targetId?: string
    payload?: Record<string, unknown>
  },
): Promise<void> {
  await tx.insert(platformAuditLog).values({
    actorUserId: event.actorUserId,
    actorKind: event.actorUserId ? 'user' : 'system',
    action: event.action,
    targetType: event.targetType ?? 'user',
    targetId: event.targetId ?? event.actorUserId,
    ip: event.ip,
    payload: event.payload ?? {},
  })
}
