import { describe, expect, it } from 'vitest'
import { documentBody } from './entry.server'

describe("the document's markup", () => {
  // The streaming renderer React 18.3.1 ships filled 2 KB views with encodeInto and sent a view's unwritten
  // zero bytes when a Japanese character (3 bytes in UTF-8) did not fit in its last one or two bytes (ADR 007).
  // Documents are now rendered to one string and encoded once: the same lists must come out intact.
  it.each([0, 1, 2])('sends Japanese text across 2 KB boundaries intact (ASCII prefix of %i bytes)', (shift) => {
    const items = Array.from({ length: 300 }, (_, i) => `次の手順 ${i}`)
    const html = documentBody(
      <html lang="ja">
        <body>
          <ul>
            <li>{'a'.repeat(shift)}</li>
            {items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </body>
      </html>,
    )
    expect(new TextEncoder().encode(html).includes(0)).toBe(false)
    expect(html).not.toContain('\uFFFD')
    for (const item of items) expect(html).toContain(`<li>${item}</li>`)
  })

  it('starts with the doctype, which renderToString does not write', () => {
    const html = documentBody(
      <html lang="ja">
        <body>
          <p>公民連携</p>
        </body>
      </html>,
    )
    expect(html.startsWith('<!DOCTYPE html><html lang="ja">')).toBe(true)
    expect(html).toContain('<p>公民連携</p>')
  })
})
