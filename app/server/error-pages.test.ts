import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resources } from '../i18n'
import type { Logger } from '../utils/logger.server'
import { localeCookie } from '../utils/locale.server'
import { errorPages } from './error-pages'

/**
 * The pages of failures before Remix (a malformed address, the session lookup
 * without a database): in the reader's language, with a browser title that
 * says what failed and where (WCAG 2.4.2), as Remix's error pages do.
 */

const quiet = { error: () => {}, warn: () => {} } as unknown as Logger
/** The root route's links, as main.ts gives them from the build (one with a character to escape). */
const LINKS = [
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  { rel: 'stylesheet', href: '/build/_assets/app-TEST.css' },
  { rel: 'stylesheet', href: '/build/_assets/forms-"TEST".css' },
]
let origin: string
let close: () => void

beforeAll(async () => {
  const app = express()
  app.get('/status/:code', (req) => {
    throw Object.assign(new Error('refused'), { status: Number(req.params.code) })
  })
  app.get('/bug', () => {
    throw new Error('a bug')
  })
  app.use(errorPages(quiet, { documentLinks: () => LINKS }))
  const server = app.listen(0)
  await new Promise((resolve) => server.once('listening', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => server.close()
})

afterAll(() => close?.())

const page = async (path: string, locale: 'ja' | 'en') => {
  const response = await fetch(origin + path, { headers: { cookie: await localeCookie.serialize(locale) } })
  return { status: response.status, html: await response.text() }
}

describe('the error pages before Remix', () => {
  it('title a page by what failed and the platform, in the reader’s language', async () => {
    for (const locale of ['ja', 'en'] as const) {
      const site = resources[locale].common.platform.name
      const notFound = await page('/status/404', locale)
      expect(notFound.status).toBe(404)
      expect(notFound.html).toMatch(new RegExp(`<title>[^<|]+ \\| ${site}</title>`))
      expect(notFound.html).toContain(`lang="${locale}"`)
      // A status the locale files word (422 was missing from the page's own list) and a bug.
      for (const path of ['/status/422', '/bug']) {
        const { html } = await page(path, locale)
        const heading = html.match(/<h1>([^<]+)<\/h1>/)?.[1]
        expect(heading).toBeTruthy()
        expect(html).toContain(`<title>${heading} | ${site}</title>`)
      }
    }
    const unprocessable = await page('/status/422', 'ja')
    const unexpected = await page('/bug', 'ja')
    expect(unprocessable.html.match(/<h1>[^<]+/)?.[0]).not.toBe(unexpected.html.match(/<h1>[^<]+/)?.[0])
  })

  it('look like the app’s pages: its stylesheets, header, main landmark and footer, without scripts', async () => {
    for (const locale of ['ja', 'en'] as const) {
      const common = resources[locale].common
      const { status, html } = await page('/status/503', locale)
      expect(status).toBe(503)
      expect(html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">')
      expect(html).toContain('<link rel="stylesheet" href="/build/_assets/app-TEST.css">')
      expect(html).toContain('<link rel="stylesheet" href="/build/_assets/forms-&quot;TEST&quot;.css">')
      expect(html).toContain(`<a class="skip-link" href="#main">${common.layout.skipToContent}</a>`)
      expect(html).toContain(`<a href="/" class="site-header__brand">${common.platform.name}</a>`)
      expect(html).toMatch(/<main id="main" tabindex="-1"><section class="error-panel" role="alert"><h1>[^<]+<\/h1>/)
      expect(html).toContain(`<p class="error-code">${common.errors.code.replace('{{status}}', '503')}</p>`)
      expect(html).toContain(`<footer class="site-footer"><p>${common.platform.footer}</p></footer>`)
      expect(html).not.toContain('<script')
    }
  })
})
