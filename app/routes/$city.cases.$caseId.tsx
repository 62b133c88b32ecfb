import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { fieldLabels } from '~/utils/portal/cases-feed.server'
import { listPublishedCases } from '~/utils/portal/cases.server'
import { caseMethodLabel } from '~/utils/portal/content-views'
import { cityPageMeta } from '~/utils/portal/meta'
import { cityPageLoader, notFound, portalHeaders } from '~/utils/portal/page.server'
import { formatDate } from '~/utils/portal/views'

const CaseIdSchema = z.string().uuid()

export async function loader(args: LoaderFunctionArgs) {
  const caseId = CaseIdSchema.safeParse(args.params.caseId)
  if (!caseId.success) notFound()
  return cityPageLoader(args, 'city-case', async (page) => {
    const cases = await page.readPublic(listPublishedCases, [])
    const publishedCase = cases.find((candidate) => candidate.id === caseId.data)
    if (!publishedCase) notFound()
    const date = (value: string | null) => (value ? formatDate(value, page.locale) : '')
    return {
      slug: page.tenant.slug,
      title: page.text(publishedCase.title),
      summary: page.text(publishedCase.summary),
      results: page.text(publishedCase.results),
      partner: publishedCase.partnerName,
      method: caseMethodLabel(publishedCase, page),
      fields: fieldLabels(publishedCase, page),
      startedOn: date(publishedCase.startedOn),
      endedOn: date(publishedCase.endedOn),
      publishedAt: date(publishedCase.publishedAt),
    }
  })
}

export const headers = portalHeaders

export default function Case() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  const facts: [string, string][] = [
    [t('cases.partner'), data.partner],
    [t('cases.method'), data.method],
    [t('cases.field'), data.fields.join(t('flow.separator'))],
    [t('cases.period'), data.startedOn ? t('cases.periodValue', { start: data.startedOn, end: data.endedOn }) : ''],
    [t('cases.publishedAt'), data.publishedAt],
  ]
  return (
    <article>
      <p className="breadcrumb">
        <Link to={`/${data.slug}/cases`}>{t('cases.back')}</Link>
      </p>
      <h1>{data.title}</h1>
      <dl className="facts facts--inline">
        {facts
          .filter(([, value]) => value)
          .map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {data.summary ? (
        <section aria-labelledby="case-summary">
          <h2 id="case-summary">{t('cases.summary')}</h2>
          <p className="prose">{data.summary}</p>
        </section>
      ) : null}
      {data.results ? (
        <section aria-labelledby="case-results">
          <h2 id="case-results">{t('cases.results')}</h2>
          <p className="prose">{data.results}</p>
        </section>
      ) : null}
    </article>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
