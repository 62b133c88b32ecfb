import { z } from 'zod'
import type { CaseFilters, PublishedCase } from '../../operations/portal/cases.server'
import { PageQuerySchema } from '../../utils/paging'
import { fields } from '../form-schemas'

/** Filtering published cases by year, agreement kind and field: the list page's filters and the feeds'. */

/** The year a case counts under: when the work started, else when it was published. */
export function caseYear(publishedCase: PublishedCase): number {
  return Number((publishedCase.startedOn ?? publishedCase.publishedAt).slice(0, 4))
}

export function filterCases(cases: PublishedCase[], filters: CaseFilters): PublishedCase[] {
  return cases.filter(
    (publishedCase) =>
      (filters.year === undefined || caseYear(publishedCase) === filters.year) &&
      (filters.agreementKind === undefined ||
        (filters.agreementKind === 'none'
          ? publishedCase.agreementKind === null
          : publishedCase.agreementKind === filters.agreementKind)) &&
      (filters.field === undefined || publishedCase.fields.includes(filters.field)),
  )
}

/** The years that have cases, newest first: the options of the year filter. */
export function caseYears(cases: PublishedCase[]): number[] {
  return [...new Set(cases.map(caseYear))].sort((a, b) => b - a)
}

/**
 * The list's query (`?year=2025&agreement=business&field=dx&page=2`), read as
 * the filter form it is (`readQuery`): a year that is not one, an agreement
 * kind or field the city does not have, a page number that is not one is
 * refused at its field — the list, its feeds and its CSV answer 400 — never
 * dropped for the unfiltered list under the asked address.
 */
export function caseQuerySchema(known: { agreementKinds: string[]; fields: string[] }) {
  return z.object({
    year: z.number({ invalid_type_error: CHOOSE }).int(CHOOSE).min(1900, CHOOSE).max(9999, CHOOSE).optional(),
    agreement: fields.oneOf(['none', ...known.agreementKinds]).optional(),
    field: fields.oneOf(known.fields).optional(),
    page: PageQuerySchema,
  })
}

const CHOOSE = 'auth:validation.choose'

/** The filters of a read query. */
export function caseFiltersOf(query: z.output<ReturnType<typeof caseQuerySchema>>): CaseFilters {
  return {
    ...(query.year !== undefined && { year: query.year }),
    ...(query.agreement !== undefined && { agreementKind: query.agreement }),
    ...(query.field !== undefined && { field: query.field }),
  }
}
