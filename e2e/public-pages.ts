import { readdir, readFile } from 'node:fs/promises'
import type { APIRequestContext } from '@playwright/test'
import { parse } from 'yaml'
import { corruptionIn } from './test'

/** Slugs of every tenant file: the product's cities and the e2e fixture cities. */
export async function tenantSlugs(): Promise<string[]> {
  const slugs: string[] = []
  for (const dir of ['tenants', 'e2e/fixtures/tenants']) {
    for (const file of (await readdir(dir)).filter((name) => name.endsWith('.yaml')).sort()) {
      const { slug } = parse(await readFile(`${dir}/${file}`, 'utf8')) as { slug: string }
      slugs.push(slug)
    }
  }
  return slugs
}

/** Signed-in, operator, staff, one-time and non-page addresses: not part of the public site. */
const NOT_PUBLIC = [
  /^\/(account|proposals|operator|organisations|dev|sign-out|locale|reset-password|healthz|readyz)(\/|$)/,
  /^\/[^/]+\/(desk|invitation)(\/|$)/,
  /\.(css|csv|json|atom|svg|png|jpe?g|webp|gif|ico|js)$/,
  /\/images\//,
]

export type PublicPage = { path: string; status: number; body: string }

/**
 * Every public page reachable by links from the platform home and from each city's home, fetched as an
 * anonymous visitor with `request`'s cookies (its language). Query strings are dropped: a page is visited once.
 * With `onlyCities`, the crawl starts at those cities' homes and stays within their pages.
 */
export async function crawlPublicPages(
  request: APIRequestContext,
  citySlugs: string[],
  { onlyCities = false } = {},
): Promise<PublicPage[]> {
  const cityHomes = citySlugs.map((slug) => `/${slug}`)
  // The cross-city lists (issue 22) are crawled from the platform home too; named so they are never missed.
  const queue = onlyCities ? [...cityHomes] : ['/', '/themes', '/cases', ...cityHomes]
  const inScope = (path: string) =>
    !onlyCities || cityHomes.some((home) => path === home || path.startsWith(`${home}/`))
  const seen = new Set(queue)
  const pages: PublicPage[] = []
  while (queue.length > 0) {
    const path = queue.shift()!
    const response = await request.get(path)
    if (!(response.headers()['content-type'] ?? '').startsWith('text/html')) continue
    const body = (await response.body()).toString('utf8')
    pages.push({ path, status: response.status(), body })
    for (const [, href] of body.matchAll(/<a\b[^>]*\bhref="([^"#?]*)/g)) {
      if (!href!.startsWith('/') || href!.startsWith('//')) continue
      const next = href!.replace(/&amp;/g, '&')
      if (seen.has(next) || !inScope(next) || NOT_PUBLIC.some((pattern) => pattern.test(next))) continue
      seen.add(next)
      queue.push(next)
    }
  }
  return pages
}

/** An anonymous visitor of the e2e server who has chosen `locale`. */
export async function visitorIn(
  playwright: { request: { newContext: (options: object) => Promise<APIRequestContext> } },
  origin: string,
  locale: 'ja' | 'en',
): Promise<APIRequestContext> {
  const visitor = await playwright.request.newContext({
    baseURL: origin,
    extraHTTPHeaders: { Origin: origin },
  })
  if (locale === 'en') await visitor.post('/locale', { form: { locale: 'en', redirectTo: '/' } })
  return visitor
}

/** Pages whose body holds U+0000 or U+FFFD, with where. */
export function corruptedPages(pages: PublicPage[]): string[] {
  return pages.flatMap((page) => {
    const problem = corruptionIn(page.body)
    return problem ? [`${page.path}: ${problem}`] : []
  })
}
