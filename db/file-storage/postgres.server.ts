import { Readable } from 'node:stream'
import { sql, type SQL } from 'drizzle-orm'
import type { RuntimeDb } from '../runtime'
import { withTenant } from '../tenant-context'
import { SWEEP_BATCH, type FileContent, type FileStore } from './store'

/** Bytes per row of `stored_file_chunks`: what one read or write moves, and what a download holds at once. */
export const CHUNK_BYTES = 256 * 1024

/** Runs one statement in the session's transaction. */
export type RunSql = (query: SQL) => Promise<Record<string, unknown>[]>

/**
 * The transactions the PostgreSQL store works in. In the app: the runtime
 * role as the system actor, one short transaction per call (`runtimeChunkSessions`).
 * For moving a city: the owner's own transaction (db/tenant-archive/files.ts).
 */
export type ChunkSessions = {
  /** A transaction in which the city's chunks are visible and writable (tenant set, system actor). */
  inCity<T>(tenantId: string, fn: (run: RunSql) => Promise<T>): Promise<T>
  /** A transaction of the system actor without a city: only `stored_files_before` answers it. */
  acrossCities<T>(fn: (run: RunSql) => Promise<T>): Promise<T>
}

/**
 * Each call is its own tenant transaction (`withTenant`, the runtime role, the
 * system actor of the city): row-level security on `stored_file_chunks` lets
 * only that actor of that city read or write the city's chunks (migration 0030).
 */
export function runtimeChunkSessions(db: RuntimeDb): ChunkSessions {
  const runIn =
    (tx: Parameters<Parameters<typeof withTenant>[2]>[0]): RunSql =>
    async (query) =>
      [...(await tx.execute<Record<string, unknown>>(query))]
  return {
    inCity: (tenantId, fn) => withTenant(db, { tenantId, userId: null, actor: 'system' }, (tx) => fn(runIn(tx))),
    acrossCities: (fn) => withTenant(db, { tenantId: null, userId: null, actor: 'system' }, (tx) => fn(runIn(tx))),
  }
}

/** Cuts a stream of any-sized pieces into `size`-byte chunks (the last one shorter), holding at most one chunk. */
async function* rechunk(content: FileContent, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = []
  let bytes = 0
  for await (const piece of content) {
    let rest = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
    while (bytes + rest.byteLength >= size) {
      const take = size - bytes
      pending.push(rest.subarray(0, take))
      yield Buffer.concat(pending)
      pending = []
      bytes = 0
      rest = rest.subarray(take)
    }
    if (rest.byteLength > 0) {
      // Copied: the source may reuse its buffer for the next piece.
      pending.push(Buffer.from(rest))
      bytes += rest.byteLength
    }
  }
  yield Buffer.concat(pending)
}

/**
 * Files as rows of `stored_file_chunks` (FILE_STORAGE=postgres): chunk `seq`
 * of a file holds bytes `seq × CHUNK_BYTES` onwards; chunk 0 always exists. Every
 * app server on the database reads the same files, and a city's files live in
 * its rows (distributed with them on Citus, carried by db/tenant-archive).
 *
 * Reads and writes are chunk by chunk, each chunk in its own short transaction
 * of the file's city (see `ChunkSessions`): a download never holds a pooled
 * connection while the client reads, nor a file in memory (ADR 011).
 */
export function postgresFileStore(sessions: ChunkSessions, chunkBytes = CHUNK_BYTES): FileStore {
  const remove = async (tenantId: string, storedNames: readonly string[]) => {
    if (storedNames.length === 0) return
    await sessions.inCity(tenantId, (run) =>
      run(sql`DELETE FROM stored_file_chunks
               WHERE tenant_id = ${tenantId}
                 AND stored_name = ANY(ARRAY[${sql.join(
                   storedNames.map((name) => sql`${name}`),
                   sql`, `,
                 )}]::text[])`),
    )
  }
  const chunk = (tenantId: string, storedName: string, seq: number) =>
    sessions.inCity(tenantId, (run) =>
      run(sql`SELECT data FROM stored_file_chunks
               WHERE tenant_id = ${tenantId} AND stored_name = ${storedName} AND seq = ${seq}`),
    ).then(([row]) => row?.data as Buffer | undefined)

  return {
    kind: 'postgres',
    async write({ tenantId, storedName }, content) {
      let seq = 0
      try {
        for await (const data of rechunk(content, chunkBytes)) {
          // The primary key refuses a second chunk 0 of a name: an existing file is never replaced.
          await sessions.inCity(tenantId, (run) =>
            run(sql`INSERT INTO stored_file_chunks (tenant_id, stored_name, seq, data)
                    VALUES (${tenantId}, ${storedName}, ${seq}, ${data})`),
          )
          seq++
        }
      } catch (error) {
        if (seq > 0) await remove(tenantId, [storedName]).catch(() => {})
        throw error
      }
    },
    async open({ tenantId, storedName }) {
      const first = await chunk(tenantId, storedName, 0)
      if (!first) return undefined
      async function* rest(): AsyncGenerator<Buffer> {
        yield first!
        for (let seq = 1; ; seq++) {
          const data = await chunk(tenantId, storedName, seq)
          if (!data) return
          yield data
        }
      }
      // Byte mode with a one-chunk high-water mark: the next chunk is read only when the client took this one.
      return Readable.from(rest(), { objectMode: false, highWaterMark: chunkBytes })
    },
    remove,
    async sweep({ cutoff, inUse }) {
      const old = (await sessions.acrossCities((run) =>
        run(sql`SELECT city, stored_name FROM stored_files_before(${cutoff.toISOString()}::timestamptz)`),
      )) as { city: string; stored_name: string }[]
      let deleted = 0
      for (let start = 0; start < old.length; start += SWEEP_BATCH) {
        const batch = old.slice(start, start + SWEEP_BATCH)
        const used = await inUse(batch.map((file) => file.stored_name))
        const byCity = new Map<string, string[]>()
        for (const file of batch) {
          if (used.has(file.stored_name)) continue
          byCity.set(file.city, [...(byCity.get(file.city) ?? []), file.stored_name])
        }
        for (const [city, names] of byCity) {
          await remove(city, names)
          deleted += names.length
        }
      }
      return { checked: old.length, deleted }
    },
  }
}
