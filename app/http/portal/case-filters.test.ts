import { describe, expect, it } from 'vitest'
import { caseYear, caseYears, filterCases, parseCaseFilters } from './case-filters'
import type { PublishedCase } from '../../operations/portal/cases.server'

function publishedCase(overrides: Partial<PublishedCase>): PublishedCase {
  return {
    id: 'id',
    title: { ja: '事例' },
    summary: { ja: '' },
    results: { ja: '' },
    partnerName: 'Partner',
    collaborationMethod: null,
    agreementKind: null,
    fields: [],
    startedOn: null,
    endedOn: null,
    publishedAt: '2025-06-01T00:00:00.000Z',
    updatedAt: '2025-06-01T00:00:00.000Z',
    ...overrides,
  }
}

describe('case filters', () => {
  const cases = [
    publishedCase({ id: 'a', startedOn: '2024-04-01', agreementKind: 'business', fields: ['dx'] }),
    publishedCase({ id: 'b', agreementKind: 'comprehensive', fields: ['dx', 'snow'] }),
    publishedCase({ id: 'c', startedOn: '2023-10-01' }),
  ]

  it('counts a case under the year its work started, else the year it was published', () => {
    expect(cases.map(caseYear)).toEqual([2024, 2025, 2023])
    expect(caseYears(cases)).toEqual([2025, 2024, 2023])
  })

  it('filters by year, agreement kind (or none) and field, together', () => {
    const ids = (filters: Parameters<typeof filterCases>[1]) => filterCases(cases, filters).map((c) => c.id)
    expect(ids({})).toEqual(['a', 'b', 'c'])
    expect(ids({ year: 2024 })).toEqual(['a'])
    expect(ids({ agreementKind: 'none' })).toEqual(['c'])
    expect(ids({ agreementKind: 'comprehensive' })).toEqual(['b'])
    expect(ids({ field: 'dx' })).toEqual(['a', 'b'])
    expect(ids({ field: 'dx', year: 2025 })).toEqual(['b'])
  })
})

describe('parseCaseFilters', () => {
  const known = { agreementKinds: ['business'], fields: ['dx'] }
  it('keeps known values and drops the rest', () => {
    expect(parseCaseFilters(new URLSearchParams('year=2025&agreement=business&field=dx'), known)).toEqual({
      year: 2025,
      agreementKind: 'business',
      field: 'dx',
    })
    expect(parseCaseFilters(new URLSearchParams('agreement=none'), known)).toEqual({ agreementKind: 'none' })
    expect(parseCaseFilters(new URLSearchParams('year=abc&agreement=x&field=<script>'), known)).toEqual({})
    expect(parseCaseFilters(new URLSearchParams(''), known)).toEqual({})
  })
})
