import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type postgres from 'postgres'

/**
 * Bulk insert through COPY while keeping row-level security, constraints and
 * indexes: `COPY … FROM STDIN` is refused on a table with (forced) RLS for a
 * role that does not bypass it, so rows are COPYed into a session-local temp
 * table with the same columns and moved with one `INSERT … SELECT` as the
 * owner (its `owner_all` policy admits them; every FK, unique and check
 * constraint and every index is maintained as usual).
 */
export type Rows = { table: string; columns: readonly string[]; lines: string[] }

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

export function rows(table: string, columns: readonly string[]): Rows {
  return { table, columns, lines: [] }
}

/** Pushes one row, given as values already in COPY text format (see copyValue). */
export function push(target: Rows, values: string[]): void {
  target.lines.push(values.join('\t'))
}

function* chunks(lines: string[]): Generator<string> {
  const size = 2000
  for (let i = 0; i < lines.length; i += size) yield lines.slice(i, i + size).join('\n') + '\n'
}

/** Per-table time spent in COPY and in INSERT … SELECT (set SCALE_TIMINGS=1 to print them). */
export const timings: Record<string, { copy: number; insert: number; rows: number }> | null = process.env
  .SCALE_TIMINGS
  ? {}
  : null

/** COPYs `target` into its temp table and inserts it into the real table; returns the row count. */
export async function copyInsert(tx: postgres.TransactionSql, target: Rows): Promise<number> {
  if (target.lines.length === 0) return 0
  const staging = quote(`scale_staging_${target.table}`)
  const columns = target.columns.map(quote).join(', ')
  await tx.unsafe(
    `CREATE TEMP TABLE IF NOT EXISTS ${staging} ON COMMIT DELETE ROWS AS SELECT ${columns} FROM ${quote(target.table)} WITH NO DATA`,
  )
  const t0 = performance.now()
  const writable = await tx.unsafe(`COPY ${staging} (${columns}) FROM STDIN`).writable()
  await pipeline(Readable.from(chunks(target.lines)), writable)
  const t1 = performance.now()
  const result = await tx.unsafe(
    `INSERT INTO ${quote(target.table)} (${columns}) SELECT ${columns} FROM ${staging}`,
  )
  const t2 = performance.now()
  if (timings) {
    const entry = (timings[target.table] ??= { copy: 0, insert: 0, rows: 0 })
    entry.copy += t1 - t0
    entry.insert += t2 - t1
    entry.rows += result.count
  }
  // The staging rows go at commit (ON COMMIT DELETE ROWS); within one transaction a table is loaded once.
  await tx.unsafe(`TRUNCATE ${staging}`)
  return result.count
}
