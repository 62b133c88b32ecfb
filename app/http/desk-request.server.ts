import type { AppLoadContext } from '@remix-run/node'
import type { CityRole } from '../../db/schema'
import { OpenTenantTransaction, type TenantDb } from '../../db/tenant-context'
import { proposalTenant } from '~/http/edge.server'
import type { CityStaff } from '~/operations/actors'
import type { RequestActor } from '~/operations/proposals/context.server'
import { requireCityRole, withCityRole } from '~/http/guards.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'

/** Any of the city's staff: the desk, or department staff, whom the database restricts to their department's proposals. */
export const CITY_STAFF_ROLES: readonly CityRole[] = ['desk_admin', 'desk_staff', 'department_staff']

/**
 * Where a page for the city's staff starts: the staff member, the language,
 * the city and its texts in that language.
 */
export async function deskStaffRequest(
  request: Request,
  context: AppLoadContext,
  citySlug: string | undefined,
  roles: readonly CityRole[] = CITY_STAFF_ROLES,
) {
  return deskStaffOf(await requireCityRole(context, citySlug, roles, request), request, context)
}

export type DeskStaffRequest = Awaited<ReturnType<typeof deskStaffOf>>

/**
 * deskStaffRequest for a page's reads: `read` runs inside the request's one
 * tenant transaction — the one that reads the membership and that the desk
 * layout's loader shares (withCityRole) — and gets it as `db`, which the
 * operations take in place of the pool: a page reads everything in one
 * transaction besides the session's.
 */
export async function readForDeskStaff<T>(
  request: Request,
  context: AppLoadContext,
  citySlug: string | undefined,
  read: (desk: DeskStaffRequest & { db: TenantDb }) => Promise<T>,
  roles: readonly CityRole[] = CITY_STAFF_ROLES,
): Promise<T> {
  return withCityRole(context, citySlug, roles, request, async (staff, tx) =>
    read({
      ...(await deskStaffOf(staff, request, context)),
      db: new OpenTenantTransaction(context.db, tx, staff.tenantContext),
    }),
  )
}

async function deskStaffOf(staff: CityStaff, request: Request, context: AppLoadContext) {
  const locale = await getLocale(request)
  const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
  const text = (value: Parameters<typeof tenantText>[0]) =>
    tenantText(value, locale, tenant.config.defaultLocale)
  const actor: RequestActor = { kind: 'staff', userId: staff.user.id }
  return { staff, locale, tenant, actor, text, role: staff.role, isDesk: staff.role !== 'department_staff' }
}
