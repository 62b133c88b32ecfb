import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import portalStylesHref from '~/styles/portal.css'
import { Pager } from '~/components/pager'
import { searchPublishedCases } from '~/operations/across-cities/across-cities.server'
import { parseCaseSearch } from '~/operations/across-cities/search'
import { portalHeaders } from '~/http/portal-page.server'
import { platformPageLoader } from '~/http/platform-page.server'
import { PlatformFilterForm } from '~/components/portal/platform-filter-form'
import { caseFilters, feedQueryOf, platformCaseView, subscribeHref } from '~/http/portal/platform-views'
import { titleMeta } from '~/utils/page-meta'

/** Every live city's published cases (issue 22): filters, search, pages, open data. */
export async function loader(args: LoaderFunctionArgs) {
  return platformPageLoader(args, 'platform-cases', async (page) => {
    const search = parseCaseSearch(new URL(args.request.url).searchParams, page)
    const found = await searchPublishedCases(args.context.db, search, page)
    return {
      title: page.t('common:platform.cases.title'),
      q: search.q,
      filters: caseFilters(page, search, found.years),
      subscribeHref: subscribeHref('cases', search),
      cases: found.cases.map((row) => platformCaseView(page, row)),
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

export default function PlatformCases() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{data.title}</h1>
      <p className="lead">{t('platform.cases.lead')}</p>
      <PlatformFilterForm
        id="cases-filter"
        q={data.q}
        selects={data.filters}
        subscribeHref={data.subscribeHref}
      />
      <p className="note">{t('platform.fieldsNote')}</p>
      <h2 aria-live="polite">{t('platform.cases.count', { count: data.total })}</h2>
      {data.cases.length === 0 ? (
        <p className="empty">{t('platform.cases.none')}</p>
      ) : (
        <ul className="card-list">
          {data.cases.map((row) => (
            <li key={row.id} className="card">
              <h3 className="card__title">
                <Link to={row.url}>{row.title}</Link>
              </h3>
              <p className="card__meta">{row.city}</p>
              {row.summary ? <p>{row.summary}</p> : null}
              <dl className="facts">
                <div>
                  <dt>{t('platform.cases.partner')}</dt>
                  <dd>{row.partner}</dd>
                </div>
                {row.method ? (
                  <div>
                    <dt>{t('platform.cases.method')}</dt>
                    <dd>{row.method}</dd>
                  </div>
                ) : null}
                <div>
                  <dt>{t('platform.field')}</dt>
                  <dd>{row.fields.join(t('platform.listSeparator')) || t('platform.noField')}</dd>
                </div>
                <div>
                  <dt>{t('platform.cases.published')}</dt>
                  <dd>{row.published}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
      <Pager page={data.page} pageCount={data.pageCount} />
      <section aria-labelledby="cases-open-data">
        <h2 id="cases-open-data">{t('platform.openData')}</h2>
        <ul className="link-list">
          <li>
            <a href={`/cases.json${data.feedQuery}`} type="application/feed+json">
              {t('platform.json')}
            </a>
          </li>
          <li>
            <a href={`/cases.csv${data.feedQuery}`} type="text/csv" download>
              {t('platform.csv')}
            </a>
          </li>
        </ul>
      </section>
    </>
  )
}

export const meta = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
