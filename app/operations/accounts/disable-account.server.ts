import { sql } from 'drizzle-orm'
import { auditLog } from '../../../db/schema'
import { withTenant, type TenantTx } from '../../../db/tenant-context'
import type { RuntimeDb } from '../../../db/runtime'
import type { CityStaff } from '../actors'
import type { Operator } from '../actors'
import { recordOperatorAction } from '../operator/record-operator-action.server'
import { AppError } from '../app-error'

/**
 * Disabling and re-enabling accounts (issue 20). The database decides who may
 * (`set_account_disabled`, migration 0026): an operator any account but their
 * own, a desk admin the staff of their own city but never themselves or an
 * operator. Disabling deletes the account's sessions in the same transaction,
 * so its open sessions end at once; sign-in refuses it. Every change is audited
 * in the same transaction: the platform audit for an operator, the city's audit
 * log for a desk admin.
 */

type Outcome = 'changed' | 'unchanged' | 'not_found' | 'self' | 'operator'

const refusal = {
  not_found: 'no_longer_exists',
  self: 'cannot_disable_self',
  operator: 'cannot_disable_operator',
} as const

async function setDisabled(tx: TenantTx, userId: string, disabled: boolean): Promise<boolean> {
  const [row] = await tx.execute<{ outcome: Outcome }>(
    sql`select set_account_disabled(${userId}, ${disabled}) as outcome`,
  )
  const outcome = row?.outcome ?? 'not_found'
  if (outcome === 'changed') return true
  if (outcome === 'unchanged') return false
  throw new AppError(refusal[outcome], `set_account_disabled refused: ${outcome}`)
}

export type AccountDisabling = { userId: string; disabled: boolean; ip: string | null }

/** An operator disables or re-enables any account but their own. Returns whether anything changed. */
export function setAccountDisabledAsOperator(
  db: RuntimeDb,
  operator: Operator,
  options: AccountDisabling,
): Promise<boolean> {
  return withTenant(db, operator.tenantContext, async (tx) => {
    const changed = await setDisabled(tx, options.userId, options.disabled)
    if (changed) {
      await recordOperatorAction(tx, {
        operatorId: operator.user.id,
        action: options.disabled ? 'account.disabled' : 'account.enabled',
        ip: options.ip,
        targetUserId: options.userId,
      })
    }
    return changed
  })
}

/** A desk admin disables or re-enables a staff account of their own city. Returns whether anything changed. */
export function setStaffAccountDisabled(
  db: RuntimeDb,
  staff: CityStaff,
  options: AccountDisabling,
): Promise<boolean> {
  return withTenant(db, staff.tenantContext, async (tx) => {
    const changed = await setDisabled(tx, options.userId, options.disabled)
    if (changed) {
      await tx.insert(auditLog).values({
        tenantId: staff.tenantId,
        actorUserId: staff.user.id,
        actorKind: 'staff',
        action: options.disabled ? 'staff.disabled' : 'staff.enabled',
        targetType: 'user',
        targetId: options.userId,
        ip: options.ip,
        payload: {},
      })
    }
    return changed
  })
}

export type FoundAccount = {
  id: string
  email: string
  displayName: string
  disabledAt: string | null
  operator: boolean
}

/** The operator console's look-up of one account by its exact e-mail (any case); null when none. */
export async function findAccountForOperator(
  db: RuntimeDb,
  operator: Operator,
  email: string,
): Promise<FoundAccount | null> {
  const [row] = await withTenant(db, operator.tenantContext, (tx) =>
    tx.execute<{
      id: string
      email: string
      display_name: string
      disabled_at: string | null
      platform_role: string | null
    }>(sql`select * from operator_find_account(${email.trim()})`),
  )
  if (!row) return null
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    disabledAt: row.disabled_at === null ? null : String(row.disabled_at),
    operator: row.platform_role === 'operator',
  }
}
