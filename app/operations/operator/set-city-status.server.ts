import { eq, sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { tenants } from '../../../db/schema'
import { withTenant } from '../../../db/tenant-context'
import type { TenantRegistry } from '../../utils/tenant-registry.server'
import { recordOperatorAction } from './record-operator-action.server'
import type { Operator } from '../actors'
import { AppError } from '../app-error'
import { enqueueCityAlertMatching } from '../alerts/alerts.server'

export type StatusChange = 'make_live' | 'suspend' | 'resume'

const target = { make_live: 'live', suspend: 'suspended', resume: 'live' } as const
const action = {
  make_live: 'tenant.made_live',
  suspend: 'tenant.suspended',
  resume: 'tenant.resumed',
} as const

/**
 * Makes a draft city live, suspends or resumes one. The database checks the
 * operator (`operator_set_tenant_status`); the city's data is not touched.
 * A city that goes live has what it opened and published meanwhile matched
 * against the saved searches (`alerts.city_live`, in the same transaction).
 * This server's registry reloads at once, the others at their next poll.
 */
export async function setCityStatus(
  db: RuntimeDb,
  registry: TenantRegistry,
  operator: Operator,
  options: { slug: string; change: StatusChange; ip: string | null },
): Promise<void> {
  const current = registry.get(options.slug)
  if (!current) throw new AppError('unknown_city')
  await withTenant(db, operator.tenantContext, async (tx) => {
    const [row] = await tx.execute<{ changed: boolean }>(
      sql`select operator_set_tenant_status(${options.slug}, ${target[options.change]}) as changed`,
    )
    if (!row?.changed) return
    if (target[options.change] === 'live') {
      const [city] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, options.slug))
      if (city) await enqueueCityAlertMatching(tx, city.id)
    }
    await recordOperatorAction(tx, {
      operatorId: operator.user.id,
      action: action[options.change],
      ip: options.ip,
      citySlug: options.slug,
      payload: { from: current.status },
    })
  })
  await registry.reload()
}
