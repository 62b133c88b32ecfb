import { formatList, tokyoTimestamp, type TenantConfig } from '@desk/tenant-config'
import { caseFiltersOf, caseQuerySchema, filterCases } from './case-filters'
import { readQuery, refusedQueryResponse } from '../form-validation.server'
import { listPublishedCases, type PublishedCase } from '../../operations/portal/cases.server'
import { caseDetail, caseMethodLabel } from './content-views'
import type { Feed } from '../../utils/portal/feeds'
import type { CityPage } from '../portal-page.server'

/** The list's query read with the filters the city's file allows: its agreement kinds and fields of activity. */
export function readCaseQuery(config: TenantConfig, params: URLSearchParams) {
  return readQuery(
    params,
    caseQuerySchema({
      agreementKinds: config.agreementKinds.map((kind) => kind.id),
      fields: config.fieldsOfActivity.map((field) => field.id),
    }),
  )
}

/** The city's published cases, narrowed by the request's filters; a refused filter is a 400 with its reason. */
export async function filteredCases(page: CityPage, request: Request): Promise<PublishedCase[]> {
  const query = readCaseQuery(page.config, new URL(request.url).searchParams)
  if (Object.keys(query.fieldErrors).length > 0)
    throw refusedQueryResponse(query.fieldErrors, page.t, {
      year: page.t('portal:cases.year'),
      agreement: page.t('portal:cases.agreement'),
      field: page.t('portal:cases.field'),
      page: page.t('common:pager.label'),
    })
  const cases = await page.readPublic(listPublishedCases, [])
  return filterCases(cases, caseFiltersOf(query.value))
}

export function fieldLabels(publishedCase: PublishedCase, page: CityPage): string[] {
  return caseDetail(publishedCase, page, []).fields
}

/** Published cases as a feed: the same entries for Atom and JSON Feed; times in Japan's offset, as the pages date them. */
export function casesFeed(page: CityPage, cases: PublishedCase[], feedPath: string): Feed {
  const base = `${page.origin}/${page.tenant.slug}`
  return {
    id: `${base}/cases`,
    title: page.t('portal:cases.feedTitle', { desk: page.text(page.config.contact.deskName) }),
    homeUrl: `${base}/cases`,
    feedUrl: `${base}${feedPath}`,
    language: page.locale,
    updated: tokyoTimestamp(
      cases.reduce(
        (latest, current) => (current.updatedAt > latest ? current.updatedAt : latest),
        new Date(0).toISOString(),
      ),
    ),
    entries: cases.map((publishedCase) => ({
      id: publishedCase.id,
      url: `${base}/cases/${publishedCase.id}`,
      title: page.text(publishedCase.title),
      summary: page.text(publishedCase.summary),
      published: tokyoTimestamp(publishedCase.publishedAt),
      updated: tokyoTimestamp(publishedCase.updatedAt),
      author: publishedCase.partnerName,
      categories: [caseMethodLabel(publishedCase, page), ...fieldLabels(publishedCase, page)].filter(Boolean),
    })),
  }
}

/** One row per case, with a header row in the visitor's language. */
export function casesTable(page: CityPage, cases: PublishedCase[]): string[][] {
  const base = `${page.origin}/${page.tenant.slug}`
  const header = [
    'id',
    'title',
    'partner',
    'method',
    'fields',
    'startedOn',
    'endedOn',
    'publishedAt',
    'summary',
    'results',
    'url',
  ]
  return [
    header.map((column) => page.t(`portal:cases.csv.${column}`)),
    ...cases.map((publishedCase) => [
      publishedCase.id,
      page.text(publishedCase.title),
      publishedCase.partnerName,
      caseMethodLabel(publishedCase, page),
      formatList(fieldLabels(publishedCase, page), page.locale),
      publishedCase.startedOn ?? '',
      publishedCase.endedOn ?? '',
      tokyoTimestamp(publishedCase.publishedAt),
      page.text(publishedCase.summary),
      page.text(publishedCase.results),
      `${base}/cases/${publishedCase.id}`,
    ]),
  ]
}
