import { describe, expect, it } from 'vitest'
import { atomFeed, csv, escapeXml, jsonFeed, type Feed } from './feeds'

const feed: Feed = {
  id: 'cases',
  title: 'Desk <cases> & more',
  homeUrl: 'https://example.jp/city/cases',
  feedUrl: 'https://example.jp/city/cases.atom',
  language: 'ja',
  updated: '2026-01-02T03:04:05.000Z',
  entries: [
    {
      id: 'a',
      url: 'https://example.jp/city/cases/a',
      title: '実証実験 "A"',
      summary: 'x < y',
      published: '2026-01-01T00:00:00.000Z',
      updated: '2026-01-02T00:00:00.000Z',
      author: 'Partner Inc.',
      categories: ['防災'],
    },
  ],
}

describe('feeds', () => {
  it('escapes XML, including quotes and control characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;')
  })

  it('writes an Atom feed with escaped titles and one entry', () => {
    const xml = atomFeed(feed)
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ja">')
    expect(xml).toContain('<title>Desk &lt;cases&gt; &amp; more</title>')
    expect(xml).toContain('<title>実証実験 &quot;A&quot;</title>')
    expect(xml).toContain('<category term="防災"/>')
    expect(xml.match(/<entry>/g)).toHaveLength(1)
  })

  it('writes JSON Feed 1.1', () => {
    const parsed = JSON.parse(jsonFeed(feed))
    expect(parsed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(parsed.items[0]).toMatchObject({ id: feed.entries[0]?.url, title: '実証実験 "A"', tags: ['防災'] })
  })

  it('writes CSV with a BOM, quoted fields, CRLF and no formulas', () => {
    const text = csv([
      ['title', 'note'],
      ['a "quoted", value', '=SUM(A1)'],
    ])
    expect(text.startsWith('\uFEFF')).toBe(true)
    expect(text).toBe('\uFEFF"title","note"\r\n"a ""quoted"", value","\'=SUM(A1)"\r\n')
  })
})
