import { asc, sql } from 'drizzle-orm'
import { tenants } from '../../../db/schema'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant } from '../../../db/tenant-context'
import type { TenantRegistry, TenantStatus } from '../../utils/tenant-registry.server'
import type { Operator } from '../actors'

export type Validation = 'valid' | 'stale' | 'invalid'

export type CityHealth = {
  slug: string
  nameJa: string
  nameEn: string
  status: TenantStatus
  configVersion: string
  configRevision: number
  /** valid: the applied file is what serves; stale: an older good file serves; invalid: nothing valid serves. */
  validation: Validation
  proposalsByState: Record<string, number>
  proposals: number
  staff: number
  lastActivityAt: string | null
}

type CountsRow = {
  slug: string
  proposals_by_state: Record<string, number>
  staff: number
  last_activity_at: string | null
}

/**
 * Every city with its status, configuration and health numbers. The operator
 * sees the `tenants` rows; the numbers come from `operator_tenant_counts()`,
 * which returns counts only (the operator context reads no tenant rows).
 */
export async function listCityHealth(
  db: RuntimeDb,
  registry: TenantRegistry,
  operator: Operator,
): Promise<CityHealth[]> {
  const { rows, counts } = await withTenant(db, operator.tenantContext, async (tx) => ({
    rows: await tx
      .select({
        slug: tenants.slug,
        nameJa: tenants.nameJa,
        nameEn: tenants.nameEn,
        status: tenants.status,
        configVersion: tenants.configVersion,
        configRevision: tenants.configRevision,
      })
      .from(tenants)
      .orderBy(asc(tenants.slug)),
    counts: await tx.execute<CountsRow>(sql`select * from operator_tenant_counts()`),
  }))
  const countsBySlug = new Map([...counts].map((row) => [row.slug, row]))
  return rows.map((row) => {
    const serving = registry.get(row.slug)
    const numbers = countsBySlug.get(row.slug)
    const proposalsByState = numbers?.proposals_by_state ?? {}
    return {
      ...row,
      validation: !serving ? 'invalid' : serving.version === row.configVersion ? 'valid' : 'stale',
      proposalsByState,
      proposals: Object.values(proposalsByState).reduce((sum, n) => sum + n, 0),
      staff: numbers?.staff ?? 0,
      lastActivityAt: numbers?.last_activity_at ? new Date(numbers.last_activity_at).toISOString() : null,
    }
  })
}
