import type { Involvement, RoleMatrix } from './definition'

/** The city-side parties a role matrix describes. */
export type Party = RoleMatrix['parties'][number]
export type MatrixCell = RoleMatrix['cells'][number]

export interface PartyInvolvement {
  desk: Involvement
  department: Involvement
}

/** The symbols of the guidelines' role tables, so the UI shows what staff already know. */
export const involvementSymbol: Readonly<Record<Involvement, '◎' | '○' | '△' | '—'>> = {
  lead: '◎',
  active: '○',
  as_needed: '△',
  none: '—',
}

/** none < as_needed < active < lead. */
const involvementRank: Readonly<Record<Involvement, number>> = {
  none: 0,
  as_needed: 1,
  active: 2,
  lead: 3,
}

export function isAtLeast(involvement: Involvement, minimum: Involvement): boolean {
  return involvementRank[involvement] >= involvementRank[minimum]
}

/** The matrix row for a method in a phase; undefined when the city's table has no such row. */
export function cellFor(roleMatrix: RoleMatrix, method: string, phase: string): MatrixCell | undefined {
  return roleMatrix.cells.find((cell) => cell.method === method && cell.phase === phase)
}

/**
 * How much the desk and the department are involved in a phase for a method.
 * A phase the table does not list for a method (e.g. no agreement is concluded
 * in a collaboration without agreement) involves nobody, and a party the matrix
 * does not describe is not involved either.
 */
export function involvementFor(roleMatrix: RoleMatrix, method: string, phase: string): PartyInvolvement {
  const cell = cellFor(roleMatrix, method, phase)
  const of = (party: Party): Involvement =>
    cell && roleMatrix.parties.includes(party) ? cell[party] : 'none'
  return { desk: of('desk'), department: of('department') }
}

/** The collaboration methods the matrix has rows for, in first-mention order. */
export function matrixMethods(roleMatrix: RoleMatrix): string[] {
  return [...new Set(roleMatrix.cells.map((cell) => cell.method))]
}
