import type { LoaderFunctionArgs } from '@remix-run/node'
import { searchPublishedCases } from '~/operations/across-cities/across-cities.server'
import { fileSearch, readCaseSearch } from '~/http/portal/platform-search.server'
import { csv } from '~/utils/portal/feeds'
import { platformFileLoader } from '~/http/platform-page.server'
import { casesTable } from '~/http/portal/platform-views'

/** Every live city's published cases as CSV (open data), every match, with the list's filters. */
export async function loader(args: LoaderFunctionArgs) {
  return platformFileLoader(args, 'platform-cases-csv', async (page) => {
    const search = fileSearch(args.request, page, 'cases', readCaseSearch)
    const found = await searchPublishedCases(args.context.db, search, page, { pageSize: null })
    return {
      body: csv(casesTable(page, found.cases)),
      contentType: 'text/csv; charset=utf-8',
      filename: `cases-${page.locale}.csv`,
    }
  })
}
