import { createReadStream, createWriteStream, type ReadStream } from 'node:fs'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { SWEEP_BATCH, type FileStore, type StoredFileRef } from './store'

/** The directory the disk store keeps every city's files in, by stored name. */
export function uploadDirectory(dataDir: string): string {
  return path.resolve(dataDir, 'uploads')
}

/**
 * Files on this server's disk, `<dataDir>/uploads/<stored name>` (the
 * default). Stored names are UUIDs, unique across cities, so one directory
 * holds them all. Only one server can serve them: several servers need the
 * PostgreSQL store (./postgres.server.ts) or one shared directory.
 */
export function diskFileStore(dataDir: string): FileStore {
  const directory = uploadDirectory(dataDir)
  const fileOf = (storedName: string) => path.join(directory, path.basename(storedName))
  const removeNames = (storedNames: readonly string[]) =>
    Promise.all(storedNames.map((name) => rm(fileOf(name), { force: true }))).then(() => undefined)

  return {
    kind: 'disk',
    async write(file, content) {
      await mkdir(directory, { recursive: true })
      const target = fileOf(file.storedName)
      try {
        await pipeline(Readable.from(content), createWriteStream(target, { flags: 'wx', mode: 0o600 }))
      } catch (error) {
        // Not over an existing file (EEXIST): that one is not this write's to remove.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(target, { force: true })
        throw error
      }
    },
    async open(file: StoredFileRef) {
      const stream = createReadStream(fileOf(file.storedName))
      // A missing file is known here, before any answer is sent: the caller can say 404.
      const opened = await new Promise<ReadStream | undefined>((resolve, reject) =>
        stream
          .once('open', () => resolve(stream))
          .once('error', (error: NodeJS.ErrnoException) =>
            error.code === 'ENOENT' || error.code === 'EISDIR' ? resolve(undefined) : reject(error),
          ),
      )
      return opened
    },
    remove: (_tenantId, storedNames) => removeNames(storedNames),
    async sweep({ cutoff, inUse }) {
      let names: string[]
      try {
        names = await readdir(directory)
      } catch {
        return { checked: 0, deleted: 0 }
      }
      const old: string[] = []
      for (const name of names) {
        const stats = await stat(path.join(directory, name)).catch(() => undefined)
        if (stats?.isFile() && stats.mtimeMs <= cutoff.getTime()) old.push(name)
      }
      let deleted = 0
      for (let start = 0; start < old.length; start += SWEEP_BATCH) {
        const batch = old.slice(start, start + SWEEP_BATCH)
        const used = await inUse(batch)
        const orphans = batch.filter((name) => !used.has(name))
        await removeNames(orphans)
        deleted += orphans.length
      }
      return { checked: old.length, deleted }
    },
  }
}
