import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import portalStylesHref from '~/styles/portal.css'
import { Pager } from '~/components/pager'
import { searchOpenThemes } from '~/operations/across-cities/across-cities.server'
import { parseThemeSearch } from '~/operations/across-cities/search'
import { portalHeaders } from '~/http/portal-page.server'
import { platformPageLoader } from '~/http/platform-page.server'
import { PlatformFilterForm } from '~/components/portal/platform-filter-form'
import { feedQueryOf, platformThemeView, subscribeHref, themeFilters } from '~/http/portal/platform-views'
import { titleMeta } from '~/utils/page-meta'

/** Every live city's open themes (issue 22): filters, search, sort, pages, feeds. */
export async function loader(args: LoaderFunctionArgs) {
  return platformPageLoader(args, 'platform-themes', async (page) => {
    const search = parseThemeSearch(new URL(args.request.url).searchParams, page)
    const found = await searchOpenThemes(args.context.db, search, page)
    return {
      title: page.t('common:platform.themes.title'),
      q: search.q,
      filters: themeFilters(page, search),
      subscribeHref: subscribeHref('themes', search),
      themes: found.themes.map((theme) => platformThemeView(page, theme)),
      total: found.total,
      page: found.page,
      pageCount: found.pageCount,
      feedQuery: feedQueryOf(args.request),
    }
  })
}

export const headers = portalHeaders

/** The city portals' styles: lists, cards, filters and facts look the same across cities. */
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: portalStylesHref }]

export default function PlatformThemes() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{data.title}</h1>
      <p className="lead">{t('platform.themes.lead')}</p>
      <PlatformFilterForm
        id="themes-filter"
        q={data.q}
        selects={data.filters}
        subscribeHref={data.subscribeHref}
      />
      <p className="note">{t('platform.fieldsNote')}</p>
      <h2 aria-live="polite">{t('platform.themes.count', { count: data.total })}</h2>
      {data.themes.length === 0 ? (
        <p className="empty">{t('platform.themes.none')}</p>
      ) : (
        <ul className="card-list">
          {data.themes.map((theme) => (
            <li key={theme.id} className="card">
              <h3 className="card__title">
                <Link to={theme.url}>{theme.title}</Link>
              </h3>
              <p className="card__meta">{theme.city}</p>
              {theme.summary ? <p>{theme.summary}</p> : null}
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
            </li>
          ))}
        </ul>
      )}
      <Pager page={data.page} pageCount={data.pageCount} />
      <section aria-labelledby="themes-feeds">
        <h2 id="themes-feeds">{t('platform.feeds')}</h2>
        <ul className="link-list">
          <li>
            <a href={`/themes.atom${data.feedQuery}`} type="application/atom+xml">
              {t('platform.atom')}
            </a>
          </li>
          <li>
            <a href={`/themes.json${data.feedQuery}`} type="application/feed+json">
              {t('platform.json')}
            </a>
          </li>
        </ul>
      </section>
    </>
  )
}

export const meta = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
