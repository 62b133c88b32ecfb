import type { AppLoadContext } from '@remix-run/node'
import { deskStaffRequest } from '~/http/desk-request.server'
import { resolvePeriod, type DashboardNames } from '~/operations/dashboard/dashboard-figures'
import type { DashboardFilters } from '~/operations/dashboard/desk-dashboard.server'

/** What the dashboard page and its CSV export both start from: the staff request, the filters from the URL, the city's names. */
export async function dashboardRequest(
  request: Request,
  context: AppLoadContext,
  citySlug: string | undefined,
) {
  const desk = await deskStaffRequest(request, context, citySlug)
  const { config } = desk.tenant
  const url = new URL(request.url)
  const asked = (name: string) => url.searchParams.get(name)?.trim().slice(0, 20) || undefined
  const { period, problem } = resolvePeriod({ from: asked('from'), to: asked('to') }, new Date())
  const filters: DashboardFilters = { period, track: asked('track') }
  const names: DashboardNames = {
    tracks: config.tracks.map((track) => ({ id: track.id, label: desk.text(track.label) })),
    states: Object.fromEntries(
      config.tracks.flatMap((track) =>
        track.steps.map((step) => [`${track.id}:${step.id}`, desk.text(step.label)]),
      ),
    ),
    departments: config.departments.map((department) => ({
      id: department.id,
      label: desk.text(department.name),
    })),
  }
  return { ...desk, filters, problem, names, cityName: desk.text(config.identity.name) }
}
