import { sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant } from '../../../db/tenant-context'

/**
 * The `tokens.sweep` job: deletes password-reset tokens past their expiry and
 * returns how many. The statement names no row on purpose: the runtime role
 * may not read the tokens, and the table's delete policy (migration 0033)
 * lets the system actor delete expired tokens only — a live token stays
 * whatever this asks.
 */
export async function sweepExpiredResetTokens(db: RuntimeDb): Promise<number> {
  const result = await withTenant(db, { tenantId: null, userId: null, actor: 'system' }, (tx) =>
    tx.execute(sql`DELETE FROM password_reset_tokens`),
  )
  return (result as unknown as { count: number }).count
}
