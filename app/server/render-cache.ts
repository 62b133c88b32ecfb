import { randomBytes } from 'node:crypto'
import { constants, crc32, deflateRawSync } from 'node:zlib'
import { LRUCache } from 'lru-cache'

/**
 * The HTML render cache: a public portal page rendered once per city,
 * language, tenant-file version and published-content version, then served
 * from memory to every anonymous visitor.
 *
 * A page carries the request's CSP nonce, so it is rendered with a
 * placeholder nonce (random per process, so no content can contain it) and
 * the placeholder is replaced by each request's own nonce on the way out.
 * Memory is bounded by bytes, least recently used first (lru-cache with a
 * size budget). A city's pages are dropped as soon as a request sees a new
 * version of it, so old versions do not wait for the LRU to push them out.
 */

/** A rendered document, split at the placeholder nonce: `parts.join(nonce)` is the page. */
export type RenderedPage = {
  status: number
  /** Response headers to repeat (Content-Type, Cache-Control, Vary…), never Set-Cookie. */
  headers: [string, string][]
  parts: Buffer[]
  /** Set when the page may be cached and revalidated. */
  etag: string | null
  /** Cookies the render set: such a page is neither cached nor given to anyone but its own request. */
  setCookies: string[]
}

type Entry = { scope: string; page: RenderedPage; bytes: number }

/** Bookkeeping per entry (key, map slots, header strings): counted so many tiny pages cannot exceed the budget. */
const ENTRY_OVERHEAD_BYTES = 512

/** A gzip member's header: deflate, no name or time, unknown OS (RFC 1952). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff])

/** `bytes` (under 64 KiB) as a deflate stored block, not the last (RFC 1951 3.2.4); starts on a byte boundary. */
function storedBlock(bytes: Buffer): Buffer {
  const block = Buffer.alloc(5 + bytes.byteLength)
  block[0] = 0x00
  block.writeUInt16LE(bytes.byteLength, 1)
  block.writeUInt16LE(~bytes.byteLength & 0xffff, 3)
  bytes.copy(block, 5)
  return block
}

export class RenderCache {
  /** What the page is rendered with instead of a nonce; replaced per request. */
  readonly placeholder = `csp-nonce-placeholder-${randomBytes(12).toString('hex')}`
  readonly #entries: LRUCache<string, Entry>
  readonly #pending = new Map<string, Promise<RenderedPage>>()
  readonly #versions = new Map<string, string>()
  /** Each cached page's parts, deflated (see gzipBody). */
  readonly #deflated = new WeakMap<RenderedPage, Buffer[]>()

  constructor(readonly maxBytes: number) {
    if (!Number.isInteger(maxBytes) || maxBytes < 1)
      throw new RangeError('maxBytes must be a positive integer')
    // A page larger than the whole budget is not stored: it would only evict everything else.
    this.#entries = new LRUCache<string, Entry>({ maxSize: maxBytes, sizeCalculation: (entry) => entry.bytes })
  }

  get bytes(): number {
    return this.#entries.calculatedSize
  }

  get size(): number {
    return this.#entries.size
  }

  /**
   * Records the current version of a scope (a city); when it differs from the
   * last one seen, every cached page of the scope is dropped.
   */
  noteVersion(scope: string, version: string): void {
    const previous = this.#versions.get(scope)
    if (previous === version) return
    this.#versions.set(scope, version)
    if (previous !== undefined) this.invalidate(scope)
  }

  invalidate(scope: string): void {
    const keys = [...this.#entries.entries()].filter(([, entry]) => entry.scope === scope).map(([key]) => key)
    for (const key of keys) this.#entries.delete(key)
  }

  get(key: string): RenderedPage | undefined {
    return this.#entries.get(key)?.page
  }

  /**
   * The cached page, or `render()`'s. Concurrent misses for one key share one
   * render: they are the same anonymous request. A page with an ETag is kept;
   * any other (an error, a redirect, a private page) is only shared by the
   * requests that waited for it, and one that sets a cookie not even that.
   * Call `noteVersion` for the scope first.
   */
  async getOrRender(
    key: string,
    { scope, version }: { scope: string; version: string },
    render: () => Promise<RenderedPage>,
  ): Promise<{ page: RenderedPage; hit: boolean }> {
    const cached = this.get(key)
    if (cached) return { page: cached, hit: true }
    const pending = this.#pending.get(key)
    if (pending) {
      const shared = await pending
      if (shared.setCookies.length === 0) return { page: shared, hit: false }
      return { page: await render(), hit: false }
    }
    const rendering = render().finally(() => this.#pending.delete(key))
    this.#pending.set(key, rendering)
    const page = await rendering
    // A render that outlived its version (the city changed meanwhile) is not kept.
    if (page.etag && page.setCookies.length === 0 && this.#versions.get(scope) === version)
      this.#entries.set(key, { scope, page, bytes: entryBytes(key, page) })
    return { page, hit: false }
  }

  /** The page for one response: the placeholder replaced by that response's nonce. */
  body(page: RenderedPage, nonce: string): Buffer {
    if (page.parts.length === 1) return page.parts[0]!
    const nonceBytes = Buffer.from(nonce)
    const pieces: Buffer[] = []
    page.parts.forEach((part, index) => {
      if (index > 0) pieces.push(nonceBytes)
      pieces.push(part)
    })
    return Buffer.concat(pieces)
  }

  /**
   * The page gzip-encoded for one response, without compressing it again:
   * each part between nonces is deflated once (the first time it is asked
   * for) into blocks that end on a byte boundary and refer to nothing before
   * them; a response joins them with its nonce in stored (uncompressed)
   * blocks, and only the CRC-32 of the whole is computed per response.
   */
  gzipBody(page: RenderedPage, nonce: string): Buffer {
    let deflated = this.#deflated.get(page)
    if (!deflated) {
      const last = page.parts.length - 1
      deflated = page.parts.map((part, index) =>
        deflateRawSync(part, { finishFlush: index === last ? constants.Z_FINISH : constants.Z_FULL_FLUSH }),
      )
      this.#deflated.set(page, deflated)
    }
    const nonceBytes = Buffer.from(nonce)
    const nonceBlock = storedBlock(nonceBytes)
    const pieces: Buffer[] = [GZIP_HEADER]
    let crc = 0
    let size = 0
    page.parts.forEach((part, index) => {
      if (index > 0) {
        pieces.push(nonceBlock)
        crc = crc32(nonceBytes, crc)
        size += nonceBytes.byteLength
      }
      pieces.push(deflated[index]!)
      // Not for an empty part: Node 20's crc32 answered 0 for an empty buffer (seen once optimised).
      if (part.byteLength > 0) crc = crc32(part, crc)
      size += part.byteLength
    })
    const trailer = Buffer.alloc(8)
    trailer.writeUInt32LE(crc >>> 0, 0)
    trailer.writeUInt32LE(size >>> 0, 4)
    pieces.push(trailer)
    return Buffer.concat(pieces)
  }

  /** Splits rendered HTML at the placeholder (stored as UTF-8: a byte budget measures real memory). */
  split(html: string): Buffer[] {
    return html.split(this.placeholder).map((part) => Buffer.from(part))
  }
}

function entryBytes(key: string, page: RenderedPage): number {
  return ENTRY_OVERHEAD_BYTES + key.length * 2 + page.parts.reduce((sum, part) => sum + part.byteLength, 0)
}
