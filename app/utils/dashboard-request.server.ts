import type { AppLoadContext } from '@remix-run/node'
import { proposalTenant } from '~/operations/edge.server'
import { requireCityRole } from '~/utils/guards.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import { resolvePeriod, type DashboardNames } from '~/operations/dashboard/dashboard-figures'
import type { DashboardFilters } from '~/operations/dashboard/desk-dashboard.server'

/**
 * What the dashboard page and its CSV export both start from: the staff
 * member (desk, or department staff, whom the database restricts to their
 * department's proposals), the filters from the URL and the city's names.
 */
export async function dashboardRequest(
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
  const { config } = tenant
  const text = (value: Parameters<typeof tenantText>[0]) => tenantText(value, locale, config.defaultLocale)
  const url = new URL(request.url)
  const asked = (name: string) => url.searchParams.get(name)?.trim().slice(0, 20) || undefined
  const { period, problem } = resolvePeriod({ from: asked('from'), to: asked('to') }, new Date())
  const filters: DashboardFilters = { period, track: asked('track') }
  const names: DashboardNames = {
    tracks: config.tracks.map((track) => ({ id: track.id, label: text(track.label) })),
    states: Object.fromEntries(
      config.tracks.flatMap((track) =>
        track.steps.map((step) => [`${track.id}:${step.id}`, text(step.label)]),
      ),
    ),
    departments: config.departments.map((department) => ({
      id: department.id,
      label: text(department.name),
    })),
  }
  return {
    staff,
    locale,
    tenant,
    actor: { kind: 'staff' as const, userId: staff.user.id },
    filters,
    problem,
    names,
    cityName: text(config.identity.name),
  }
}
