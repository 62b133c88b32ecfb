import type { AppLoadContext } from '@remix-run/node'
import { proposalTenant } from '~/http/edge.server'
import type { RequestActor } from '~/operations/proposals/context.server'
import { requireCityRole } from '~/http/guards.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'

/**
 * Where a page for any of the city's staff starts (desk, or department staff,
 * whom the database restricts to their department's proposals): the staff
 * member, the language, the city and its texts in that language.
 */
export async function deskStaffRequest(
  request: Request,
  context: AppLoadContext,
  citySlug: string | undefined,
) {
  const staff = await requireCityRole(
    context,
    citySlug,
    ['desk_admin', 'desk_staff', 'department_staff'],
    request,
  )
  const locale = await getLocale(request)
  const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
  const text = (value: Parameters<typeof tenantText>[0]) =>
    tenantText(value, locale, tenant.config.defaultLocale)
  const actor: RequestActor = { kind: 'staff', userId: staff.user.id }
  return { staff, locale, tenant, actor, text, role: staff.role, isDesk: staff.role !== 'department_staff' }
}
