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

const startsWith = (head: Uint8Array, signature: readonly number[]) =>
  head.length >= signature.length && signature.every((byte, index) => head[index] === byte)

/** The MIME type the content shows, or undefined when it is none the platform knows. */
export function sniffMimeType(head: Uint8Array, fileName: string): string | undefined {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const extension = fileName.toLowerCase().split('.').pop() ?? ''
    return OOXML_BY_EXTENSION[extension]
  }
  return undefined
}

/** A name safe to show and to put in a Content-Disposition header: no path, no control characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 200)
  return cleaned || 'file'
}
