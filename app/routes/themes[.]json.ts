import type { LoaderFunctionArgs } from '@remix-run/node'
import { searchOpenThemes } from '~/operations/across-cities/across-cities.server'
import { fileSearch, readThemeSearch } from '~/http/portal/platform-search.server'
import { jsonFeed } from '~/utils/portal/feeds'
import { platformFileLoader } from '~/http/platform-page.server'
import { feedQueryOf, themesFeed } from '~/http/portal/platform-views'

/** Every live city's open themes as JSON Feed 1.1, with the list's filters (one page of it). */
export async function loader(args: LoaderFunctionArgs) {
  return platformFileLoader(args, 'platform-themes-json', async (page) => {
    const found = await searchOpenThemes(
      args.context.db,
      fileSearch(args.request, page, 'themes', readThemeSearch),
      page,
    )
    return {
      body: jsonFeed(themesFeed(page, found.themes, '/themes.json', feedQueryOf(args.request))),
      contentType: 'application/feed+json; charset=utf-8',
    }
  })
}
