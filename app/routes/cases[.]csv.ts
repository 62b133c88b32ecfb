import type { LoaderFunctionArgs } from '@remix-run/node'
import { searchPublishedCases } from '~/operations/across-cities/across-cities.server'
import { parseCaseSearch } from '~/operations/across-cities/search'
import { csv } from '~/utils/portal/feeds'
import { platformFileLoader } from '~/http/platform-page.server'
import { casesTable } from '~/http/portal/platform-views'

/** Every live city's published cases as CSV (open data), every match, with the list's filters. */
export async function loader(args: LoaderFunctionArgs) {
  return platformFileLoader(args, 'platform-cases-csv', async (page) => {
    const search = parseCaseSearch(new URL(args.request.url).searchParams, page)
    const found = await searchPublishedCases(args.context.db, search, page, { pageSize: null })
    return {
      body: csv(casesTable(page, found.cases)),
      contentType: 'text/csv; charset=utf-8',
      filename: `cases-${page.locale}.csv`,
    }
  })
}
