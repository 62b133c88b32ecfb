import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Pager } from '~/components/pager'
import { CaseList } from '~/components/portal/case-list'
import { PageIntro } from '~/components/portal/page-intro'
import { caseFiltersOf } from '~/http/portal/case-filters'
import { readCaseQuery } from '~/http/portal/cases-feed.server'
import { pagePublishedCases } from '~/operations/portal/cases.server'
import { RefusedQueryNotice, SelectField } from '~/components/forms'
import { caseSummary } from '~/http/portal/content-views'
import { cityPageMeta } from '~/utils/page-meta'
import { cityPageLoader, portalHeaders } from '~/http/portal-page.server'
import { useTextLanguage } from '~/components/portal/text-language'

const FILTER_FIELDS = ['year', 'agreement', 'field'] as const

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(
    args,
    'city-cases',
    async (page) => {
      const { config, text, t } = page
      const search = new URL(args.request.url).searchParams
      // A refused filter is answered 400 at its field; the list shows the cases without it, and says so.
      const { value: query, fieldErrors, values } = readCaseQuery(config, search)
      const filters = caseFiltersOf(query)
      const listed = await page.readPublic((tx) => pagePublishedCases(tx, filters, query.page ?? 1), {
        cases: [],
        published: 0,
        years: [],
        total: 0,
        page: 1,
        pageCount: 1,
        offset: 0,
      })
      return {
        slug: page.tenant.slug,
        title: t('portal:cases.title'),
        publication: text(config.publication.text),
        filters: {
          year: filters.year ? String(filters.year) : '',
          agreement: filters.agreementKind ?? '',
          field: filters.field ?? '',
        },
        fieldErrors,
        values,
        // A year asked for that has no case is still the year shown as chosen.
        years:
          filters.year && !listed.years.includes(filters.year)
            ? [filters.year, ...listed.years]
            : listed.years,
        agreementKinds: config.agreementKinds.map((kind) => ({ id: kind.id, label: text(kind.label) })),
        // The city's word for no agreement where its file has one; else the filter's own label.
        noAgreementLabel: config.noAgreement ? text(config.noAgreement.label) : null,
        fields: config.fieldsOfActivity.map((field) => ({ id: field.id, label: text(field.label) })),
        cases: listed.cases.map((publishedCase) => caseSummary(publishedCase, page)),
        matching: listed.total,
        total: listed.published,
        page: listed.page,
        pageCount: listed.pageCount,
        feedQuery: search.size > 0 ? `?${search}` : '',
      }
    },
    (data) => (Object.keys(data.fieldErrors).length > 0 ? 400 : 200),
  )
}

export const headers = portalHeaders

export default function Cases() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  const langOf = useTextLanguage()
  const feedBase = `/${data.slug}/cases`
  return (
    <>
      <PageIntro title={data.title} lead={data.publication} />
      <RefusedQueryNotice errors={data.fieldErrors} fields={FILTER_FIELDS} />
      <Form method="get" className="filters" aria-labelledby="cases-filter-heading">
        <h2 id="cases-filter-heading" className="filters__heading">
          {t('cases.filter')}
        </h2>
        <div className="filters__fields">
          <SelectField
            id="cases-year"
            name="year"
            label={t('cases.year')}
            emptyLabel={t('cases.any')}
            options={data.years.map((year) => ({
              value: String(year),
              label: t('cases.yearValue', { year }),
            }))}
            defaultValue={data.filters.year}
            errors={data.fieldErrors}
            values={data.values}
          />
          <SelectField
            id="cases-agreement"
            name="agreement"
            label={t('cases.agreement')}
            emptyLabel={t('cases.any')}
            options={[
              ...data.agreementKinds.map((kind) => ({
                value: kind.id,
                label: kind.label,
                lang: langOf(kind.label),
              })),
              data.noAgreementLabel
                ? { value: 'none', label: data.noAgreementLabel, lang: langOf(data.noAgreementLabel) }
                : { value: 'none', label: t('cases.noAgreement') },
            ]}
            defaultValue={data.filters.agreement}
            errors={data.fieldErrors}
            values={data.values}
          />
          <SelectField
            id="cases-field"
            name="field"
            label={t('cases.field')}
            emptyLabel={t('cases.any')}
            options={data.fields.map((field) => ({
              value: field.id,
              label: field.label,
              lang: langOf(field.label),
            }))}
            defaultValue={data.filters.field}
            errors={data.fieldErrors}
            values={data.values}
          />
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
