import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant } from '../../../db/tenant-context'
import { uploadDirectory } from './receive-uploads.server'

/**
 * How long a stored file may stay without a row naming it before the sweep
 * deletes it: far longer than any request takes between storing a file and
 * committing its row (a form with several cities' files included).
 */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000

/** Names asked about per statement (one array parameter). */
const BATCH = 500

/**
 * Deletes stored files no attachment or case image refers to, once they are
 * older than the grace period: what a crash between storing a file and
 * committing its row, or between removing a row and deleting its file, leaves
 * behind (requests delete their own leftovers at once). Runs as the system
 * actor; `stored_files_in_use` (migration 0023) answers which names a row
 * still refers to, in any city, and nothing else. Returns what it did.
 */
export async function sweepOrphanFiles(
  db: RuntimeDb,
  options: { dataDir: string; graceMs?: number; now?: Date },
): Promise<{ checked: number; deleted: number }> {
  const directory = uploadDirectory(options.dataDir)
  const cutoff = (options.now ?? new Date()).getTime() - (options.graceMs ?? ORPHAN_GRACE_MS)
  let names: string[]
  try {
    names = await readdir(directory)
  } catch {
    return { checked: 0, deleted: 0 }
  }
  const old: string[] = []
  for (const name of names) {
    const stats = await stat(path.join(directory, name)).catch(() => undefined)
    if (stats?.isFile() && stats.mtimeMs <= cutoff) old.push(name)
  }
  let deleted = 0
  for (let start = 0; start < old.length; start += BATCH) {
    const batch = old.slice(start, start + BATCH)
    const inUse = await withTenant(db, { tenantId: null, userId: null, actor: 'system' }, (tx) =>
      tx.execute<{ name: string }>(
        sql`SELECT stored_files_in_use AS name
              FROM stored_files_in_use(ARRAY[${sql.join(
                batch.map((name) => sql`${name}`),
                sql`, `,
              )}]::text[])`,
      ),
    )
    const used = new Set([...inUse].map((row) => row.name))
    const orphans = batch.filter((name) => !used.has(name))
    await Promise.all(orphans.map((name) => rm(path.join(directory, name), { force: true })))
    deleted += orphans.length
  }
  return { checked: old.length, deleted }
}
