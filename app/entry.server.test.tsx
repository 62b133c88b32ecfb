import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Writable } from 'node:stream'
import type { renderToPipeableStream } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

type Renderer = { renderToPipeableStream: typeof renderToPipeableStream }
const require = createRequire(import.meta.url)
// Both of React's Node builds: tests load the development one, the production server the minified one.
const reactDomDir = dirname(require.resolve('react-dom/server.node'))
const renderers: [string, Renderer][] = [
  ['development', require(join(reactDomDir, 'cjs/react-dom-server.node.development.js')) as Renderer],
  ['production', require(join(reactDomDir, 'cjs/react-dom-server.node.production.min.js')) as Renderer],
]

/** The bytes React's Node renderer sends for an element, collected as entry.server.tsx collects them. */
function renderBytes(renderer: Renderer, element: React.ReactElement): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const { pipe } = renderer.renderToPipeableStream(element, {
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

describe.each(renderers)('server rendering of multi-byte text (%s build)', (_build, renderer) => {
  // React fills 2 KB views with encodeInto; a Japanese character (3 bytes in UTF-8) that does not fit in the
  // view's last one or two bytes must go whole into the next view, with nothing sent in its place.
  it.each([0, 1, 2])(
    'sends Japanese text across 2 KB boundaries intact (ASCII prefix of %i bytes)',
    async (shift) => {
      const items = Array.from({ length: 300 }, (_, i) => `次の手順 ${i}`)
      const bytes = await renderBytes(
        renderer,
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
    },
  )
})
