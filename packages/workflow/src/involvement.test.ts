import { describe, expect, it } from 'vitest'
import { involvementSchema } from './definition'
import { parseRoleMatrix } from './fixtures/fixture'
import { tinyRoleMatrix } from './fixtures/tiny'
import { cellFor, involvementFor, involvementSymbol, isAtLeast, matrixMethods } from './involvement'

describe('involvement', () => {
  it('uses the symbols of the guidelines', () => {
    expect(involvementSymbol).toEqual({ lead: '◎', active: '○', as_needed: '△', none: '—' })
  })

  it('orders none < as_needed < active < lead', () => {
    const ordered = ['none', 'as_needed', 'active', 'lead'] as const
    for (const [i, lower] of ordered.entries()) {
      for (const [j, higher] of ordered.entries()) expect(isAtLeast(higher, lower)).toBe(j >= i)
    }
    expect(new Set(ordered)).toEqual(new Set(involvementSchema.options))
  })

  it('reads a listed cell', () => {
    expect(involvementFor(tinyRoleMatrix, 'solo', 'signing')).toEqual({
      desk: 'as_needed',
      department: 'lead',
    })
    expect(cellFor(tinyRoleMatrix, 'solo', 'signing')).toMatchObject({ desk: 'as_needed' })
  })

  it('involves nobody in a phase the table does not list for the method', () => {
    expect(cellFor(tinyRoleMatrix, 'tender', 'signing')).toBeUndefined()
    expect(involvementFor(tinyRoleMatrix, 'tender', 'signing')).toEqual({ desk: 'none', department: 'none' })
    expect(involvementFor(tinyRoleMatrix, 'barter', 'running')).toEqual({ desk: 'none', department: 'none' })
  })

  it('involves no party the matrix does not describe', () => {
    const deskOnly = parseRoleMatrix({ ...tinyRoleMatrix, parties: ['desk'] })
    expect(involvementFor(deskOnly, 'solo', 'signing')).toEqual({ desk: 'as_needed', department: 'none' })
  })

  it('lists the methods with rows, in first-mention order', () => {
    expect(matrixMethods(tinyRoleMatrix)).toEqual(['joint', 'solo', 'tender'])
  })
})
