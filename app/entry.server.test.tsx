import { Writable } from 'node:stream'
import { renderToPipeableStream } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

/** The bytes React's Node renderer sends for an element, collected as entry.server.tsx collects them. */
function renderBytes(element: React.ReactElement): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const { pipe } = renderToPipeableStream(element, {
      onAllReady() {
        pipe(
          new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk)
              done()
            },
            final(done) {
              resolve(Buffer.concat(chunks))
              done()
            },
          }),
        )
      },
      onShellError: reject,
    })
  })
}

describe('server rendering of multi-byte text', () => {
  // React fills 2 KB views with encodeInto; a Japanese character (3 bytes in UTF-8) that does not fit in the
  // view's last one or two bytes must go whole into the next view, with nothing sent in its place.
  it.each([0, 1, 2])('sends Japanese text across 2 KB boundaries intact (ASCII prefix of %i bytes)', async (shift) => {
    const items = Array.from({ length: 300 }, (_, i) => `次の手順 ${i}`)
    const bytes = await renderBytes(
      <ul>
        <li>{'a'.repeat(shift)}</li>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>,
    )
    expect(bytes.includes(0)).toBe(false)
    const html = bytes.toString('utf8')
    expect(html).not.toContain('\uFFFD')
    for (const item of items) expect(html).toContain(`<li>${item}</li>`)
  })
})
