import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Pager } from '~/components/pager'
import { CaseList } from '~/components/portal/case-list'
import { PageIntro } from '~/components/portal/page-intro'
import { parseCaseFilters } from '~/http/portal/case-filters'
import { knownCaseFilters } from '~/http/portal/cases-feed.server'
import { pagePublishedCases } from '~/operations/portal/cases.server'
import { PageParamSchema } from '~/utils/paging'
import { caseSummary } from '~/http/portal/content-views'
import { cityPageMeta } from '~/utils/page-meta'
import { cityPageLoader, portalHeaders } from '~/http/portal-page.server'
import { TenantText } from '~/components/portal/text-language'

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-cases', async (page) => {
    const { config, text, t } = page
    const search = new URL(args.request.url).searchParams
    const filters = parseCaseFilters(search, knownCaseFilters(config))
    const requested = PageParamSchema.parse(search.get('page'))
    const listed = await page.readPublic((tx) => pagePublishedCases(tx, filters, requested), {
      cases: [],
      published: 0,
      years: [],
      total: 0,
      page: 1,
      pageCount: 1,
      offset: 0,
    })
    const query = search.toString()
    return {
      slug: page.tenant.slug,
      title: t('portal:cases.title'),
      publication: text(config.publication.text),
      filters: {
        year: filters.year ? String(filters.year) : '',
        agreement: filters.agreementKind ?? '',
        field: filters.field ?? '',
      },
      years: listed.years,
      agreementKinds: config.agreementKinds.map((kind) => ({ id: kind.id, label: text(kind.label) })),
      // The city's word for no agreement where its file has one; else the filter's own label.
      noAgreementLabel: config.noAgreement ? text(config.noAgreement.label) : null,
      fields: config.fieldsOfActivity.map((field) => ({ id: field.id, label: text(field.label) })),
      cases: listed.cases.map((publishedCase) => caseSummary(publishedCase, page)),
      matching: listed.total,
      total: listed.published,
      page: listed.page,
      pageCount: listed.pageCount,
      feedQuery: query ? `?${query}` : '',
    }
  })
}

export const headers = portalHeaders

export default function Cases() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  const feedBase = `/${data.slug}/cases`
  return (
    <>
      <PageIntro title={data.title} lead={data.publication} />
      <Form method="get" className="filters" aria-labelledby="cases-filter-heading">
        <h2 id="cases-filter-heading" className="filters__heading">
          {t('cases.filter')}
        </h2>
        <div className="filters__fields">
          <label>
            {t('cases.year')}
            <select name="year" defaultValue={data.filters.year}>
              <option value="">{t('cases.any')}</option>
              {data.years.map((year) => (
                <option key={year} value={year}>
                  {t('cases.yearValue', { year })}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('cases.agreement')}
            <select name="agreement" defaultValue={data.filters.agreement}>
              <option value="">{t('cases.any')}</option>
              {data.agreementKinds.map((kind) => (
                <option key={kind.id} value={kind.id}>
                  <TenantText>{kind.label}</TenantText>
                </option>
              ))}
              <option value="none">
                {data.noAgreementLabel ? (
                  <TenantText>{data.noAgreementLabel}</TenantText>
                ) : (
                  t('cases.noAgreement')
                )}
              </option>
            </select>
          </label>
          <label>
            {t('cases.field')}
            <select name="field" defaultValue={data.filters.field}>
              <option value="">{t('cases.any')}</option>
              {data.fields.map((field) => (
                <option key={field.id} value={field.id}>
                  <TenantText>{field.label}</TenantText>
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button">
            {t('cases.apply')}
          </button>
        </div>
      </Form>
      <h2 aria-live="polite">{t('cases.count', { count: data.matching, total: data.total })}</h2>
      <CaseList slug={data.slug} cases={data.cases} headingLevel={3} />
      <Pager page={data.page} pageCount={data.pageCount} />
      <section aria-labelledby="cases-open-data">
        <h2 id="cases-open-data">{t('cases.openData')}</h2>
        <ul className="link-list">
          <li>
            <a href={`${feedBase}.atom${data.feedQuery}`} type="application/atom+xml">
              {t('cases.atom')}
            </a>
          </li>
          <li>
            <a href={`${feedBase}.json${data.feedQuery}`} type="application/feed+json">
              {t('cases.json')}
            </a>
          </li>
          <li>
            <a href={`${feedBase}.csv${data.feedQuery}`} type="text/csv" download>
              {t('cases.csv.download')}
            </a>
          </li>
        </ul>
      </section>
    </>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
