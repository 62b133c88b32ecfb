import { z } from 'zod'
import {
  CLOSING_WITHIN_DAYS,
  knownFilterValues,
  parseCaseSearch,
  parseThemeSearch,
  type FilterVocabulary,
  type SearchKind,
} from '~/operations/across-cities/search'
import { PageQuerySchema } from '~/utils/paging'
import type { PlatformPage } from '~/http/platform-page.server'
import { readQuery, refusedQueryResponse, withoutRefused, type QueryReading } from '../form-validation.server'

/**
 * The query of /themes, /cases and their feeds and files, read as the filter
 * form it is (issue 19): a field, city, prefecture, proposal type or method
 * no live city has, a deadline, order or year the form does not offer, words
 * past the box's length or a page number that is not one is refused at its
 * input — the list answers 400 with the message at its field and the results
 * without it, a feed or file 400 with the reason — never left out silently
 * under the asked address. What is taken is then parsed as before
 * (parseThemeSearch / parseCaseSearch), so the lists search as they did.
 */

const CHOOSE = 'auth:validation.choose'

const oneOfKnown = (known: Set<string>) => z.string().refine((value) => known.has(value), CHOOSE)

function searchQuerySchema(vocabulary: FilterVocabulary, kind: SearchKind) {
  const known = knownFilterValues(vocabulary)
  const scope = {
    q: z.string().max(200, 'auth:validation.tooLong').optional(),
    field: z.array(oneOfKnown(known.fields)).max(50, 'auth:validation.tooLong').optional(),
    city: z.array(oneOfKnown(known.cities)).max(50, 'auth:validation.tooLong').optional(),
    prefecture: oneOfKnown(known.prefectures).optional(),
    page: PageQuerySchema,
  }
  return kind === 'themes'
    ? z.object({
        ...scope,
        type: oneOfKnown(known.proposalTypes).optional(),
        closing: z.enum(CLOSING_WITHIN_DAYS.map(String) as [string, ...string[]]).optional(),
        sort: z.enum(['closing', 'newest']).optional(),
      })
    : z.object({
        ...scope,
        method: oneOfKnown(known.methods).optional(),
        year: z
          .number({ invalid_type_error: CHOOSE })
          .int(CHOOSE)
          .min(1900, CHOOSE)
          .max(9999, CHOOSE)
          .optional(),
      })
}

/** The refused inputs, what was sent, and the search of the rest of the query. */
function readSearch<T>(
  params: URLSearchParams,
  vocabulary: FilterVocabulary,
  kind: SearchKind,
  parse: (params: URLSearchParams, vocabulary: FilterVocabulary) => T,
): QueryReading<T> {
  const { fieldErrors, values } = readQuery(params, searchQuerySchema(vocabulary, kind))
  return { value: parse(withoutRefused(params, fieldErrors), vocabulary), fieldErrors, values }
}

export const readThemeSearch = (params: URLSearchParams, vocabulary: FilterVocabulary) =>
  readSearch(params, vocabulary, 'themes', parseThemeSearch)

export const readCaseSearch = (params: URLSearchParams, vocabulary: FilterVocabulary) =>
  readSearch(params, vocabulary, 'cases', parseCaseSearch)

/** A feed's or file's search of the request's query; a refused input is a 400 with its label and reason. */
export function fileSearch<T>(
  request: Request,
  page: PlatformPage,
  kind: SearchKind,
  read: (params: URLSearchParams, vocabulary: FilterVocabulary) => QueryReading<T>,
): T {
  const { value, fieldErrors } = read(new URL(request.url).searchParams, page)
  if (Object.keys(fieldErrors).length > 0)
    throw refusedQueryResponse(fieldErrors, page.t, searchLabels(page, kind))
  return value
}

/** Each input's label in the reader's language, as the filter form names it. */
function searchLabels(page: PlatformPage, kind: SearchKind): Record<string, string> {
  const t = page.t
  return {
    q: t('common:platform.search'),
    field: t('common:platform.field'),
    city: t('common:platform.city'),
    prefecture: t('common:platform.prefecture'),
    page: t('common:pager.label'),
    ...(kind === 'themes'
      ? {
          type: t('common:platform.proposalType'),
          closing: t('common:platform.themes.closing'),
          sort: t('common:platform.sort'),
        }
      : { method: t('common:platform.cases.method'), year: t('common:platform.cases.year') }),
  }
}
