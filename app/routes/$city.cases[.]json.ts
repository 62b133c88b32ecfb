import type { LoaderFunctionArgs } from '@remix-run/node'
import { casesFeed, filteredCases } from '~/http/portal/cases-feed.server'
import { jsonFeed } from '~/utils/portal/feeds'
import { cityFileLoader } from '~/http/portal-page.server'

/** Published cases as JSON Feed 1.1 (filters as on the list page). */
export async function loader(args: LoaderFunctionArgs) {
  return cityFileLoader(args, 'cases-json', async (page) => ({
    body: jsonFeed(casesFeed(page, await filteredCases(page, args.request), '/cases.json')),
    contentType: 'application/feed+json; charset=utf-8',
  }))
}
