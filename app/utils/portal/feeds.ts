/**
 * Open-data renderings of published cases: Atom 1.0 (RFC 4287), JSON Feed
 * 1.1 and CSV (RFC 4180). Pure string builders; the routes supply the entries.
 */

export type FeedEntry = {
  id: string
  url: string
  title: string
  summary: string
  published: string
  updated: string
  author: string
  categories: string[]
}

export type Feed = {
  id: string
  title: string
  /** The HTML page the feed mirrors. */
  homeUrl: string
  /** The feed's own address. */
  feedUrl: string
  language: string
  updated: string
  entries: FeedEntry[]
}

/** Characters XML 1.0 cannot carry at all: control characters other than tab, line feed and carriage return. */
function isXmlCharacter(character: string): boolean {
  const code = character.codePointAt(0) ?? 0
  return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d
}

export function escapeXml(value: string): string {
  return [...value]
    .filter(isXmlCharacter)
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

export function atomFeed(feed: Feed): string {
  const x = escapeXml
  const entries = feed.entries.map(
    (entry) => `  <entry>
    <id>${x(entry.url)}</id>
    <title>${x(entry.title)}</title>
    <link rel="alternate" type="text/html" href="${x(entry.url)}"/>
    <published>${x(entry.published)}</published>
    <updated>${x(entry.updated)}</updated>
    <author><name>${x(entry.author)}</name></author>
${entry.categories.map((category) => `    <category term="${x(category)}"/>\n`).join('')}    <summary>${x(entry.summary)}</summary>
  </entry>
`,
  )
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(feed.language)}">
  <id>${x(feed.feedUrl)}</id>
  <title>${x(feed.title)}</title>
  <link rel="self" type="application/atom+xml" href="${x(feed.feedUrl)}"/>
  <link rel="alternate" type="text/html" href="${x(feed.homeUrl)}"/>
  <updated>${x(feed.updated)}</updated>
  <author><name>${x(feed.title)}</name></author>
${entries.join('')}</feed>
`
}

export function jsonFeed(feed: Feed): string {
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: feed.title,
      home_page_url: feed.homeUrl,
      feed_url: feed.feedUrl,
      language: feed.language,
      items: feed.entries.map((entry) => ({
        id: entry.url,
        url: entry.url,
        title: entry.title,
        summary: entry.summary,
        content_text: entry.summary,
        date_published: entry.published,
        date_modified: entry.updated,
        authors: [{ name: entry.author }],
        tags: entry.categories,
      })),
    },
    null,
    2,
  )
}

/**
 * CSV with a UTF-8 byte-order mark (so spreadsheet software reads Japanese
 * correctly), CRLF line ends, every field quoted. A field that a spreadsheet
 * would run as a formula gets a leading apostrophe.
 */
export function csv(rows: string[][]): string {
  const field = (value: string) => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
    return `"${safe.replace(/"/g, '""')}"`
  }
  return `\uFEFF${rows.map((row) => row.map(field).join(',')).join('\r\n')}\r\n`
}
