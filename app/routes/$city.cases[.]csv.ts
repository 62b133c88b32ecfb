import type { LoaderFunctionArgs } from '@remix-run/node'
import { casesTable, filteredCases } from '~/http/portal/cases-feed.server'
import { csv } from '~/utils/portal/feeds'
import { cityFileLoader } from '~/http/portal-page.server'

/** Published cases as a CSV download (open data; filters as on the list page). */
export async function loader(args: LoaderFunctionArgs) {
  return cityFileLoader(args, 'cases-csv', async (page) => ({
    body: csv(casesTable(page, await filteredCases(page, args.request))),
    contentType: 'text/csv; charset=utf-8',
    filename: `${page.tenant.slug}-cases-${page.locale}.csv`,
  }))
}
