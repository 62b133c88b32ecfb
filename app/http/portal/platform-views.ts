import { formatDate, tokyoTimestamp } from '@desk/tenant-config'
import type { PlatformCase, PlatformTheme } from '~/operations/across-cities/across-cities.server'
import type { Feed } from '../../utils/portal/feeds'
import type { PlatformPage } from '~/http/platform-page.server'
import type { FormValues } from '~/http/form-schemas'
import { bilingual } from '~/operations/portal/themes.server'
import {
  scopeQuery,
  themeProposalTypesOf,
  type CaseSearch,
  type SearchKind,
  type SearchScope,
  type ThemeSearch,
} from '~/operations/across-cities/search'

/** A field of the platform taxonomy by its label in the reader's language. */
export function platformFieldLabels(page: PlatformPage, ids: readonly string[]): string[] {
  return ids.flatMap((id) => {
    const field = page.taxonomy.fields.find((known) => known.id === id)
    return field ? [field.label[page.locale] ?? field.label.ja] : []
  })
}

type Choice = { id: string; label: string }

/** One select of the shared filter form (components/portal/platform-filter-form.tsx), its texts in the reader's language. */
export type FilterSelect = {
  name: string
  label: string
  value: string
  options: Choice[]
  /** The label of "no filter" (an empty value); null when one option is always chosen (the sort). */
  anyLabel: string | null
}

export function fieldOptions(page: PlatformPage): Choice[] {
  return page.taxonomy.fields.map((field) => ({
    id: field.id,
    label: field.label[page.locale] ?? field.label.ja,
  }))
}

export function cityOptions(page: PlatformPage): Choice[] {
  return page.cities.map((city) => ({ id: city.slug, label: page.cityName(city.slug) }))
}

/** Options merged by id across the live cities, each labelled by the first city naming it. */
function mergedOptions(
  page: PlatformPage,
  of: (city: PlatformPage['cities'][number]) => { id: string; label: Parameters<PlatformPage['text']>[0] }[],
): Choice[] {
  const seen = new Map<string, string>()
  for (const city of page.cities) {
    for (const option of of(city)) if (!seen.has(option.id)) seen.set(option.id, page.text(option.label))
  }
  return [...seen].map(([id, label]) => ({ id, label }))
}

/** The prefectures of the live cities, by the value the filter sends (the Japanese name) and a label in the reader's language. */
export function prefectureOptions(page: PlatformPage): Choice[] {
  return mergedOptions(page, (city) => {
    const prefecture = city.config.identity.prefecture
    return prefecture?.ja ? [{ id: prefecture.ja, label: prefecture }] : []
  })
}

/** The proposal types themes are answered with (e.g. テーマ型, 課題提案), as the cities' files name them. */
export function themeProposalTypeOptions(page: PlatformPage): Choice[] {
  return mergedOptions(page, themeProposalTypesOf)
}

export function methodOptions(page: PlatformPage): Choice[] {
  return mergedOptions(page, (city) => city.config.collaborationMethods)
}

/** The selects every cross-city list shares (field, prefecture, city, proposal type or method), set to the scope. */
export function scopeFilters(page: PlatformPage, scope: SearchScope, kind: SearchKind): FilterSelect[] {
  const any = page.t('common:platform.any')
  const prefectures = prefectureOptions(page)
  const kindSelect: FilterSelect =
    kind === 'themes'
      ? {
          name: 'type',
          label: page.t('common:platform.proposalType'),
          value: scope.proposalType ?? '',
          options: themeProposalTypeOptions(page),
          anyLabel: any,
        }
      : {
          name: 'method',
          label: page.t('common:platform.cases.method'),
          value: scope.method ?? '',
          options: methodOptions(page),
          anyLabel: any,
        }
  return [
    {
      name: 'field',
      label: page.t('common:platform.field'),
      value: scope.fields[0] ?? '',
      options: fieldOptions(page),
      anyLabel: any,
    },
    ...(prefectures.length > 1
      ? [
          {
            name: 'prefecture',
            label: page.t('common:platform.prefecture'),
            value: scope.prefecture ?? '',
            options: prefectures,
            anyLabel: any,
          },
        ]
      : []),
    {
      name: 'city',
      label: page.t('common:platform.city'),
      value: scope.cities[0] ?? '',
      options: cityOptions(page),
      anyLabel: any,
    },
    ...(kindSelect.options.length > 0 ? [kindSelect] : []),
  ]
}

/** The filters of /themes: the shared ones, then the deadline and the order. */
export function themeFilters(page: PlatformPage, search: ThemeSearch): FilterSelect[] {
  return [
    ...scopeFilters(page, search, 'themes'),
    {
      name: 'closing',
      label: page.t('common:platform.themes.closing'),
      value: search.closingWithinDays ? String(search.closingWithinDays) : '',
      options: [7, 30].map((count) => ({
        id: String(count),
        label: page.t('common:platform.themes.closingWithin', { count }),
      })),
      anyLabel: page.t('common:platform.any'),
    },
    {
      name: 'sort',
      label: page.t('common:platform.sort'),
      value: search.sort,
      options: [
        { id: 'closing', label: page.t('common:platform.themes.sortClosing') },
        { id: 'newest', label: page.t('common:platform.themes.sortNewest') },
      ],
      anyLabel: null,
    },
  ]
}

/** The filters of /cases: the shared ones, then the year. */
export function caseFilters(page: PlatformPage, search: CaseSearch, years: number[]): FilterSelect[] {
  return [
    ...scopeFilters(page, search, 'cases'),
    {
      name: 'year',
      label: page.t('common:platform.cases.year'),
      value: search.year ? String(search.year) : '',
      options: years.map((year) => ({
        id: String(year),
        label: page.t('common:platform.cases.yearValue', { year }),
      })),
      anyLabel: page.t('common:platform.any'),
    },
  ]
}

/** Where "この条件で通知を受け取る" leads: saving this list's scope as an alert (sign-in first when needed). */
export function subscribeHref(kind: SearchKind, scope: SearchScope): string {
  const params = scopeQuery(scope)
  params.set('kind', kind)
  return `/account/alerts/new?${params}`
}

/** What both cross-city lists show besides their rows: the search form, the count, the pages and the feeds' query. */
export type PlatformListView = {
  title: string
  q: string
  filters: FilterSelect[]
  subscribeHref: string
  total: number
  page: number
  pageCount: number
  feedQuery: string
  /** The refused filters' messages (locale keys) by input name, and what the address sent (a 400). */
  fieldErrors: Record<string, string>
  values?: FormValues | undefined
}

/** The list frame of /themes or /cases for one search and its page of results. */
export function platformListView(
  page: PlatformPage,
  request: Request,
  {
    kind,
    search,
    filters,
    found,
    fieldErrors,
    values,
  }: {
    kind: SearchKind
    search: SearchScope
    filters: FilterSelect[]
    found: { total: number; page: number; pageCount: number }
    fieldErrors: Record<string, string>
    values: FormValues | undefined
  },
): PlatformListView {
  return {
    title: page.t(`common:platform.${kind}.title`),
    q: search.q,
    filters,
    subscribeHref: subscribeHref(kind, search),
    total: found.total,
    page: found.page,
    pageCount: found.pageCount,
    feedQuery: feedQueryOf(request),
    fieldErrors,
    values,
  }
}

function proposalTypesOfCity(page: PlatformPage, slug: string): string[] {
  const city = page.cities.find((candidate) => candidate.slug === slug)
  return city ? themeProposalTypesOf(city).map((type) => page.text(type.label)) : []
}

export type PlatformThemeView = {
  id: string
  slug: string
  city: string
  title: string
  summary: string
  deadline: string
  fields: string[]
  /** The proposal types the theme is answered with, as its city names them. */
  proposalTypes: string[]
  url: string
  proposeUrl: string
}

export function platformThemeView(page: PlatformPage, theme: PlatformTheme): PlatformThemeView {
  return {
    id: theme.id,
    slug: theme.citySlug,
    city: page.cityName(theme.citySlug),
    title: page.text(bilingual(theme.titleJa, theme.titleEn)),
    summary: page.text(bilingual(theme.backgroundJa, theme.backgroundEn)),
    deadline: theme.deadline ? formatDate(theme.deadline, page.locale) : '',
    fields: platformFieldLabels(page, theme.platformFields),
    proposalTypes: proposalTypesOfCity(page, theme.citySlug),
    url: `/${theme.citySlug}/themes/${theme.id}`,
    proposeUrl: `/${theme.citySlug}/propose?${new URLSearchParams({ theme: theme.id })}`,
  }
}

export type PlatformCaseView = {
  id: string
  slug: string
  city: string
  title: string
  summary: string
  partner: string
  method: string
  fields: string[]
  published: string
  url: string
}

export function caseMethodLabelOf(page: PlatformPage, slug: string, methodId: string | null): string {
  if (!methodId) return ''
  const method = page.cities
    .find((city) => city.slug === slug)
    ?.config.collaborationMethods.find((m) => m.id === methodId)
  return method ? page.text(method.label) : ''
}

export function platformCaseView(page: PlatformPage, row: PlatformCase): PlatformCaseView {
  return {
    id: row.id,
    slug: row.citySlug,
    city: page.cityName(row.citySlug),
    title: page.text(bilingual(row.titleJa, row.titleEn)),
    summary: page.text(bilingual(row.summaryJa, row.summaryEn)),
    partner: row.partnerName,
    method: caseMethodLabelOf(page, row.citySlug, row.collaborationMethod),
    fields: platformFieldLabels(page, row.platformFields),
    published: formatDate(row.publishedAt, page.locale),
    url: `/${row.citySlug}/cases/${row.id}`,
  }
}

/** Every live city's open themes as a feed (Atom and JSON Feed); times in Japan's offset as the city feeds. */
export function themesFeed(
  page: PlatformPage,
  themes: PlatformTheme[],
  feedPath: string,
  query: string,
): Feed {
  return {
    id: `${page.origin}/themes`,
    title: page.t('common:platform.themes.feedTitle'),
    homeUrl: `${page.origin}/themes${query}`,
    feedUrl: `${page.origin}${feedPath}${query}`,
    language: page.locale,
    updated: tokyoTimestamp(
      themes.reduce((latest, theme) => (theme.updatedAt > latest ? theme.updatedAt : latest), new Date(0)),
    ),
    entries: themes.map((theme) => {
      const view = platformThemeView(page, theme)
      return {
        id: theme.id,
        url: `${page.origin}${view.url}`,
        title: view.title,
        summary: view.summary,
        published: tokyoTimestamp(theme.publishedAt ?? theme.updatedAt),
        updated: tokyoTimestamp(theme.updatedAt),
        author: view.city,
        categories: view.fields,
      }
    }),
  }
}

export function casesFeed(page: PlatformPage, cases: PlatformCase[], feedPath: string, query: string): Feed {
  return {
    id: `${page.origin}/cases`,
    title: page.t('common:platform.cases.feedTitle'),
    homeUrl: `${page.origin}/cases${query}`,
    feedUrl: `${page.origin}${feedPath}${query}`,
    language: page.locale,
    updated: tokyoTimestamp(
      cases.reduce((latest, row) => (row.updatedAt > latest ? row.updatedAt : latest), new Date(0)),
    ),
    entries: cases.map((row) => {
      const view = platformCaseView(page, row)
      return {
        id: row.id,
        url: `${page.origin}${view.url}`,
        title: view.title,
        summary: view.summary,
        published: tokyoTimestamp(row.publishedAt),
        updated: tokyoTimestamp(row.updatedAt),
        author: view.partner,
        categories: [view.city, view.method, ...view.fields].filter(Boolean),
      }
    }),
  }
}

/** One row per case, a header in the reader's language; ISO 8601 times with +09:00 as the city CSVs. */
export function casesTable(page: PlatformPage, cases: PlatformCase[]): string[][] {
  const columns = [
    'id',
    'city',
    'title',
    'partner',
    'method',
    'fields',
    'startedOn',
    'endedOn',
    'publishedAt',
    'summary',
    'url',
  ]
  return [
    columns.map((column) => page.t(`common:platform.cases.csv.${column}`)),
    ...cases.map((row) => {
      const view = platformCaseView(page, row)
      return [
        row.id,
        view.city,
        view.title,
        view.partner,
        view.method,
        view.fields.join(page.locale === 'ja' ? '、' : ', '),
        row.startedOn ?? '',
        row.endedOn ?? '',
        tokyoTimestamp(row.publishedAt),
        view.summary,
        `${page.origin}${view.url}`,
      ]
    }),
  ]
}

/** The query a list's feed links keep (its filters, not its page). */
export function feedQueryOf(request: Request): string {
  const params = new URL(request.url).searchParams
  params.delete('page')
  const query = params.toString()
  return query ? `?${query}` : ''
}
