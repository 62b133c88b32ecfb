import type { LoaderFunctionArgs } from '@remix-run/node'
import { searchPublishedCases } from '~/operations/across-cities/across-cities.server'
import { fileSearch, readCaseSearch } from '~/http/portal/platform-search.server'
import { jsonFeed } from '~/utils/portal/feeds'
import { platformFileLoader } from '~/http/platform-page.server'
import { casesFeed, feedQueryOf } from '~/http/portal/platform-views'

/** Every live city's published cases as JSON Feed 1.1 (open data), every match, with the list's filters. */
export async function loader(args: LoaderFunctionArgs) {
  return platformFileLoader(args, 'platform-cases-json', async (page) => {
    const search = fileSearch(args.request, page, 'cases', readCaseSearch)
    const found = await searchPublishedCases(args.context.db, search, page, { pageSize: null })
    return {
      body: jsonFeed(casesFeed(page, found.cases, '/cases.json', feedQueryOf(args.request))),
      contentType: 'application/feed+json; charset=utf-8',
    }
  })
}
