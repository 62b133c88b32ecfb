import type { LoaderFunctionArgs } from '@remix-run/node'
import { figureTableIds, figureTables, tableLabels } from '~/operations/dashboard/dashboard-figures'
import { exportDeskDashboard } from '~/operations/dashboard/desk-dashboard.server'
import { csvResponse } from '~/utils/csv'
import { dashboardRequest } from '~/http/dashboard-request.server'
import { getFixedT } from '~/utils/i18n.server'
import { csv } from '~/utils/portal/feeds'
import { refusal } from '~/http/errors.server'

/** One of the dashboard's tables as CSV, for the same period and track as the page; audited. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { locale, tenant, actor, filters, names, fieldErrors } = await dashboardRequest(
    request,
    context,
    params.city,
  )
  const t = await getFixedT(locale)
  const tableId = figureTableIds.find((id) => id === new URL(request.url).searchParams.get('table'))
  if (!tableId) throw new Response('Not Found', { status: 404 })
  // A refused filter downloads nothing (the default period's figures would be taken for the asked one's): the reason.
  const refused = Object.values(fieldErrors)
  if (refused.length > 0)
    throw new Response(`${[...new Set(refused)].map((key) => t(key)).join('\n')}\n`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    })
  try {
    const figures = await exportDeskDashboard(context.db, {
      tenant,
      actor,
      filters,
      table: tableId,
      ip: context.clientIp,
    })
    const labels = tableLabels(names, (key, options) => t(`dashboard:${key}`, options), locale)
    const table = figureTables(figures, labels).find((candidate) => candidate.id === tableId)!
    const { from, to } = figures.period
    return csvResponse(
      csv([table.head, ...table.rows]),
      `${tenant.config.slug}-${tableId}-${from}-${to}${figures.track ? `-${figures.track}` : ''}.csv`,
    )
  } catch (error) {
    throw refusal(error)
  }
}
