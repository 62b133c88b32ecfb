import type { Readable } from 'node:stream'

/**
 * Where the platform keeps uploaded files (docs/decisions/011-stored-files-and-the-orphan-sweep.md).
 * A stored file is named by a server-made `storedName` (a UUID) within its
 * city; the rows that name it (attachments, case images) decide who may have
 * it, under their own row-level security, before a store is asked for it.
 * Files are written once and never changed, only removed.
 */
export type StoredFileRef = { tenantId: string; storedName: string }

/** A file's bytes in order, as any number of pieces (a stream, or an array for a small one). */
export type FileContent = AsyncIterable<Uint8Array> | Iterable<Uint8Array>

export type SweepOutcome = { checked: number; deleted: number }

export interface FileStore {
  readonly kind: FileStorageKind
  /**
   * Stores `content` under a name not used before (an existing file is never
   * replaced: that write fails). Consumed chunk by chunk, never held whole; a
   * write that fails part-way leaves nothing behind.
   */
  write(file: StoredFileRef, content: FileContent): Promise<void>
  /** The file's bytes as a stream read as it is consumed, or undefined when the store has no such file. */
  open(file: StoredFileRef): Promise<Readable | undefined>
  /** Deletes files of one city (a file already gone is no error). */
  remove(tenantId: string, storedNames: readonly string[]): Promise<void>
  /**
   * The orphan sweep's pass over the store: every file stored before `cutoff`,
   * in every city, is checked with `inUse` (at most `SWEEP_BATCH` names a call)
   * and deleted unless it answers that a row still names it.
   */
  sweep(options: { cutoff: Date; inUse: (storedNames: string[]) => Promise<Set<string>> }): Promise<SweepOutcome>
}

export const FILE_STORAGE_KINDS = ['disk', 'postgres'] as const
export type FileStorageKind = (typeof FILE_STORAGE_KINDS)[number]

/** Names the sweep asks about at once (one array parameter). */
export const SWEEP_BATCH = 500

