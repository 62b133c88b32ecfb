import { Readable } from 'node:stream'
import type { RuntimeDb } from '../runtime'
import { diskFileStore } from './disk.server'
import { postgresFileStore, runtimeChunkSessions, type ChunkSessions } from './postgres.server'
import type { FileStorageKind, FileStore } from './store'

export type { FileStore, StoredFileRef } from './store'

/**
 * The store FILE_STORAGE chooses: `disk` (default) under DATA_DIR, or
 * `postgres` in the database, through `sessions` (the runtime role's, by default).
 */
export function fileStoreFor(
  env: { FILE_STORAGE: FileStorageKind; DATA_DIR: string },
  sessions: RuntimeDb | ChunkSessions,
): FileStore {
  if (env.FILE_STORAGE === 'disk') return diskFileStore(env.DATA_DIR)
  return postgresFileStore('inCity' in sessions ? sessions : runtimeChunkSessions(sessions))
}

/**
 * A stored file as an HTTP answer, streamed from the store as the client
 * reads it; a file the store does not have is a 404 (its row outlived it, or
 * it was never there), never a 500 half-way through an answer.
 */
export async function storedFileResponse(
  files: FileStore,
  file: { tenantId: string; storedName: string; size: number },
  headers: Record<string, string>,
): Promise<Response> {
  const stream = await files.open({ tenantId: file.tenantId, storedName: file.storedName })
  if (!stream) throw new Response('Not Found', { status: 404 })
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: { 'Content-Length': String(file.size), ...headers },
  })
}
