import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../testing'
import { sweepOrphanFiles } from '~/operations/attachments/sweep-orphan-files.server'
import { diskFileStore } from './disk.server'
import { storedFileResponse } from './index.server'
import { CHUNK_BYTES, postgresFileStore, runtimeChunkSessions, type ChunkSessions } from './postgres.server'
import { FILE_STORAGE_KINDS, type FileStore } from './store'
import { storeInspector } from './testing'

/**
 * The contract every file store keeps (ADR 011), run against each one: a
 * written file streams back as written, a missing or removed one is a 404 and
 * not a 500, a write never replaces a file nor leaves half of one, another
 * city's file cannot be had, and the sweep removes only old files no row names.
 */

let db: TestDatabase
let dataDir: string
const [cityA, cityB] = [randomUUID(), randomUUID()]
/** Transactions the PostgreSQL store opened for its city reads and writes, counted. */
let cityTransactions = 0

beforeAll(async () => {
  db = await createTestDatabase()
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'desk-file-store-'))
  for (const [id, slug] of [
    [cityA, 'store-city-a'],
    [cityB, 'store-city-b'],
  ] as const)
    await db.ownerSql`INSERT INTO tenants (id, slug, config_version, name_ja, name_en) VALUES (${id}, ${slug}, '1', ${slug}, ${slug})`
}, 60_000)
afterAll(async () => {
  await db?.drop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

function storeOf(kind: (typeof FILE_STORAGE_KINDS)[number]): FileStore {
  if (kind === 'disk') return diskFileStore(dataDir)
  const sessions = runtimeChunkSessions(db.runtimeDb)
  const counted: ChunkSessions = {
    inCity: (tenantId, fn) => {
      cityTransactions++
      return sessions.inCity(tenantId, fn)
    },
    acrossCities: (fn) => sessions.acrossCities(fn),
  }
  return postgresFileStore(counted)
}

/** Delivers `bytes` in uneven pieces, as a request body does. */
async function* pieces(bytes: Buffer, size = 70_001): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

const readAll = async (stream: Readable | undefined) =>
  stream ? Buffer.concat((await stream.toArray()) as Buffer[]) : undefined

describe.each(FILE_STORAGE_KINDS)('the %s file store', (kind) => {
  let store: FileStore
  let storage: ReturnType<typeof storeInspector>
  beforeAll(() => {
    store = storeOf(kind)
    storage = storeInspector(kind, { dataDir, ownerSql: db.ownerSql })
  })

  it('streams back a file of several chunks exactly as written, chunk by chunk', async () => {
    const bytes = randomBytes(2 * CHUNK_BYTES + 12_345)
    const file = { tenantId: cityA, storedName: randomUUID() }
    await store.write(file, pieces(bytes))
    const before = cityTransactions
    const stream = await store.open(file)
    expect(stream).toBeDefined()
    if (kind === 'postgres') {
      // Opening reads chunk 0 only; the rest is read as the reader takes it, one transaction a chunk.
      expect(cityTransactions - before).toBe(1)
    }
    const received: Buffer[] = []
    for await (const chunk of stream!) received.push(chunk as Buffer)
    expect(Buffer.concat(received).equals(bytes)).toBe(true)
    if (kind === 'postgres') {
      expect(received.length).toBeGreaterThanOrEqual(3)
      expect(Math.max(...received.map((chunk) => chunk.length))).toBeLessThanOrEqual(CHUNK_BYTES)
      expect(cityTransactions - before).toBe(4) // chunks 0, 1, 2 and the look for a chunk 3
    }
  })

  it('keeps an empty file', async () => {
    const file = { tenantId: cityA, storedName: randomUUID() }
    await store.write(file, [])
    expect(await readAll(await store.open(file))).toEqual(Buffer.alloc(0))
  })

  it('answers a missing file with undefined, and the HTTP answer with 404, not a 500', async () => {
    const missing = { tenantId: cityA, storedName: randomUUID() }
    expect(await store.open(missing)).toBeUndefined()
    const thrown = await storedFileResponse(store, { ...missing, size: 10 }, {}).catch((error: unknown) => error)
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).status).toBe(404)
  })

  it('serves a stored file as a streamed answer with its length', async () => {
    const bytes = randomBytes(CHUNK_BYTES + 1)
    const file = { tenantId: cityA, storedName: randomUUID() }
    await store.write(file, pieces(bytes))
    const response = await storedFileResponse(store, { ...file, size: bytes.length }, { 'Content-Type': 'application/pdf' })
    expect(response.headers.get('Content-Length')).toBe(String(bytes.length))
    expect(response.headers.get('Content-Type')).toBe('application/pdf')
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true)
  })

  it('never replaces a file, and a write that fails part-way leaves nothing', async () => {
    const file = { tenantId: cityA, storedName: randomUUID() }
    await store.write(file, [Buffer.from('first')])
    await expect(store.write(file, [Buffer.from('second')])).rejects.toThrow()
    expect((await readAll(await store.open(file)))!.toString()).toBe('first')

    const cut = { tenantId: cityA, storedName: randomUUID() }
    async function* cutOff(): AsyncGenerator<Uint8Array> {
      yield randomBytes(CHUNK_BYTES)
      yield randomBytes(CHUNK_BYTES)
      throw new Error('the body was cut off')
    }
    await expect(store.write(cut, cutOff())).rejects.toThrow('the body was cut off')
    expect(await store.open(cut)).toBeUndefined()
    expect(await storage.names()).not.toContain(cut.storedName)
  })

  it('removes files (one already gone is no error)', async () => {
    const file = { tenantId: cityA, storedName: randomUUID() }
    await store.write(file, pieces(randomBytes(CHUNK_BYTES + 5)))
    await store.remove(cityA, [file.storedName, randomUUID()])
    expect(await store.open(file)).toBeUndefined()
    expect(await storage.names()).not.toContain(file.storedName)
  })

  it('the sweep deletes old files no row names, and keeps fresh ones and named ones', async () => {
    const [orphan, fresh, named] = [randomUUID(), randomUUID(), randomUUID()].map((storedName) => ({
      tenantId: cityB,
      storedName,
    }))
    for (const file of [orphan!, fresh!, named!]) await store.write(file, [Buffer.from('%PDF-1.7')])
    const longAgo = new Date(Date.now() - 2 * 60 * 60 * 1000)
    await storage.age(orphan!.storedName, longAgo)
    await storage.age(named!.storedName, longAgo)
    const asked: string[] = []
    const result = await store.sweep({
      cutoff: new Date(Date.now() - 60 * 60 * 1000),
      inUse: async (names) => {
        asked.push(...names)
        return new Set(names.filter((name) => name === named!.storedName))
      },
    })
    expect(asked).toContain(orphan!.storedName)
    expect(asked).not.toContain(fresh!.storedName)
    expect(result.deleted).toBeGreaterThanOrEqual(1)
    expect(await store.open(orphan!)).toBeUndefined()
    expect(await store.open(fresh!)).toBeDefined()
    expect(await store.open(named!)).toBeDefined()
    // Through the job's operation: no row names `named` in this database, so once old it goes too.
    await sweepOrphanFiles(db.runtimeDb, { files: store, now: new Date(Date.now() + 3 * 60 * 60 * 1000) })
    expect(await storage.names()).toEqual([])
  })
})

// Only the PostgreSQL store keeps cities apart by itself (the disk store has one folder: ADR 011).
describe('the postgres file store, between cities', () => {
  it('keeps a city’s file from another city, and from every actor but the store', async () => {
    const store = storeOf('postgres')
    const file = { tenantId: cityA, storedName: randomUUID() }
    await store.write(file, [Buffer.from('city A only')])
    expect(await store.open({ tenantId: cityB, storedName: file.storedName })).toBeUndefined()
    await store.remove(cityB, [file.storedName])
    expect((await readAll(await store.open(file)))!.toString()).toBe('city A only')
    // A request's own context — staff, proposer, the public — reads no chunk, even of its own city.
    for (const actor of ['staff', 'proposer', 'public'] as const) {
      const rows = await db.runtimeSql.begin(async (tx) => {
        await tx`SELECT app_set_context(${cityA}::uuid, NULL, ${actor})`
        return tx`SELECT 1 FROM stored_file_chunks WHERE stored_name = ${file.storedName}`
      })
      expect([actor, rows.length]).toEqual([actor, 0])
    }
  })
})
