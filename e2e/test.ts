import { test as base, expect, type Browser, type BrowserContext } from '@playwright/test'

export * from '@playwright/test'

/**
 * What a served page must never contain: U+0000 (React 18.3.1 sent the unwritten end of a 2 KB view when a
 * multi-byte character did not fit in it, issue 16) and U+FFFD (bytes that are not UTF-8, or a character
 * replaced on the way). Returns a description of the first one found with its surroundings, or null.
 */
export function corruptionIn(text: string): string | null {
  for (const [mark, name] of [
    ['\u0000', 'U+0000'],
    ['\uFFFD', 'U+FFFD'],
  ] as const) {
    const at = text.indexOf(mark)
    if (at >= 0)
      return `${name} at character ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 30), at + 30))}`
  }
  return null
}

/**
 * What a served page must have: a title that is not empty (WCAG 2.4.2), error pages included (a 403, a 404, a
 * 500: app/utils/page-meta.ts). Returns the problem, or null.
 */
export function missingTitleIn(html: string): string | null {
  const title = /<title[^>]*>([^<]*)<\/title>/.exec(html)
  if (!title) return 'no <title>'
  return title[1]!.trim() === '' ? 'an empty <title>' : null
}

/** Reads the body of every HTML document a watched browser context receives and keeps what is corrupted or untitled. */
class DocumentWatch {
  private readonly watched = new WeakSet<BrowserContext>()
  private pending: Promise<void>[] = []
  private found: string[] = []

  watch(context: BrowserContext): BrowserContext {
    if (this.watched.has(context)) return context
    this.watched.add(context)
    context.on('response', (response) => {
      if (response.request().resourceType() !== 'document') return
      if (!(response.headers()['content-type'] ?? '').startsWith('text/html')) return
      this.pending.push(
        response.body().then(
          (body) => {
            const html = body.toString('utf8')
            for (const problem of [corruptionIn(html), missingTitleIn(html)])
              if (problem) this.found.push(`${response.url()} (${response.status()}): ${problem}`)
          },
          // A document left before its body arrived (a redirect followed, a context closed) has nothing to read.
          () => {},
        ),
      )
    })
    return context
  }

  /** Every corrupted or untitled document received since the last call. */
  async collect(): Promise<string[]> {
    while (this.pending.length > 0) await Promise.all(this.pending.splice(0))
    return this.found.splice(0)
  }
}

/**
 * Playwright's test with one automatic check: every HTML page any test opens — in its own page, or in a context
 * it makes with browser.newContext() — is free of U+0000 and U+FFFD and has a title that is not empty. Import
 * `test` and `expect` from here.
 */
export const test = base.extend<{ intactDocuments: void }, { documentWatch: DocumentWatch }>({
  documentWatch: [
    async ({ browser }, use) => {
      const watch = new DocumentWatch()
      const newContext = browser.newContext.bind(browser)
      // Contexts a test makes for a second user are watched too.
      browser.newContext = (async (options) =>
        watch.watch(await newContext(options))) as Browser['newContext']
      await use(watch)
    },
    { scope: 'worker', auto: true },
  ],
  intactDocuments: [
    async ({ context, documentWatch }, use) => {
      documentWatch.watch(context)
      await use()
      expect(await documentWatch.collect(), 'pages served with U+0000 or U+FFFD, or without a title').toEqual([])
    },
    { auto: true },
  ],
})

export { expect }
