import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from '@remix-run/node'
import { cleanFileName, sniffMimeType, SNIFF_BYTES } from './file-types'

/** What a file input accepts: from the tenant file (the form field, or the city's attachments policy). */
export type UploadLimits = { allowedMimeTypes: readonly string[]; maxBytes: number; maxFiles: number }

/** A file written to storage under a server-made name, not yet linked to any record. */
export type ReceivedFile = {
  field: string
  storedName: string
  originalName: string
  mime: string
  size: number
  sha256: string
}

export type UploadRefusal = {
  field: string
  originalName: string
  reason: 'too_large' | 'wrong_type' | 'too_many'
}

/**
 * A streaming upload handler for `unstable_parseMultipartFormData`. Each file
 * is written chunk by chunk to `<dataDir>/uploads/<uuid>` while its size is
 * counted and its hash computed, so it is never held whole in memory. Its
 * first bytes decide its type. A file that is too large, of a type the field
 * does not accept, or one too many, is deleted as soon as that is known and
 * the rest of it is read and dropped; the refusal is kept for the message.
 *
 * The form field receives an opaque token, never the file's details: a forged
 * text field cannot name a stored file. `discard()` deletes every file this
 * request stored (call it when the change is refused or fails); once the
 * records exist, the files are simply kept.
 */
export function createUploadReceiver(options: {
  dataDir: string
  limitsFor: (field: string) => UploadLimits | undefined
}) {
  const directory = uploadDirectory(options.dataDir)
  const files: ReceivedFile[] = []
  const refusals: UploadRefusal[] = []

  const handler: UploadHandler = async ({ name, filename, data }) => {
    const limits = options.limitsFor(name)
    // Not a file input of this form: let the next handler (plain fields) have it.
    if (filename === undefined || !limits) return undefined
    const originalName = cleanFileName(filename)
    const storedName = randomUUID()
    const target = path.join(directory, storedName)
    let refusal: UploadRefusal['reason'] | undefined =
      files.filter((file) => file.field === name).length >= limits.maxFiles ? 'too_many' : undefined
    let size = 0
    let mime: string | undefined
    const hash = createHash('sha256')
    const pending: Uint8Array[] = []

    const decide = () => {
      const head = Buffer.concat(pending).subarray(0, SNIFF_BYTES)
      mime = sniffMimeType(head, originalName)
      if (!mime || !limits.allowedMimeTypes.includes(mime)) refusal = 'wrong_type'
    }
    async function* checked(): AsyncGenerator<Uint8Array> {
      for await (const chunk of data) {
        // Once refused, the rest of the part is read (the request must be consumed) and dropped.
        if (refusal) continue
        size += chunk.byteLength
        if (size > limits!.maxBytes) {
          refusal = 'too_large'
          continue
        }
        hash.update(chunk)
        if (mime === undefined) {
          pending.push(chunk)
          if (size < SNIFF_BYTES) continue
          decide()
          if (refusal) continue
          yield* pending.splice(0)
        } else {
          yield chunk
        }
      }
      if (!refusal && mime === undefined) {
        // An empty input part (no file chosen) or a file shorter than any signature.
        if (size === 0) return
        decide()
        if (!refusal) yield* pending.splice(0)
      }
    }

    await mkdir(directory, { recursive: true })
    await pipeline(Readable.from(checked()), createWriteStream(target, { flags: 'wx', mode: 0o600 }))
    if (size === 0 && !refusal) {
      await rm(target, { force: true })
      return ''
    }
    if (refusal) {
      await rm(target, { force: true })
      refusals.push({ field: name, originalName, reason: refusal })
      return ''
    }
    files.push({ field: name, storedName, originalName, mime: mime!, size, sha256: hash.digest('hex') })
    return `upload:${storedName}`
  }

  return {
    handler,
    /** The files stored for one field, in the order they came. */
    filesFor: (field: string) => files.filter((file) => file.field === field),
    refusals: () => [...refusals],
    /**
     * The request's multipart form: files through this receiver, other fields
     * in memory (64 KiB each). A body that is not well-formed multipart (no or
     * a wrong boundary, cut short, undecodable part headers, another content
     * type) is the client's error: 400, or 413 for an oversized field —
     * never a 500. Files already stored for a refused body are removed.
     */
    async parseForm(request: Request): Promise<FormData> {
      try {
        return await unstable_parseMultipartFormData(
          request,
          unstable_composeUploadHandlers(
            handler,
            unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 }),
          ),
        )
      } catch (error) {
        if (error instanceof Response) throw error
        await this.discard()
        throw new Response(error instanceof MaxPartSizeExceededError ? 'Payload Too Large' : 'Bad Request', {
          status: error instanceof MaxPartSizeExceededError ? 413 : 400,
        })
      }
    },
    async discard() {
      await Promise.all(files.map((file) => rm(path.join(directory, file.storedName), { force: true })))
      files.length = 0
    },
  }
}

export type UploadReceiver = ReturnType<typeof createUploadReceiver>

export function uploadDirectory(dataDir: string): string {
  return path.resolve(dataDir, 'uploads')
}
