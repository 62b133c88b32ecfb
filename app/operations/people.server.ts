import { sql } from 'drizzle-orm'
import type { TenantTx } from '../../db/tenant-context'

/**
 * Other people and organisations, read through the database's readers
 * (migration 0034, decision 008): the `users` and `organisations` policies
 * show a caller only themself and their own organisations, and
 * `app_people` / `app_organisations` return, of the ids asked for, those the
 * caller may see — members of their organisations, authors of messages they
 * read, a city's staff and the submitters and organisations of the proposals
 * a staff member sees. A separate statement, never a join: on a Citus
 * coordinator the reader runs its own (single-shard) queries, which a
 * function inside a shard query may not.
 *
 * Call them before the transaction's own writes to the city's tables: Citus
 * refuses a definer's read of a shard the request has already written.
 */
export type Person = {
  id: string
  email: string
  displayName: string
  locale: 'ja' | 'en'
  disabledAt: Date | null
}

/** A `uuid[]` literal of ids the database gave us (the cast checks each). */
function uuidArray(ids: Iterable<string | null | undefined>): string {
  return `{${[...new Set([...ids].filter((id): id is string => !!id))].join(',')}}`
}

/** The people among `ids` the caller may see, by id (the others are absent). */
export async function readPeople(
  tx: TenantTx,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, Person>> {
  const list = uuidArray(ids)
  if (list === '{}') return new Map()
  const rows = await tx.execute<{
    id: string
    email: string
    display_name: string
    locale: 'ja' | 'en'
    disabled_at: string | null
  }>(sql`SELECT id, email, display_name, locale, disabled_at FROM app_people(${list}::uuid[])`)
  return new Map(
    [...rows].map((row) => [
      row.id,
      {
        id: row.id,
        email: row.email,
        displayName: row.display_name,
        locale: row.locale,
        disabledAt: row.disabled_at ? new Date(row.disabled_at) : null,
      },
    ]),
  )
}

/** The names of the organisations among `ids` the caller may see, by id. */
export async function readOrganisationNames(
  tx: TenantTx,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, string>> {
  const list = uuidArray(ids)
  if (list === '{}') return new Map()
  const rows = await tx.execute<{ id: string; name: string }>(
    sql`SELECT id, name FROM app_organisations(${list}::uuid[])`,
  )
  return new Map([...rows].map((row) => [row.id, row.name]))
}

/** The ids of the organisations the caller may see whose name (NFKC) matches each ILIKE pattern. */
export async function findOrganisationsNamed(
  tx: TenantTx,
  patterns: readonly string[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>()
  for (const pattern of new Set(patterns)) {
    const rows = await tx.execute<{ id: string }>(sql`SELECT id FROM app_organisations_named(${pattern})`)
    found.set(
      pattern,
      [...rows].map((row) => row.id),
    )
  }
  return found
}
