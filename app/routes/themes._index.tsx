import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PlatformCard, PlatformListPage } from '~/components/portal/platform-list-page'
import { portalLinks } from '~/components/portal/portal-links'
import { searchOpenThemes } from '~/operations/across-cities/across-cities.server'
import { readThemeSearch } from '~/http/portal/platform-search.server'
import { portalHeaders } from '~/http/portal-page.server'
import { platformPageLoader } from '~/http/platform-page.server'
import { platformListView, platformThemeView, themeFilters } from '~/http/portal/platform-views'
import { titleMeta } from '~/utils/page-meta'

/** Every live city's open themes (issue 22): filters, search, sort, pages, feeds. */
export async function loader(args: LoaderFunctionArgs) {
  return platformPageLoader(
    args,
    'platform-themes',
    async (page) => {
      // A refused filter is answered 400 at its field; the list shows the results without it, and says so.
      const {
        value: search,
        fieldErrors,
        values,
      } = readThemeSearch(new URL(args.request.url).searchParams, page)
      const found = await searchOpenThemes(args.context.db, search, page)
      return {
        ...platformListView(page, args.request, {
          kind: 'themes',
          search,
          filters: themeFilters(page, search),
          found,
          fieldErrors,
          values,
        }),
        themes: found.themes.map((theme) => platformThemeView(page, theme)),
      }
    },
    (data) => (Object.keys(data.fieldErrors).length > 0 ? 400 : 200),
  )
}

export const headers = portalHeaders

export const links = portalLinks

export default function PlatformThemes() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <PlatformListPage
      kind="themes"
      list={data}
      empty={data.themes.length === 0}
      feeds={{
        id: 'themes-feeds',
        heading: t('platform.feeds'),
        links: [
          { href: `/themes.atom${data.feedQuery}`, type: 'application/atom+xml', label: t('platform.atom') },
          { href: `/themes.json${data.feedQuery}`, type: 'application/feed+json', label: t('platform.json') },
        ],
      }}
    >
      <ul className="card-list">
        {data.themes.map((theme) => (
          <PlatformCard key={theme.id} item={theme}>
            <dl className="facts">
              <div>
                <dt>{t('platform.field')}</dt>
                <dd>{theme.fields.join(t('platform.listSeparator')) || t('platform.noField')}</dd>
              </div>
              {theme.proposalTypes.length > 0 ? (
                <div>
                  <dt>{t('platform.proposalType')}</dt>
                  <dd>{theme.proposalTypes.join(t('platform.listSeparator'))}</dd>
                </div>
              ) : null}
              <div>
                <dt>{t('platform.themes.deadline')}</dt>
                <dd>{theme.deadline || t('platform.themes.noDeadline')}</dd>
              </div>
            </dl>
            <p>
              <Link to={theme.proposeUrl} className="button">
                {t('platform.themes.propose')}
                <span className="visually-hidden">
                  {t('platform.themes.proposeFor', { title: theme.title })}
                </span>
              </Link>
            </p>
          </PlatformCard>
        ))}
      </ul>
    </PlatformListPage>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
