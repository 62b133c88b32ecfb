import { sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant } from '../../../db/tenant-context'
import type { TenantRegistry } from '../../utils/tenant-registry.server'
import { recordOperatorAction } from './record-operator-action.server'
import type { Operator } from '../actors'
import { AppError } from '../app-error'

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
