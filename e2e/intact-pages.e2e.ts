import { expect, test } from './test'
import { corruptedPages, crawlPublicPages, tenantSlugs, visitorIn } from './public-pages'

const ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 3100}`

// The fixture cities' files are live only while e2e/operator.e2e.ts has them on; that test crawls them itself.
for (const locale of ['ja', 'en'] as const) {
  test(`every public page of every city is served intact in ${locale} (no U+0000, no U+FFFD)`, async ({
    playwright,
  }) => {
    const visitor = await visitorIn(playwright, ORIGIN, locale)
    const pages = await crawlPublicPages(visitor, await tenantSlugs())
    await visitor.dispose()

    const live = pages.filter((page) => page.status === 200)
    // The crawl reached what it is meant to: each city's pages, the theme and case pages its lists link to.
    for (const slug of ['aomori', 'komatsu']) {
      const paths = live.map((page) => page.path)
      expect(paths).toEqual(
        expect.arrayContaining([
          `/${slug}`,
          `/${slug}/how-to-propose`,
          `/${slug}/eligibility`,
          `/${slug}/cases`,
        ]),
      )
      expect(paths.some((path) => path.startsWith(`/${slug}/themes/`))).toBe(true)
      expect(paths.some((path) => path.startsWith(`/${slug}/cases/`))).toBe(true)
    }
    for (const page of live) expect(page.body, page.path).toContain(`<html lang="${locale}"`)
    expect(corruptedPages(pages)).toEqual([])
  })
}
