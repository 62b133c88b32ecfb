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

/** Reads the body of every HTML document a watched browser context receives and keeps what is corrupted. */
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
            const problem = corruptionIn(body.toString('utf8'))
            if (problem) this.found.push(`${response.url()}: ${problem}`)
          },
          // A document left before its body arrived (a redirect followed, a context closed) has nothing to read.
          () => {},
        ),
      )
    })
    return context
  }

  /** Every corrupted document received since the last call. */
  async collect(): Promise<string[]> {
    while (this.pending.length > 0) await Promise.all(this.pending.splice(0))
    return this.found.splice(0)
  }
}

/**
 * Playwright's test with one automatic check: every HTML page any test opens — in its own page, or in a context
 * it makes with browser.newContext() — is free of U+0000 and U+FFFD. Import `test` and `expect` from here.
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
      expect(await documentWatch.collect(), 'pages served with U+0000 or U+FFFD').toEqual([])
    },
    { auto: true },
  ],
})

export { expect }
