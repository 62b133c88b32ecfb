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
  app.use(errorPages(quiet))
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
})
