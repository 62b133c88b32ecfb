import type { CaseFilters, PublishedCase } from '../../operations/portal/cases.server'

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
        (filters.agreementKind === 'none' ? publishedCase.agreementKind === null : publishedCase.agreementKind === filters.agreementKind)) &&
      (filters.field === undefined || publishedCase.fields.includes(filters.field)),
  )
}

/** The years that have cases, newest first: the options of the year filter. */
export function caseYears(cases: PublishedCase[]): number[] {
  return [...new Set(cases.map(caseYear))].sort((a, b) => b - a)
}

/**
 * The filters in a URL (`?year=2025&agreement=business&field=dx`). Values the
 * city does not have are dropped rather than failing, so an old link still
 * shows the unfiltered list.
 */
export function parseCaseFilters(
  params: URLSearchParams,
  known: { agreementKinds: string[]; fields: string[] },
): CaseFilters {
  const year = Number(params.get('year'))
  const agreement = params.get('agreement') ?? ''
  const field = params.get('field') ?? ''
  return {
    ...(Number.isInteger(year) && year >= 1900 && year <= 9999 && { year }),
    ...((agreement === 'none' || known.agreementKinds.includes(agreement)) && { agreementKind: agreement }),
    ...(known.fields.includes(field) && { field }),
  }
}
