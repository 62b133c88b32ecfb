import { sql } from 'drizzle-orm'
import type { StageTarget } from '@desk/tenant-config'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant } from '../../../db/tenant-context'
import { enqueueJob } from '../../../db/queue/enqueue'
import type { TenantRegistry } from '~/utils/tenant-registry.server'
import { findCityTenantId } from '../city-staff/city-staff.server'

/**
 * The `stages.remind` job: city by city (each in its own tenant transaction as
 * the system actor), the submitted proposals that have waited at a stage
 * longer than the tenant file's target for it are marked reminded and each of
 * the desk's staff gets a notification, mailed in their language by the
 * `notifications.mail` job enqueued in the same transaction. A proposal is
 * reminded of once per stay at a stage (migration 0032), so the job may run
 * any number of times. A city that fails does not stop the others; the job
 * fails afterwards and is retried.
 */
export async function remindDeskOfWaitingProposals(context: {
  db: RuntimeDb
  tenants: TenantRegistry
}): Promise<{ cities: number; reminded: number }> {
  let cities = 0
  let reminded = 0
  let failure: unknown
  for (const city of context.tenants.list()) {
    if (city.config.stageTargets.length === 0) continue
    try {
      const tenantId = await findCityTenantId(context.db, city.slug)
      if (!tenantId) continue
      reminded += await remindCity(context.db, tenantId, city.config.stageTargets)
      cities++
    } catch (error) {
      failure ??= error
    }
  }
  if (failure) throw failure
  return { cities, reminded }
}

/** One city: returns how many proposals were reminded of now. */
export async function remindCity(db: RuntimeDb, tenantId: string, targets: readonly StageTarget[]): Promise<number> {
  const asked = targets.map(({ track, step, days }) => ({ track, step, days }))
  return withTenant(db, { tenantId, userId: null, actor: 'system' }, async (tx) => {
    const rows = await tx.execute<{ proposal_id: string }>(
      sql`SELECT proposal_id FROM remind_desk_of_waiting_proposals(${JSON.stringify(asked)}::jsonb)`,
    )
    if (rows.length > 0) await enqueueJob(tx, 'notifications.mail', { tenantId })
    return rows.length
  })
}
