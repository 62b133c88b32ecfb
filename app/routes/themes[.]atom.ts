import type { LoaderFunctionArgs } from '@remix-run/node'
import { searchOpenThemes } from '~/operations/across-cities/across-cities.server'
import { fileSearch, readThemeSearch } from '~/http/portal/platform-search.server'
import { atomFeed } from '~/utils/portal/feeds'
import { platformFileLoader } from '~/http/platform-page.server'
import { feedQueryOf, themesFeed } from '~/http/portal/platform-views'

/** Every live city's open themes as Atom 1.0, with the list's filters (one page of it). */
export async function loader(args: LoaderFunctionArgs) {
  return platformFileLoader(args, 'platform-themes-atom', async (page) => {
    const found = await searchOpenThemes(
      args.context.db,
      fileSearch(args.request, page, 'themes', readThemeSearch),
      page,
    )
    return {
      body: atomFeed(themesFeed(page, found.themes, '/themes.atom', feedQueryOf(args.request))),
      contentType: 'application/atom+xml; charset=utf-8',
    }
  })
}
