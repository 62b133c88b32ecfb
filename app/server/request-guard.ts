import { pipeline, Readable, Transform } from 'node:stream'
// Not re-exported by the package's index; the adapter's own request and response halves (pinned version).
import { createRemixRequest } from '@remix-run/express/dist/server.js'
import express from 'express'
import { REQUEST_LIMITS, takesFiles } from '../utils/request-limits'

/**
 * The one gate every request passes before the application (issue 17,
 * findings 8 and 9): what no page of this site sends is refused here with a
 * 4xx page in the visitor's language (`error-pages.ts`), before any route,
 * session lookup or database work, so nothing can be stored by it.
 *
 * - a method other than GET, HEAD and POST: 405 (TRACE was a 500);
 * - a NUL character anywhere in the address: 400 (PostgreSQL refuses it in text);
 * - a POST that is not a form (no, or another, content type; multipart without
 *   a boundary): 415 / 400 — every action may then read its form;
 * - a body larger than its route kind allows (`REQUEST_LIMITS`): 413 — by its
 *   declared length before it is read, or while it streams;
 * - a form without files is read here, whole (it is small), and refused with
 *   too many fields (413), an oversized field (413) or a NUL in any name or
 *   value (400); the routes then read exactly these bytes (`remixRequest`).
 *
 * A form with files (a multipart body to an upload route) streams on to the
 * upload receiver, which holds its parts to the same limits.
 */

export type RefusalReason =
  | 'method_not_allowed'
  | 'unsupported_content_type'
  | 'malformed_body'
  | 'nul_character'
  | 'body_too_large'
  | 'too_many_fields'
  | 'field_too_long'

/** A request refused at the gate; `reason` names its message (`errors.request.<reason>` in common.json). */
export class RequestRefused extends Error {
  constructor(
    readonly status: 400 | 405 | 413 | 415,
    readonly reason: RefusalReason,
  ) {
    super(`request refused: ${reason}`)
  }
}

const ALLOWED_METHODS = ['GET', 'HEAD', 'POST']

/** 'urlencoded' or 'multipart' for the two form encodings browsers send, else undefined. */
function formEncoding(contentType: string | undefined): 'urlencoded' | 'multipart' | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase()
  if (mediaType === 'application/x-www-form-urlencoded') return 'urlencoded'
  if (mediaType === 'multipart/form-data') return 'multipart'
  return undefined
}

const hasNul = (text: string) => text.includes('\0')

/** The address with NUL written either way: raw or %-escaped. */
const addressHasNul = (url: string) => /%00/.test(url) || hasNul(url)

/** Checks a form read whole against the form limits; the refusal, or undefined when it may pass. */
async function formRefusal(
  body: Buffer,
  encoding: 'urlencoded' | 'multipart',
  contentType: string,
): Promise<RequestRefused | undefined> {
  const limits = REQUEST_LIMITS.form
  let entries: Iterable<[string, unknown]>
  if (encoding === 'urlencoded') entries = new URLSearchParams(body.toString('utf8'))
  else {
    try {
      // The same parser (undici's) the routes' request.formData() uses: what passes here parses there.
      entries = await new Response(new Uint8Array(body), {
        headers: { 'Content-Type': contentType },
      }).formData()
    } catch {
      return new RequestRefused(400, 'malformed_body')
    }
  }
  let count = 0
  for (const [name, value] of entries) {
    if (++count > limits.fields) return new RequestRefused(413, 'too_many_fields')
    const text = typeof value === 'string' ? value : ''
    if (name.length + text.length > limits.fieldBytes) return new RequestRefused(413, 'field_too_long')
    if (hasNul(name) || hasNul(text)) return new RequestRefused(400, 'nul_character')
  }
  return undefined
}

/** Passes a body on while counting it; past `limit` bytes it fails with a 413 refusal. */
function byteLimit(limit: number): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.byteLength
      if (seen > limit) done(new RequestRefused(413, 'body_too_large'))
      else done(null, chunk)
    },
  })
}

export function requestGuard(): express.RequestHandler {
  const readWhole = express.raw({ type: () => true, limit: REQUEST_LIMITS.form.bodyBytes, inflate: false })
  return (req, res, next) => {
    if (!ALLOWED_METHODS.includes(req.method)) {
      res.set('Allow', ALLOWED_METHODS.join(', '))
      return next(new RequestRefused(405, 'method_not_allowed'))
    }
    if (addressHasNul(req.originalUrl)) return next(new RequestRefused(400, 'nul_character'))
    if (req.method !== 'POST') return next()

    const contentType = req.get('content-type') ?? ''
    const encoding = formEncoding(contentType)
    if (!encoding) return next(new RequestRefused(415, 'unsupported_content_type'))
    if (encoding === 'multipart' && !/;\s*boundary=/i.test(contentType))
      return next(new RequestRefused(400, 'malformed_body'))
    const kind = encoding === 'multipart' && takesFiles(req.path) ? 'upload' : 'form'
    const limit = REQUEST_LIMITS[kind].bodyBytes
    if (Number(req.get('content-length') ?? 0) > limit) return next(new RequestRefused(413, 'body_too_large'))

    if (kind === 'upload') {
      // Node holds a body to its Content-Length; the count catches a chunked one.
      res.locals.requestBody = pipeline(req, byteLimit(limit), () => {})
      return next()
    }
    readWhole(req, res, (error?: unknown) => {
      if (error) {
        const type = (error as { type?: unknown }).type
        const status = (error as { status?: unknown }).status
        if (type === 'entity.too.large') return next(new RequestRefused(413, 'body_too_large'))
        // A compressed body: browsers never send one.
        if (status === 415) return next(new RequestRefused(415, 'unsupported_content_type'))
        return next(error)
      }
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
      formRefusal(body, encoding, contentType).then((refusal) => {
        if (refusal) return next(refusal)
        res.locals.requestBody = body
        next()
      }, next)
    })
  }
}

/**
 * The Fetch request Remix gets: the adapter's own (address, headers, abort
 * signal), with the body the guard read or counts instead of the raw stream.
 */
export function remixRequest(req: express.Request, res: express.Response): Request {
  const body = res.locals.requestBody as Buffer | Readable | undefined
  if (body === undefined) return createRemixRequest(req, res)
  // As a GET the adapter leaves the body alone (it would start reading req itself).
  const bare = createRemixRequest(Object.create(req, { method: { value: 'GET' } }) as express.Request, res)
  return new Request(bare.url, {
    method: req.method,
    headers: bare.headers,
    signal: bare.signal,
    body: Buffer.isBuffer(body) ? new Uint8Array(body) : (Readable.toWeb(body) as ReadableStream<Uint8Array>),
    duplex: 'half',
  } as RequestInit)
}
