import { readdir, utimes } from 'node:fs/promises'
import path from 'node:path'
import type postgres from 'postgres'
import { uploadDirectory } from './disk.server'
import type { FileStorageKind } from './store'

/**
 * What a test sees of a store from outside it: the stored names (on disk, or
 * in `stored_file_chunks` read by the owner), and a way to make a file look old.
 */
export function storeInspector(kind: FileStorageKind, options: { dataDir: string; ownerSql: postgres.Sql }) {
  const directory = uploadDirectory(options.dataDir)
  return {
    async names(): Promise<string[]> {
      if (kind === 'disk') return (await readdir(directory).catch(() => [] as string[])).sort()
      const rows = await options.ownerSql<{ name: string }[]>`
        SELECT DISTINCT stored_name AS name FROM stored_file_chunks ORDER BY 1`
      return rows.map((row) => row.name)
    },
    async age(storedName: string, at: Date): Promise<void> {
      if (kind === 'disk') return utimes(path.join(directory, storedName), at, at)
      await options.ownerSql`UPDATE stored_file_chunks SET created_at = ${at} WHERE stored_name = ${storedName}`
    },
  }
}
