import type { LoaderFunctionArgs } from '@remix-run/node'
import { casesFeed, filteredCases } from '~/http/portal/cases-feed.server'
import { atomFeed } from '~/utils/portal/feeds'
import { cityFileLoader } from '~/http/portal-page.server'

/** Published cases as Atom (filters as on the list page). */
export async function loader(args: LoaderFunctionArgs) {
  return cityFileLoader(args, 'cases-atom', async (page) => ({
    body: atomFeed(casesFeed(page, await filteredCases(page, args.request), '/cases.atom')),
    contentType: 'application/atom+xml; charset=utf-8',
  }))
}
