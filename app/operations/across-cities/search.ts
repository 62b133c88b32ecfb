import type { Taxonomy } from '@desk/tenant-config'
import { z } from 'zod'
import { PageParamSchema } from '~/utils/paging'
import type { RegisteredTenant } from '~/utils/tenant-registry.server'
import { textsContainAllWords } from '../search-words'

/**
 * The one reading of a cross-city search (issue 22): /themes, /cases, their
 * feeds and files, and the searches a member saves to be told of new matches
 * all parse the query here. Unknown values are left out here (an old saved
 * search still finds something); the lists and their feeds refuse them first
 * (400, app/http/portal/platform-search.server.ts).
 */

/** What the filters may name: the taxonomy's fields and the live cities (with their prefectures, proposal types, methods). */
export type FilterVocabulary = { taxonomy: Taxonomy; cities: RegisteredTenant[] }

/** The two lists one can search and save a search of. */
export const SEARCH_KINDS = ['themes', 'cases'] as const
export type SearchKind = (typeof SEARCH_KINDS)[number]

/**
 * What a search is about, apart from its dates and paging — what a saved
 * search keeps: platform fields (any of), cities (any of), a prefecture, per
 * list a proposal type (themes) or a collaboration method (cases), and the
 * search box's words (all of them, as the list finds them).
 */
export type SearchScope = {
  fields: string[]
  cities: string[]
  prefecture: string | null
  /** Themes: the proposal type a theme is answered with (a type of its city that `answersPublishedTheme`). */
  proposalType: string | null
  /** Cases: the collaboration method. */
  method: string | null
  /** The search box's words as typed (trimmed); matched in their NFKC form, any case. */
  q: string
}

const many = z.array(z.string().max(100)).max(50)
export const CLOSING_WITHIN_DAYS = [7, 30] as const

/** The proposal types a theme of `city` is answered with: the city's types that answer published themes. */
export function themeProposalTypesOf(city: RegisteredTenant) {
  return city.config.proposalTypes.filter((type) => type.answersPublishedTheme)
}

function oneOf(value: string | null, known: Set<string>): string | null {
  return value !== null && known.has(value) ? value : null
}

/** The values each filter may take: the taxonomy's fields, the live cities, their prefectures, proposal types and methods. */
export function knownFilterValues(vocabulary: FilterVocabulary) {
  return {
    fields: new Set(vocabulary.taxonomy.fields.map((field) => field.id)),
    cities: new Set(vocabulary.cities.map((city) => city.slug)),
    prefectures: new Set(vocabulary.cities.flatMap((city) => city.config.identity.prefecture?.ja ?? [])),
    proposalTypes: new Set(
      vocabulary.cities.flatMap((city) => themeProposalTypesOf(city).map((type) => type.id)),
    ),
    methods: new Set(
      vocabulary.cities.flatMap((city) => city.config.collaborationMethods.map((method) => method.id)),
    ),
  }
}

/**
 * The scope of a search of `kind`, from its query (also a saved search's
 * stored query, read leniently: a city gone since still finds the rest). A
 * list's own query is checked first at the HTTP edge, which refuses what
 * this leaves out (app/http/portal/platform-search.server.ts).
 */
export function parseSearchScope(
  params: URLSearchParams,
  vocabulary: FilterVocabulary,
  kind: SearchKind,
): SearchScope {
  const known = knownFilterValues(vocabulary)
  const fieldIds = known.fields
  const slugs = known.cities
  const { prefectures, proposalTypes, methods } = known
  return {
    fields: [...new Set(many.catch([]).parse(params.getAll('field')))].filter((id) => fieldIds.has(id)),
    cities: [...new Set(many.catch([]).parse(params.getAll('city')))].filter((slug) => slugs.has(slug)),
    prefecture: oneOf(params.get('prefecture'), prefectures),
    proposalType: kind === 'themes' ? oneOf(params.get('type'), proposalTypes) : null,
    method: kind === 'cases' ? oneOf(params.get('method'), methods) : null,
    q: wordsOf(params),
  }
}

/** A scope as the query that finds it (the inverse of parseSearchScope). */
export function scopeQuery(scope: SearchScope): URLSearchParams {
  const params = new URLSearchParams()
  for (const field of scope.fields) params.append('field', field)
  for (const city of scope.cities) params.append('city', city)
  if (scope.prefecture) params.set('prefecture', scope.prefecture)
  if (scope.proposalType) params.set('type', scope.proposalType)
  if (scope.method) params.set('method', scope.method)
  if (scope.q) params.set('q', scope.q)
  return params
}

function wordsOf(params: URLSearchParams): string {
  return z
    .string()
    .max(200)
    .catch('')
    .parse(params.get('q') ?? '')
    .trim()
}

/** The query of /themes and its feeds. */
export function parseThemeSearch(params: URLSearchParams, vocabulary: FilterVocabulary) {
  const closing = Number(params.get('closing'))
  return {
    ...parseSearchScope(params, vocabulary, 'themes'),
    closingWithinDays: (CLOSING_WITHIN_DAYS as readonly number[]).includes(closing) ? closing : null,
    sort: params.get('sort') === 'newest' ? ('newest' as const) : ('closing' as const),
    page: PageParamSchema.parse(params.get('page')),
  }
}
export type ThemeSearch = ReturnType<typeof parseThemeSearch>

/** The query of /cases and its CSV/JSON. */
export function parseCaseSearch(params: URLSearchParams, vocabulary: FilterVocabulary) {
  const year = Number(params.get('year'))
  return {
    ...parseSearchScope(params, vocabulary, 'cases'),
    year: Number.isInteger(year) && year >= 1900 && year <= 9999 ? year : null,
    page: PageParamSchema.parse(params.get('page')),
  }
}
export type CaseSearch = ReturnType<typeof parseCaseSearch>

/**
 * The slugs of the cities a scope leaves (by city, prefecture and, for
 * themes, proposal type); null when it leaves every city.
 */
export function citiesOfScope(scope: SearchScope, vocabulary: FilterVocabulary): string[] | null {
  if (scope.cities.length === 0 && scope.prefecture === null && scope.proposalType === null) return null
  return vocabulary.cities
    .filter((city) => scope.cities.length === 0 || scope.cities.includes(city.slug))
    .filter((city) => scope.prefecture === null || city.config.identity.prefecture?.ja === scope.prefecture)
    .filter(
      (city) =>
        scope.proposalType === null ||
        themeProposalTypesOf(city).some((type) => type.id === scope.proposalType),
    )
    .map((city) => city.slug)
}

/**
 * Does one published item (an open theme or a published case of `citySlug`)
 * fall in the scope? Its words are looked for in `searchedTexts`: the texts
 * the list searches for that kind of item (a theme's titles and backgrounds,
 * a case's titles, summaries and partner).
 */
export function scopeMatches(
  scope: SearchScope,
  vocabulary: FilterVocabulary,
  item: {
    citySlug: string
    platformFields: string[]
    collaborationMethod?: string | null
    searchedTexts: readonly (string | null)[]
  },
): boolean {
  const slugs = citiesOfScope(scope, vocabulary)
  return (
    (scope.fields.length === 0 || scope.fields.some((field) => item.platformFields.includes(field))) &&
    (slugs === null || slugs.includes(item.citySlug)) &&
    (scope.method === null || scope.method === item.collaborationMethod) &&
    textsContainAllWords(scope.q, item.searchedTexts)
  )
}
