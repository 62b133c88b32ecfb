import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { uploadDirectory } from '../../app/operations/attachments/receive-uploads.server'

/** Opens a stored file by its stored name (the storage the rows' files live in). */
export type FileReader = (storedName: string) => Promise<Readable>

/** Stores one file under its stored name in the target's storage; `remove` undoes it. */
export type FileWriter = {
  write: (storedName: string, content: Readable) => Promise<void>
  remove: (storedName: string) => Promise<void>
}

/**
 * The stored files as the disk keeps them (`<DATA_DIR>/uploads/<stored name>`),
 * read for an export and written by an import (never over an existing file).
 */
export function diskFiles(dataDir: string): { read: FileReader } & FileWriter {
  const directory = uploadDirectory(dataDir)
  const file = (storedName: string) => path.join(directory, path.basename(storedName))
  return {
    read: async (storedName) => {
      const stream = createReadStream(file(storedName))
      // Surface a missing file here, not half-way through the archive.
      await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject))
      return stream
    },
    write: async (storedName, content) => {
      await mkdir(directory, { recursive: true })
      await pipeline(content, createWriteStream(file(storedName), { flags: 'wx' }))
    },
    remove: (storedName) => rm(file(storedName), { force: true }),
  }
}
