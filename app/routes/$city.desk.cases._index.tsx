import {
  json,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { FormAlert, RefusedQueryNotice } from '~/components/forms'
import { Pager } from '~/components/pager'
import { listCasesForDesk, startCaseFromProposal } from '~/operations/cases/cases.server'
import { actThenShow, proposalTenant } from '~/http/edge.server'
import { hidden } from '~/http/form-schemas'
import { readPageQuery } from '~/http/form-validation.server'
import { requireCityRole } from '~/http/guards.server'
import { readForDeskStaff } from '~/http/desk-request.server'
import { getFixedT } from '~/utils/i18n.server'
import deskStylesHref from '~/styles/desk.css'
import type { AppFailure } from '~/http/errors.server'
import { deskPageMeta } from '~/utils/page-meta'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

/** The desk's cases: every case in every status, and the concluded proposals a case can be written from. */

const roles = ['desk_admin', 'desk_staff'] as const

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return readForDeskStaff(
    request,
    context,
    params.city,
    async ({ db, staff, locale, tenant, actor, text }) => {
      const t = await getFixedT(locale)
      // A page number that is not one is answered 400 and the first page, said above the list.
      const { page: requested, fieldErrors, status } = readPageQuery(new URL(request.url).searchParams)
      const { cases, concluded, page, pageCount } = await listCasesForDesk(db, {
        tenant,
        actor,
        page: requested,
      })
      return json(
        {
          slug: staff.citySlug,
          title: t('after:cases.title'),
          cityName: text(tenant.config.identity.name),
          cases: cases.map((row) => ({ ...row, publishedAt: row.publishedAt?.toISOString() ?? null })),
          concluded,
          page,
          pageCount,
          fieldErrors,
        },
        { status, headers: { 'Cache-Control': 'no-store' } },
      )
    },
    roles,
  )
}

/** A case is started from a concluded proposal the page lists. */
const StartCaseSchema = z.object({ proposalId: hidden.id })

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireCityRole(context, params.city, roles, request)
  const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
  return actThenShow(
    request,
    {
      schema: StartCaseSchema,
      pageHref: (_form, caseId) => `/${staff.citySlug}/desk/cases/${caseId}?done=saved`,
    },
    (form) =>
      startCaseFromProposal(context.db, {
        tenant,
        actor: { kind: 'staff', userId: staff.user.id },
        proposalId: form.proposalId,
      }),
  )
}

export default function DeskCases() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<AppFailure>()
  const { t } = useTranslation('after')
  return (
    <section className="desk-page">
      <h1>{data.title}</h1>
      {/* Each refused field says why beside it (the operations' issues are mapped to after:errors.*). */}
      <FormAlert failure={failure} errors={{}} />
      <section aria-labelledby="cases-heading">
        <h2 id="cases-heading">{t('cases.list')}</h2>
        <RefusedQueryNotice errors={data.fieldErrors} />
        {data.cases.length === 0 ? (
          <p>{t('cases.none')}</p>
        ) : (
          <ul className="plain-list">
            {data.cases.map((row) => (
              <li key={row.id}>
                <Link to={`/${data.slug}/desk/cases/${row.id}`}>{row.titleJa}</Link>{' '}
                <span className={row.status === 'published' ? 'badge' : 'badge badge--note'}>
                  {t(`cases.statuses.${row.status}`)}
                </span>
              </li>
            ))}
          </ul>
        )}
        <Pager page={data.page} pageCount={data.pageCount} />
      </section>
      <section aria-labelledby="concluded-heading">
        <h2 id="concluded-heading">{t('cases.concluded')}</h2>
        {data.concluded.length === 0 ? (
          <p>{t('cases.noConcluded')}</p>
        ) : (
          <ul className="plain-list">
            {data.concluded.map((proposal) => (
              <li key={proposal.id}>
                <Form method="post">
                  <input type="hidden" name="proposalId" value={proposal.id} />
                  {proposal.referenceCode} {proposal.title}{' '}
                  <button type="submit" className="button button--small">
                    {t('cases.start', { title: proposal.title })}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = deskPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
