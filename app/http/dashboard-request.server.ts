import type { AppLoadContext } from '@remix-run/node'
import { deskStaffRequest, type DeskStaffRequest } from '~/http/desk-request.server'
import { isMonth, resolvePeriod, type DashboardNames } from '~/operations/dashboard/dashboard-figures'
import type { DashboardFilters } from '~/operations/dashboard/desk-dashboard.server'

/** What the dashboard's CSV export starts from: the staff request and the dashboard's filters and names (dashboardOf). */
export async function dashboardRequest(
  request: Request,
  context: AppLoadContext,
  citySlug: string | undefined,
) {
  return dashboardOf(await deskStaffRequest(request, context, citySlug), request)
}

/** What the dashboard page and its CSV export both show from: the staff request, the filters from the URL, the city's names. */
export function dashboardOf<D extends DeskStaffRequest>(desk: D, request: Request) {
  const { config } = desk.tenant
  const url = new URL(request.url)
  const asked = (name: string) => url.searchParams.get(name)?.trim().slice(0, 20) || undefined
  const sent = { from: asked('from'), to: asked('to'), track: asked('track') }
  const { period, problem } = resolvePeriod(sent, new Date())
  const filters: DashboardFilters = { period, track: sent.track }
  const fieldErrors = refusedFilters(sent, problem, (track) => config.tracks.some((one) => one.id === track))
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
  return {
    ...desk,
    filters,
    problem,
    names,
    cityName: desk.text(config.identity.name),
    /** Each refused filter's message (a locale key) by input name; none when every filter was taken. */
    fieldErrors,
    /** What a refused URL asked for, by input name, for the fields to show again. */
    values: Object.keys(fieldErrors).length > 0 ? sentValues(sent) : {},
  }
}

function sentValues(sent: Record<string, string | undefined>): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [name, value] of Object.entries(sent)) if (value !== undefined) values[name] = value
  return values
}

/**
 * The filters of the URL that were not taken, each at its field: a month that
 * is not one (each end on its own), the period's ends the wrong way round or
 * too far apart (said at the first month), a track the city does not have.
 */
function refusedFilters(
  sent: { from?: string; to?: string; track?: string },
  problem: ReturnType<typeof resolvePeriod>['problem'],
  isTrack: (track: string) => boolean,
): Record<string, string> {
  const errors: Record<string, string> = {}
  const message = (key: string) => `dashboard:filters.errors.${key}`
  if (problem === 'invalidMonth') {
    for (const name of ['from', 'to'] as const)
      if (sent[name] && !isMonth(sent[name])) errors[name] = message(problem)
  } else if (problem) errors.from = message(problem)
  if (sent.track && !isTrack(sent.track)) errors.track = 'auth:validation.choose'
  return errors
}
