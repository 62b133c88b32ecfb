import type { Readable } from 'node:stream'
import type postgres from 'postgres'
import type { ChunkSessions } from '../file-storage/postgres.server'
import type { FileStore, StoredFileRef } from '../file-storage/store'
import { runOn } from './import'

/** Opens a stored file of the city being archived (the storage the rows' files live in). */
export type FileReader = (file: StoredFileRef) => Promise<Readable>

/** Stores one file of the city being loaded in the target's storage; `remove` undoes it. */
export type FileWriter = {
  write: (file: StoredFileRef, content: Readable) => Promise<void>
  remove: (file: StoredFileRef) => Promise<void>
}

/**
 * A move's files, read from and written to the platform's file store
 * (FILE_STORAGE: disk or PostgreSQL; either store's files go into the archive
 * and come out into either store). A file the rows name but the store lacks
 * stops the export (never an archive missing a file); an import never writes
 * over an existing file.
 */
export function archiveFiles(store: FileStore): { read: FileReader } & FileWriter {
  return {
    read: async (file) => {
      const stream = await store.open(file)
      if (!stream) throw new Error('not in the file store')
      return stream
    },
    write: (file, content) => store.write(file, content),
    remove: (file) => store.remove(file.tenantId, [file.storedName]),
  }
}

/**
 * The PostgreSQL store's chunks read and written inside one owner transaction
 * (a move: the export's repeatable-read snapshot, the import's single
 * transaction, so a failed import rolls its files back with its rows). The
 * owner reads every city's rows by its `owner_all` policies; no setting is needed.
 * A move never sweeps: that is the job's, as the runtime role.
 */
export function chunkSessionsIn(tx: postgres.TransactionSql): ChunkSessions {
  const run = runOn(tx)
  return {
    inCity: (_tenantId, fn) => fn(run),
    acrossCities: () => Promise.reject(new Error('a move does not sweep the file store')),
  }
}
