import { json, type LoaderFunctionArgs, type LinksFunction, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { formatList } from '@desk/tenant-config'
import { ScrollingTable } from '~/components/scrolling-table'
import { FormNotice, RefusedQueryNotice } from '~/components/forms'
import { Pager } from '~/components/pager'
import { listMyProposals, MY_PROPOSALS_PAGE_SIZE } from '~/operations/inbox/my-proposals.server'
import { requireUser } from '~/http/guards.server'
import { readPageQuery } from '~/http/form-validation.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import deskStylesHref from '~/styles/desk.css'
import { titleMeta } from '~/utils/page-meta'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  // A page number that is not one is answered 400 and the first page, said above the list.
  const { page, fieldErrors, status } = readPageQuery(new URL(request.url).searchParams)
  const { rows, total } = await listMyProposals(context.db, {
    userId: user.id,
    configOf: (slug) => context.tenants.get(slug)?.config,
    locale,
    page,
  })
  return json(
    {
      title: t('proposals:mine.title'),
      page,
      pageCount: Math.max(1, Math.ceil(total / MY_PROPOSALS_PAGE_SIZE)),
      rows: rows.map((row) => {
        const city = context.tenants.get(row.citySlug)!
        const { config } = city
        return {
          ...row,
          cityName: tenantText(config.identity.name, locale, config.defaultLocale),
          /** The city takes proposals now (a suspended one keeps them, and says so). */
          accepting: city.status === 'live',
          turnLabels: row.turn.map(
            (lane) => tenantText(config.laneLabels?.[lane], locale, config.defaultLocale) || lane,
          ),
          updatedAt: row.updatedAt.toISOString(),
        }
      }),
      fieldErrors,
    },
    { status, headers: { 'Cache-Control': 'no-store' } },
  )
}

export default function MyProposals() {
  const { rows, page, pageCount, fieldErrors } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const { t, i18n } = useTranslation('proposals')
  const submitted = searchParams.get('submitted')
  return (
    <section className="desk-page">
      <h1>{t('mine.title')}</h1>
      {submitted ? <FormNotice>{t('mine.submitted', { references: submitted })}</FormNotice> : null}
      <RefusedQueryNotice errors={fieldErrors} />
      <p>
        <Link to="/proposals/new" className="button button--primary">
          {t('mine.new')}
        </Link>
      </p>
      {rows.length === 0 ? (
        <p>{t('mine.empty')}</p>
      ) : (
        <ScrollingTable
          caption={t('mine.caption')}
          columns={[
            t('mine.city'),
            t('mine.proposal'),
            t('mine.state'),
            t('mine.next'),
            t('mine.turn'),
            t('mine.unread'),
          ]}
        >
          {rows.map((row) => (
            <tr key={row.id}>
              <td className="nowrap">
                {row.cityName}
                {row.accepting ? null : (
                  <>
                    <br />
                    <small>{t('mine.notAccepting')}</small>
                  </>
                )}
              </td>
              <td className="cell--text">
                <Link to={`/proposals/${row.citySlug}/${row.id}`}>{row.title || t('mine.untitled')}</Link>
                <br />
                <small>
                  {row.referenceCode ?? t('mine.draft')} · {row.organisationName}
                </small>
              </td>
              <td className="cell--label">{row.stepLabel}</td>
              <td className="cell--label">{formatList(row.nextSteps, i18n.language) || '—'}</td>
              <td className="cell--label">{formatList(row.turnLabels, i18n.language)}</td>
              <td className="nowrap">
                {row.unread > 0 ? (
                  <strong className="badge">{t('mine.unreadCount', { count: row.unread })}</strong>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </ScrollingTable>
      )}
      <Pager page={page} pageCount={pageCount} />
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
