import { sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant } from '../../../db/tenant-context'
import type { Operator } from '../actors'

/** Mail still to deliver and mail given up, per city (`slug` null: platform mail such as password resets). */
export type MailHealth = {
  slug: string | null
  waiting: number
  dead: number
  oldestWaitingAt: string | null
}

/**
 * The console's mail delivery numbers, from `operator_mail_counts()`: counts
 * only, never an address, subject or text (migration 0024). A city with
 * nothing waiting and nothing given up is not listed.
 */
export async function listMailHealth(db: RuntimeDb, operator: Operator): Promise<MailHealth[]> {
  const rows = await withTenant(db, operator.tenantContext, (tx) =>
    tx.execute<{ slug: string | null; waiting: number; dead: number; oldest_waiting_at: string | null }>(
      sql`select * from operator_mail_counts()`,
    ),
  )
  return [...rows]
    .map((row) => ({
      slug: row.slug,
      waiting: row.waiting,
      dead: row.dead,
      oldestWaitingAt: row.oldest_waiting_at ? new Date(row.oldest_waiting_at).toISOString() : null,
    }))
    .sort((a, b) => (a.slug ?? '').localeCompare(b.slug ?? ''))
}
