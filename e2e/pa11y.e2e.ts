import { pa11yErrors } from './pa11y'
import { crawlPublicPages, tenantSlugs, visitorIn } from './public-pages'
import { expect, test } from './test'

const ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 3100}`

// The fixture cities' files are live only while e2e/operator.e2e.ts has them on; that test checks them itself.
for (const locale of ['ja', 'en'] as const) {
  test(`pa11y (HTML_CodeSniffer, WCAG2AA) finds no error on any public page of any city in ${locale}`, async ({
    playwright,
  }) => {
    test.setTimeout(600_000)
    const visitor = await visitorIn(playwright, ORIGIN, locale)
    const pages = (await crawlPublicPages(visitor, await tenantSlugs())).filter((page) => page.status === 200)
    expect(pages.length).toBeGreaterThan(20)
    expect(
      await pa11yErrors(
        ORIGIN,
        pages.map((page) => page.path),
        visitor,
      ),
    ).toEqual([])
    await visitor.dispose()
  })
}
