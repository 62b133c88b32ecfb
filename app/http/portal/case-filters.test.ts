import { describe, expect, it } from 'vitest'
import { caseFiltersOf, caseQuerySchema, caseYear, caseYears, filterCases } from './case-filters'
import { readQuery } from '../form-validation.server'
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

describe('the case list query', () => {
  const schema = caseQuerySchema({ agreementKinds: ['business'], fields: ['dx'] })
  const read = (query: string) => readQuery(new URLSearchParams(query), schema)
  it('takes known values', () => {
    expect(caseFiltersOf(read('year=2025&agreement=business&field=dx').value)).toEqual({
      year: 2025,
      agreementKind: 'business',
      field: 'dx',
    })
    expect(caseFiltersOf(read('agreement=none').value)).toEqual({ agreementKind: 'none' })
    expect(read('year=&agreement=&field=')).toEqual({ value: {}, fieldErrors: {}, values: undefined })
  })
  it('refuses the rest at their fields, with what was sent, and reads the query without them', () => {
    const refused = read('year=abc&agreement=x&field=<script>&page=0')
    expect(refused.fieldErrors).toEqual({
      year: 'auth:validation.choose',
      agreement: 'auth:validation.choose',
      field: 'auth:validation.choose',
      page: 'common:query.page',
    })
    expect(refused.values).toEqual({ year: 'abc', agreement: 'x', field: '<script>', page: '0' })
    expect(refused.value).toEqual({})
    expect(read('year=1850&field=dx').fieldErrors).toEqual({ year: 'auth:validation.choose' })
    expect(caseFiltersOf(read('year=1850&field=dx').value)).toEqual({ field: 'dx' })
  })
})
