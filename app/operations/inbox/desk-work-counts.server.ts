import { LRUCache } from 'lru-cache'
import type { TenantTx } from '../../../db/tenant-context'
import type { CityStaff } from '../actors'
import type { ProposalTenant } from '../proposals/context.server'
import { countDeskWork, type DeskCounts, type StaffSide } from './desk-inbox.server'

/**
 * How long the desk menu's counts may be reused. Counting reads every open
 * proposal of the city (index-only, but the staff policy is evaluated per
 * row: ~11 ms of PostgreSQL CPU at 10,000 proposals), and every desk page
 * shows the counts: per page view that was a third of the inbox's database
 * time (docs/performance.md). A change made by someone else shows in the
 * menu within this interval; the staff member who made it sees it at once
 * (the page after a desk form asks for fresh counts).
 */
export const DESK_COUNTS_TTL_MS = 5_000

type CountsCache = LRUCache<string, DeskCounts, () => Promise<DeskCounts>>

/** A cache of the desk menu's counts per (city, side) — per department for department staff. */
export function createDeskCountsCache(ttlMs = DESK_COUNTS_TTL_MS): CountsCache {
  return new LRUCache<string, DeskCounts, () => Promise<DeskCounts>>({
    max: 5_000,
    ttl: ttlMs,
    fetchMethod: (_key, _stale, { context }) => context(),
    ignoreFetchAbort: true,
  })
}

const processCache = createDeskCountsCache()

/**
 * The counts of the desk's menu for `staff` (countDeskWork), shared for
 * `DESK_COUNTS_TTL_MS` by everyone who sees the same proposals: the desk's
 * admins and staff see all of the city's, a department's staff those routed
 * to their department (the policy's rule), so that is the key. A miss counts
 * in the caller's transaction; concurrent misses share one count; `fresh`
 * counts now and replaces the entry.
 */
export async function readDeskWorkCounts(
  tx: TenantTx,
  options: {
    tenant: ProposalTenant
    staff: Pick<CityStaff, 'role' | 'departmentId'>
    fresh?: boolean
    cache?: CountsCache
  },
): Promise<DeskCounts> {
  const { tenant, staff } = options
  const side: StaffSide = staff.role === 'department_staff' ? 'department' : 'desk'
  const key = side === 'desk' ? `${tenant.id}:desk` : `${tenant.id}:department:${staff.departmentId ?? ''}`
  const counts = await (options.cache ?? processCache).fetch(key, {
    context: () => countDeskWork(tx, { tenant, side }),
    forceRefresh: options.fresh ?? false,
  })
  return counts!
}
