import { sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant } from '../../../db/tenant-context'
import type { FileStore, SweepOutcome } from '../../../db/file-storage/store'

/**
 * How long a stored file may stay without a row naming it before the sweep
 * deletes it: far longer than any request takes between storing a file and
 * committing its row (a form with several cities' files included).
 */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000

/**
 * Deletes stored files no attachment or case image refers to, once they are
 * older than the grace period: what a crash between storing a file and
 * committing its row, or between removing a row and deleting its file, leaves
 * behind (requests delete their own leftovers at once). The store lists its
 * old files (on disk, or in `stored_file_chunks` through `stored_files_before`);
 * `stored_files_in_use` (migration 0023) answers, for the system actor, which
 * names a row still refers to, in any city, and nothing else. Returns what it did.
 */
export async function sweepOrphanFiles(
  db: RuntimeDb,
  options: { files: FileStore; graceMs?: number; now?: Date },
): Promise<SweepOutcome> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - (options.graceMs ?? ORPHAN_GRACE_MS))
  return options.files.sweep({
    cutoff,
    inUse: async (names) => {
      const rows = await withTenant(db, { tenantId: null, userId: null, actor: 'system' }, (tx) =>
        tx.execute<{ name: string }>(
          sql`SELECT stored_files_in_use AS name
                FROM stored_files_in_use(ARRAY[${sql.join(
                  names.map((name) => sql`${name}`),
                  sql`, `,
                )}]::text[])`,
        ),
      )
      return new Set([...rows].map((row) => row.name))
    },
  })
}
