import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PlatformCard, PlatformListPage } from '~/components/portal/platform-list-page'
import { portalLinks } from '~/components/portal/portal-links'
import { searchPublishedCases } from '~/operations/across-cities/across-cities.server'
import { readCaseSearch } from '~/http/portal/platform-search.server'
import { portalHeaders } from '~/http/portal-page.server'
import { platformPageLoader } from '~/http/platform-page.server'
import { caseFilters, platformCaseView, platformListView } from '~/http/portal/platform-views'
import { titleMeta } from '~/utils/page-meta'

/** Every live city's published cases (issue 22): filters, search, pages, open data. */
export async function loader(args: LoaderFunctionArgs) {
  return platformPageLoader(
    args,
    'platform-cases',
    async (page) => {
      // A refused filter is answered 400 at its field; the list shows the results without it, and says so.
      const {
        value: search,
        fieldErrors,
        values,
      } = readCaseSearch(new URL(args.request.url).searchParams, page)
      const found = await searchPublishedCases(args.context.db, search, page)
      return {
        ...platformListView(page, args.request, {
          kind: 'cases',
          search,
          filters: caseFilters(page, search, found.years),
          found,
          fieldErrors,
          values,
        }),
        cases: found.cases.map((row) => platformCaseView(page, row)),
      }
    },
    (data) => (Object.keys(data.fieldErrors).length > 0 ? 400 : 200),
  )
}

export const headers = portalHeaders

export const links = portalLinks

export default function PlatformCases() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <PlatformListPage
      kind="cases"
      list={data}
      empty={data.cases.length === 0}
      feeds={{
        id: 'cases-open-data',
        heading: t('platform.openData'),
        links: [
          { href: `/cases.json${data.feedQuery}`, type: 'application/feed+json', label: t('platform.json') },
          { href: `/cases.csv${data.feedQuery}`, type: 'text/csv', label: t('platform.csv'), download: true },
        ],
      }}
    >
      <ul className="card-list">
        {data.cases.map((row) => (
          <PlatformCard key={row.id} item={row}>
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
          </PlatformCard>
        ))}
      </ul>
    </PlatformListPage>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
