/**
 * What a file is, judged by its first bytes rather than its name or the
 * browser's claim. Office Open XML files are ZIP archives: the signature
 * proves "a ZIP", and the extension then says which of the three it is — a
 * renamed executable or HTML page still fails, because its bytes are not a ZIP.
 */

/** Enough leading bytes for every signature below. */
export const SNIFF_BYTES = 8

const OOXML_BY_EXTENSION: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
}

/** The extensions a file of each known type may carry; the first is the one it is given. */
const EXTENSIONS_BY_MIME: Record<string, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  ...Object.fromEntries(Object.entries(OOXML_BY_EXTENSION).map(([extension, mime]) => [mime, [extension]])),
}

const startsWith = (head: Uint8Array, signature: readonly number[]) =>
  head.length >= signature.length && signature.every((byte, index) => head[index] === byte)

/** The lower-case extension of a name ('' when it has none). */
const extensionOf = (name: string) => /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? ''

/** The MIME type the content shows, or undefined when it is none the platform knows. */
export function sniffMimeType(head: Uint8Array, fileName: string): string | undefined {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return OOXML_BY_EXTENSION[extensionOf(fileName)]
  return undefined
}

/**
 * The name a file of `mime` is kept under: a name without an extension gets
 * the type's own; a name whose extension belongs to another type (a PDF named
 * `report.html`, `.hta`, `.svg`) is refused — `undefined`, with the extension
 * it should have — so what a person saves and opens is what it contains.
 */
export function nameForType(
  name: string,
  mime: string,
): { name: string } | { name: undefined; expected: string } {
  const allowed = EXTENSIONS_BY_MIME[mime]
  if (!allowed) return { name }
  const expected = allowed[0]!
  const extension = extensionOf(name)
  if (extension === '') return { name: `${name.replace(/\.$/, '')}.${expected}` }
  return allowed.includes(extension) ? { name } : { name: undefined, expected: `.${expected}` }
}

/**
 * Characters that change how a name reads without being part of it: C0 and C1
 * controls, and the bidirectional marks, embeddings, overrides and isolates
 * (U+202E turns `invoice‮lmth.pdf` into "invoicefdp.html" on screen), the
 * Arabic letter mark and the line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const INVISIBLE_OR_REORDERING = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g

const MAX_NAME_LENGTH = 200

/** A name safe to show and to put in a Content-Disposition header: no path, no control or bidi characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  const cleaned = base.replace(INVISIBLE_OR_REORDERING, '').trim().replace(/^\.+$/, '')
  if (!cleaned) return 'file'
  if (cleaned.length <= MAX_NAME_LENGTH) return cleaned
  // Shortened in the middle: the extension stays, it says what the file is.
  const extension = /\.[^.]{1,10}$/.exec(cleaned)?.[0] ?? ''
  return cleaned.slice(0, MAX_NAME_LENGTH - extension.length) + extension
}
