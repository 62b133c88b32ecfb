import { sql, type SQL } from 'drizzle-orm'

/** Runs one statement in the caller's transaction (the owner's, or a city's under row-level security). */
export type RunSql = (query: SQL) => Promise<Record<string, unknown>[]>

/**
 * What a city's archive is made of, read from the database's own catalogue so
 * that a table or a column a later migration adds moves with the city without
 * anyone listing it here: every table with a `tenant_id` is the city's, and the
 * platform rows it needs are the accounts and organisations its rows point at
 * by foreign key.
 */
export type ArchiveCatalogue = {
  /** Tenant tables, each after the tenant tables it references (the order rows can be inserted in). */
  tenantTables: string[]
  /** Per tenant table: its primary key columns (the rows' order in the archive). */
  primaryKeys: Map<string, string[]>
  /** Per tenant table: the columns that hold a `users.id`. */
  userColumns: Map<string, string[]>
  /** Per tenant table: the columns that hold an `organisations.id`. */
  organisationColumns: Map<string, string[]>
  /** Tenant tables whose rows name a stored file (`stored_name`). */
  fileTables: string[]
}

/**
 * Tenant tables that hold file contents (the PostgreSQL file store, migration
 * 0030): a city's files travel as the archive's `files/` entries, read from
 * and written to whichever store each platform uses, never as rows.
 */
export const FILE_CONTENT_TABLES = ['stored_file_chunks']

export async function readArchiveCatalogue(run: RunSql): Promise<ArchiveCatalogue> {
  const tables = (await run(sql`
    SELECT c.relname AS name
      FROM pg_class c
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
     ORDER BY 1`)) as { name: string }[]
  const names = tables.map((table) => table.name).filter((name) => !FILE_CONTENT_TABLES.includes(name))
  const keys = (await run(sql`
    SELECT c.conrelid::regclass::text AS "table", c.confrelid::regclass::text AS "references", c.contype AS kind,
           array_agg(a.attname::text ORDER BY k.ordinality) AS columns
      FROM pg_constraint c
      CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ordinality)
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
     WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('f', 'p')
     GROUP BY c.oid, c.conrelid, c.confrelid, c.contype`)) as {
    table: string
    references: string
    kind: 'f' | 'p'
    columns: string[]
  }[]
  const fileColumns = (await run(sql`
    SELECT table_name AS "table" FROM information_schema.columns
     WHERE table_schema = 'public' AND column_name = 'stored_name' ORDER BY 1`)) as { table: string }[]

  const tenantSet = new Set(names)
  const primaryKeys = new Map<string, string[]>()
  const userColumns = new Map<string, string[]>(names.map((name) => [name, []]))
  const organisationColumns = new Map<string, string[]>(names.map((name) => [name, []]))
  const dependsOn = new Map<string, Set<string>>(names.map((name) => [name, new Set()]))
  for (const key of keys) {
    if (!tenantSet.has(key.table)) continue
    if (key.kind === 'p') primaryKeys.set(key.table, key.columns)
    else if (key.references === 'users' && key.columns.length === 1) userColumns.get(key.table)!.push(key.columns[0]!)
    else if (key.references === 'organisations' && key.columns.length === 1)
      organisationColumns.get(key.table)!.push(key.columns[0]!)
    else if (tenantSet.has(key.references) && key.references !== key.table) dependsOn.get(key.table)!.add(key.references)
  }
  return {
    tenantTables: insertionOrder(names, dependsOn),
    primaryKeys,
    userColumns,
    organisationColumns,
    fileTables: fileColumns.map((row) => row.table).filter((table) => tenantSet.has(table)),
  }
}

/** Kahn's algorithm, alphabetical among the tables that are ready: the same order on every database. */
function insertionOrder(names: string[], dependsOn: Map<string, Set<string>>): string[] {
  const order: string[] = []
  const placed = new Set<string>()
  while (order.length < names.length) {
    const ready = names.find((name) => !placed.has(name) && [...dependsOn.get(name)!].every((dep) => placed.has(dep)))
    if (!ready) throw new Error(`the tenant tables reference each other in a cycle: ${names.filter((n) => !placed.has(n)).join(', ')}`)
    order.push(ready)
    placed.add(ready)
  }
  return order
}

/** The migrations a database has applied: the archive and the target must agree on them. */
export async function readMigrationVersion(run: RunSql): Promise<{ count: number; last: string }> {
  const [row] = (await run(sql`
    SELECT count(*)::int AS count,
           coalesce((SELECT hash FROM drizzle.__drizzle_migrations ORDER BY created_at DESC, id DESC LIMIT 1), '') AS last
      FROM drizzle.__drizzle_migrations`)) as { count: number; last: string }[]
  return { count: row!.count, last: row!.last }
}
