import { formatDate, tokyoTimestamp } from '@desk/tenant-config'
import type { PlatformCase, PlatformTheme } from '~/operations/across-cities/across-cities.server'
import type { Feed } from './feeds'
import type { PlatformPage } from '~/http/platform-page.server'
import { bilingual } from '~/operations/portal/themes.server'

/** A field of the platform taxonomy by its label in the reader's language. */
export function platformFieldLabels(page: PlatformPage, ids: readonly string[]): string[] {
  return ids.flatMap((id) => {
    const field = page.taxonomy.fields.find((known) => known.id === id)
    return field ? [field.label[page.locale] ?? field.label.ja] : []
  })
}

export function fieldOptions(page: PlatformPage) {
  return page.taxonomy.fields.map((field) => ({ id: field.id, label: field.label[page.locale] ?? field.label.ja }))
}

export function cityOptions(page: PlatformPage) {
  return page.cities.map((city) => ({ id: city.slug, label: page.cityName(city.slug) }))
}

/** The prefectures of the live cities, by the value the filter sends (the Japanese name) and a label in the reader's language. */
export function prefectureOptions(page: PlatformPage) {
  const seen = new Map<string, string>()
  for (const city of page.cities) {
    const prefecture = city.config.identity.prefecture
    if (prefecture?.ja && !seen.has(prefecture.ja)) seen.set(prefecture.ja, page.text(prefecture))
  }
  return [...seen].map(([id, label]) => ({ id, label }))
}

export type PlatformThemeView = {
  id: string
  slug: string
  city: string
  title: string
  summary: string
  deadline: string
  fields: string[]
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
  const method = page.cities.find((city) => city.slug === slug)?.config.collaborationMethods.find((m) => m.id === methodId)
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
export function themesFeed(page: PlatformPage, themes: PlatformTheme[], feedPath: string, query: string): Feed {
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
    updated: tokyoTimestamp(cases.reduce((latest, row) => (row.updatedAt > latest ? row.updatedAt : latest), new Date(0))),
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
  const columns = ['id', 'city', 'title', 'partner', 'method', 'fields', 'startedOn', 'endedOn', 'publishedAt', 'summary', 'url']
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
