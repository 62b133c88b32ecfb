import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import tar from 'tar-stream'
import { z } from 'zod'

/**
 * A city's portable archive (docs/decisions/010-moving-a-city.md): a gzipped
 * tar of JSON lines per table and the stored files, with `manifest.json`
 * first. The manifest names the format, what the archive is for, the city,
 * the migration the rows were read at, every table with its row count, every
 * file, and the SHA-256 of every other entry.
 */
export const ARCHIVE_FORMAT = 'desk-city-archive/1'

/** Entries an archive may hold; anything else is refused before it touches the disk. */
const ENTRY_NAME = /^(manifest\.json|tables\/[a-z_][a-z0-9_]*\.jsonl|platform\/[a-z_][a-z0-9_]*\.jsonl|files\/[A-Za-z0-9][A-Za-z0-9._-]*)$/

export const PLATFORM_PARTS = ['tenants', 'users', 'organisations', 'organisation_members'] as const

export const ManifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  createdAt: z.string(),
  /**
   * `move`: every row of the city and its accounts' credentials, for
   * `pnpm tenants:import`. `city`: what the city's desk may read, without
   * credentials: the copy a city downloads of its own data.
   */
  purpose: z.enum(['move', 'city']),
  tenant: z.object({ id: z.string().uuid(), slug: z.string(), referencePrefix: z.string().nullable() }),
  migrations: z.object({ count: z.number().int(), last: z.string() }),
  tables: z.array(z.object({ name: z.string(), rows: z.number().int().nonnegative() })),
  platform: z.array(z.object({ name: z.enum(PLATFORM_PARTS), rows: z.number().int().nonnegative() })),
  files: z.array(z.object({ storedName: z.string(), table: z.string(), bytes: z.number().int().nonnegative() })),
  /** SHA-256 (hex) of every entry but the manifest, by entry name. */
  checksums: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
})
export type Manifest = z.infer<typeof ManifestSchema>

export const tableEntry = (table: string) => `tables/${table}.jsonl`
export const platformEntry = (part: string) => `platform/${part}.jsonl`
export const fileEntry = (storedName: string) => `files/${storedName}`

/** The refusal of an archive or of a target: a message for the operator; nothing was changed. */
export class ArchiveError extends Error {}

/** Passes bytes through while hashing and counting them. */
export function hashing(): Transform & { digest: () => { sha256: string; bytes: number } } {
  const hash = createHash('sha256')
  let bytes = 0
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      bytes += chunk.byteLength
      callback(null, chunk)
    },
  })
  let result: { sha256: string; bytes: number } | undefined
  return Object.assign(transform, { digest: () => (result ??= { sha256: hash.digest('hex'), bytes }) })
}

/** Packs `manifest` and the entries already written under `directory` into one .tar.gz at `out`. */
export async function packArchive(directory: string, manifest: Manifest, out: NodeJS.WritableStream | string): Promise<void> {
  const pack = tar.pack()
  const writing = pipeline(pack, createGzip(), typeof out === 'string' ? createWriteStream(out) : out)
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n')
  await entry(pack, 'manifest.json', manifestBytes.byteLength, (sink) => {
    sink.end(manifestBytes)
  })
  for (const name of Object.keys(manifest.checksums)) {
    const file = path.join(directory, name)
    const { size } = await stat(file)
    await entry(pack, name, size, (sink) => createReadStream(file).pipe(sink))
  }
  pack.finalize()
  await writing
}

function entry(pack: tar.Pack, name: string, size: number, write: (sink: NodeJS.WritableStream) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const sink = pack.entry({ name, size, mode: 0o644, mtime: new Date(0) }, (error) => (error ? reject(error) : resolve()))
    write(sink)
  })
}

/**
 * Unpacks an archive into `directory`, hashing every entry on the way, and
 * checks it against its manifest: known entry names only, every listed entry
 * present with its checksum, nothing unlisted. Throws an ArchiveError saying
 * what is wrong.
 */
export async function unpackArchive(source: Readable, directory: string): Promise<Manifest> {
  const digests = new Map<string, string>()
  const extract = tar.extract()
  extract.on('entry', (header, stream, next) => {
    const name = header.name
    if (header.type !== 'file' || !ENTRY_NAME.test(name)) {
      stream.resume()
      extract.destroy(new ArchiveError(`the archive holds an entry it should not: ${JSON.stringify(name)}`))
      return
    }
    if (digests.has(name)) {
      stream.resume()
      extract.destroy(new ArchiveError(`the archive holds ${name} twice`))
      return
    }
    const target = path.join(directory, name)
    const hash = hashing()
    mkdir(path.dirname(target), { recursive: true })
      .then(() => pipeline(stream, hash, createWriteStream(target)))
      .then(() => {
        digests.set(name, hash.digest().sha256)
        next()
      })
      .catch((error: unknown) => extract.destroy(error as Error))
  })
  try {
    await pipeline(source, createGunzip(), extract)
  } catch (error) {
    if (error instanceof ArchiveError) throw error
    throw new ArchiveError(`the file is not a readable city archive (${error instanceof Error ? error.message : String(error)})`)
  }
  if (!digests.has('manifest.json')) throw new ArchiveError('the archive has no manifest.json')
  let manifest: Manifest
  try {
    manifest = ManifestSchema.parse(JSON.parse(await readFile(path.join(directory, 'manifest.json'), 'utf8')))
  } catch (error) {
    const detail = error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') : String(error)
    throw new ArchiveError(`manifest.json is not a ${ARCHIVE_FORMAT} manifest (${detail})`)
  }
  const expected = new Set([
    ...manifest.tables.map((table) => tableEntry(table.name)),
    ...manifest.platform.map((part) => platformEntry(part.name)),
    ...manifest.files.map((file) => fileEntry(file.storedName)),
  ])
  for (const name of expected)
    if (!(name in manifest.checksums)) throw new ArchiveError(`the manifest lists ${name} without a checksum`)
  for (const [name, sha256] of Object.entries(manifest.checksums)) {
    if (!expected.has(name)) throw new ArchiveError(`the manifest has a checksum for ${name}, which it does not list`)
    const actual = digests.get(name)
    if (!actual) throw new ArchiveError(`the archive is missing ${name}`)
    if (actual !== sha256) throw new ArchiveError(`checksum mismatch for ${name}: the manifest says ${sha256}, the entry is ${actual}`)
  }
  for (const name of digests.keys())
    if (name !== 'manifest.json' && !(name in manifest.checksums)) throw new ArchiveError(`the archive holds ${name}, which the manifest does not list`)
  return manifest
}
