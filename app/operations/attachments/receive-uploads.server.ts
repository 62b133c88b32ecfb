import { createHash, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import busboy from 'busboy'
import { REQUEST_LIMITS } from '~/utils/request-limits'
import type { FileStore } from '../../../db/file-storage/store'
import { cleanFileName, nameForType, sniffMimeType, SNIFF_BYTES } from './file-types'

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
  reason: 'too_large' | 'wrong_type' | 'too_many' | 'wrong_extension'
  /** For `wrong_extension`: the extension the content calls for (`.pdf`). */
  expectedExtension?: string
}

/** A body the receiver will not take, as the HTTP answer it calls for. */
function refusedBody(status: 400 | 413, reason: string): Response {
  return new Response(status === 413 ? 'Payload Too Large' : 'Bad Request', {
    status,
    headers: { 'X-Refusal-Reason': reason },
  })
}

/**
 * Receives the files of a multipart form (`parseForm`). Each file
 * is written chunk by chunk to the file store, under a new UUID in the city of
 * its field (`tenantFor`), while its size is
 * counted and its hash computed, so it is never held whole in memory. Its
 * first bytes decide its type, and its name keeps or gets that type's
 * extension (a name claiming another type is refused); bidirectional and
 * control characters are taken out of the name. A file that is too large, of
 * a type the field does not accept, misnamed, or one too many, is deleted as soon as that is known and
 * the rest of it is read and dropped; the refusal is kept for the message.
 *
 * The form field receives an empty file named by an opaque token, never the
 * file's details: a forged text field cannot name a stored file, and a file
 * is never among the form's text answers. `keep(files)` marks files whose
 * records committed; `discard()` deletes every other file this request stored
 * (call it when the request is done, whatever its outcome), so a refused
 * change, a preview or a replayed submission leaves no file behind.
 */
export function createUploadReceiver(options: {
  files: FileStore
  /** The city a field's files belong to (called only for a field `limitsFor` accepts). */
  tenantFor: (field: string) => string
  limitsFor: (field: string) => UploadLimits | undefined
}) {
  const store = options.files
  const files: ReceivedFile[] = []
  const refusals: UploadRefusal[] = []
  const kept = new Set<string>()
  const cities = new Map<string, string>()

  /** Stores one file part; its form value is an opaque token ('' when nothing was stored). */
  const receiveFile = async (
    name: string,
    limits: UploadLimits,
    filename: string,
    data: AsyncIterable<Uint8Array>,
  ): Promise<string> => {
    let originalName = cleanFileName(filename)
    let expectedExtension: string | undefined
    const stored = { tenantId: options.tenantFor(name), storedName: randomUUID() }
    const { storedName } = stored
    let refusal: UploadRefusal['reason'] | undefined
    let size = 0
    let mime: string | undefined
    const hash = createHash('sha256')
    const pending: Uint8Array[] = []

    const decide = () => {
      const head = Buffer.concat(pending).subarray(0, SNIFF_BYTES)
      mime = sniffMimeType(head, originalName)
      if (!mime || !limits.allowedMimeTypes.includes(mime)) {
        refusal = 'wrong_type'
        return
      }
      const named = nameForType(originalName, mime)
      if (named.name === undefined) {
        refusal = 'wrong_extension'
        expectedExtension = named.expected
      } else originalName = named.name
    }
    async function* checked(): AsyncGenerator<Uint8Array> {
      for await (const chunk of data) {
        // Once refused, the rest of the part is read (the request must be consumed) and dropped.
        if (refusal) continue
        size += chunk.byteLength
        if (size > limits.maxBytes) {
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

    // Nothing is stored for an empty input, nor for a file refused by its first bytes.
    const parts = checked()
    const first = await parts.next()
    let written = false
    if (!first.done) {
      // On failure (a body cut off or refused mid-file) the store leaves no partial file behind.
      await store.write(
        stored,
        (async function* () {
          yield first.value
          yield* parts
        })(),
      )
      written = true
    }
    if (size === 0 && !refusal) return ''
    if (!refusal && files.filter((file) => file.field === name).length >= limits.maxFiles)
      refusal = 'too_many'
    if (refusal) {
      if (written) await store.remove(stored.tenantId, [storedName])
      refusals.push({ field: name, originalName, reason: refusal, expectedExtension })
      return ''
    }
    cities.set(storedName, stored.tenantId)
    files.push({ field: name, storedName, originalName, mime: mime!, size, sha256: hash.digest('hex') })
    return `upload:${storedName}`
  }

  return {
    /** The files stored for one field, in the order they came. */
    filesFor: (field: string) => files.filter((file) => file.field === field),
    refusals: () => [...refusals],
    /**
     * The request's multipart form, read by busboy: files through this
     * receiver, other fields in memory within `REQUEST_LIMITS.upload` (a file
     * part of an input the form does not have is read and dropped). A body
     * that is not well-formed multipart (no or a wrong boundary, cut short,
     * undecodable part headers, another content type) is the client's error:
     * 400, or 413 past a limit — never a 500. A field holding a NUL character
     * is refused (400): no text the platform keeps may contain one. Files
     * already stored for a refused body are removed.
     */
    async parseForm(request: Request): Promise<FormData> {
      try {
        return await readMultipart(request, async (name, filename, data) => {
          const limits = options.limitsFor(name)
          if (!limits) {
            data.resume()
            return undefined
          }
          // An input left empty is an empty part without a file name: nothing is stored ('').
          return receiveFile(name, limits, filename, data)
        })
      } catch (error) {
        await this.discard()
        if (error instanceof Response) throw error
        // The server's byte counter (request-guard) cut a body longer than its route kind allows.
        if ((error as { status?: unknown } | null)?.status === 413) throw refusedBody(413, 'body_too_large')
        throw refusedBody(400, 'malformed_multipart')
      }
    },
    /** Files a committed record now refers to: `discard()` leaves them. */
    keep(received: readonly ReceivedFile[]) {
      for (const file of received) kept.add(file.storedName)
    },
    async discard() {
      const unkept = files.filter((file) => !kept.has(file.storedName))
      await Promise.all(unkept.map((file) => store.remove(cities.get(file.storedName)!, [file.storedName])))
      files.length = 0
    },
  }
}

export type UploadReceiver = ReturnType<typeof createUploadReceiver>

/**
 * Parses a multipart body with busboy, which reads file names as browsers
 * write them (`a=b.pdf`, `a;b.pdf`, quotes, UTF-8) and counts parts and field
 * sizes as it goes. Entries keep the body's order; `onFile` answers each file
 * part with its form value (undefined: leave it out).
 */
async function readMultipart(
  request: Request,
  onFile: (name: string, filename: string, data: Readable) => Promise<string | undefined>,
): Promise<FormData> {
  const limits = REQUEST_LIMITS.upload
  if (!request.body) throw refusedBody(400, 'malformed_multipart')
  // Throws for another content type or a multipart type without a boundary.
  const parser = busboy({
    headers: { 'content-type': request.headers.get('content-type') ?? '' },
    defParamCharset: 'utf8',
    limits: { parts: limits.parts, fieldSize: limits.fieldBytes, fieldNameSize: 200, headerPairs: 20 },
  })
  const body = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>)
  const entries: [string, string | Promise<string | undefined>][] = []
  let textBytes = 0
  let previousFile: Promise<unknown> = Promise.resolve()
  let failure: unknown
  // The first failure stops the parse: the rest of the body is drained, the file being written is cut off.
  const fail = (error: unknown) => {
    if (failure !== undefined) return
    failure = error
    body.unpipe(parser)
    body.resume()
    // A failure of the parser itself has already ended it.
    if (!parser.errored && !parser.destroyed) parser.destroy(error instanceof Error ? error : undefined)
  }
  const closed = new Promise<void>((resolve) => parser.on('close', resolve))
  parser.on('field', (name, value, info) => {
    textBytes += value.length + name.length
    if (info.valueTruncated || info.nameTruncated || textBytes > limits.textBytes)
      return fail(refusedBody(413, 'field_too_long'))
    if (name.includes('\0') || value.includes('\0')) return fail(refusedBody(400, 'nul_character'))
    entries.push([name, value])
  })
  parser.on('file', (name, data, info) => {
    // A file cut off (the body ended or was refused) errors with the parser's own error, handled there;
    // reading starts only once its storage is ready, so until then nothing else listens.
    data.on('error', () => {})
    // Browsers write a double quote in a file name as %22 (HTML's multipart encoding).
    const filename = info.filename?.replaceAll('%22', '"') ?? ''
    // One file after the other, in the body's order: the count per input decides which is one too many.
    const value = previousFile.then(() => onFile(name, filename, data))
    previousFile = value.then(
      () => undefined,
      () => undefined,
    )
    value.catch(fail)
    entries.push([name, value])
  })
  parser.on('partsLimit', () => fail(refusedBody(413, 'too_many_fields')))
  parser.on('error', fail)
  body.on('error', fail)
  body.pipe(parser)
  await closed
  // Every file part has settled (a cut-off one removed its partial file) before the outcome is known.
  await Promise.allSettled(entries.map(([, value]) => value))
  if (failure !== undefined) throw failure
  const form = new FormData()
  for (const [name, value] of entries) {
    const resolved = await value
    if (resolved === undefined) continue
    // A file part's entry is a file, as in the browser's FormData (its bytes are in the store, its name
    // the token): a form's text answers, those a refusal gives back, never include it.
    if (typeof value === 'string') form.append(name, resolved)
    else form.append(name, new File([], resolved))
  }
  return form
}
