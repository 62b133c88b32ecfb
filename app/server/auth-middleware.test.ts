import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '~/test/harness'
import { originCheck, sessionMiddleware } from './auth-middleware'

/** The two middlewares as main.ts mounts them, in front of a handler that reports what it saw. */
let h: Harness
let server: Server
let base: string
let cookie: string
let sessionId: string
let userId: string
let validations = 0
/** A request to /held waits here, after the middleware has run, until the test lets it finish. */
let hold: { arrived: () => void; released: Promise<void> } | undefined
/** The site's public origin; the test server itself listens elsewhere (as behind a proxy). */
const APP_ORIGIN = 'https://desk.example.jp'

beforeAll(async () => {
  h = await createHarness()
  const [user] = await h.db.adminSql<{ id: string }[]>`SELECT id FROM users WHERE email = 'biz1@example.com'`
  const started = await h.auth.startSession(user!.id, { ip: null, userAgent: null })
  userId = user!.id
  sessionId = started.session.id
  cookie = started.cookie.split(';')[0]!
  const counting = {
    ...h.auth,
    validateSession: (id: string) => {
      validations++
      return h.auth.validateSession(id)
    },
  }
  const app = express()
  app.use(originCheck({ appOrigin: APP_ORIGIN }))
  app.use(sessionMiddleware(counting))
  app.get('/held', async (_req, res) => {
    hold?.arrived()
    await hold?.released
    res.json({ userId: res.locals.userId ?? null })
  })
  app.all('*', (req, res) => {
    if (req.path !== '/uncached') res.setHeader('Cache-Control', 'public, max-age=60')
    res.json({ userId: res.locals.userId ?? null })
  })
  server = app.listen(0)
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server?.close()
  await h?.close()
})

describe('origin check (CSRF)', () => {
  it('refuses a cross-site POST', async () => {
    const response = await fetch(`${base}/sign-out`, {
      method: 'POST',
      headers: { Origin: 'https://attacker.example', Cookie: cookie },
    })
    expect(response.status).toBe(403)
    // The session survived.
    expect(await h.auth.validateSession(sessionId)).not.toBeNull()
  })

  it('refuses a POST with neither Origin nor Referer, and one from a look-alike origin', async () => {
    expect((await fetch(`${base}/x`, { method: 'POST' })).status).toBe(403)
    expect(
      (await fetch(`${base}/x`, { method: 'POST', headers: { Origin: `${base}.attacker.example` } })).status,
    ).toBe(403)
    expect((await fetch(`${base}/x`, { method: 'POST', headers: { Origin: 'null' } })).status).toBe(403)
  })

  it('refuses a POST whose Origin matches its Host header but not APP_ORIGIN', async () => {
    // The Host header is the client's to choose: the check never derives the expected origin from it.
    const response = await fetch(`${base}/x`, { method: 'POST', headers: { Origin: base } })
    expect(response.status).toBe(403)
  })

  it('lets a same-origin POST and any GET through', async () => {
    expect((await fetch(`${base}/x`, { method: 'POST', headers: { Origin: APP_ORIGIN } })).status).toBe(200)
    expect(
      (await fetch(`${base}/x`, { method: 'POST', headers: { Referer: `${APP_ORIGIN}/sign-in` } })).status,
    ).toBe(200)
    expect((await fetch(`${base}/x`, { headers: { Origin: 'https://attacker.example' } })).status).toBe(200)
  })
})

describe('session middleware', () => {
  it('treats a malformed cookie header as signed out (it used to end the process)', async () => {
    // lucia decodes every cookie; a bad %-escape threw inside the async middleware: an unhandled rejection.
    const response = await fetch(`${base}/page`, { headers: { Cookie: `other=%ZZ; ${cookie}` } })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ userId: null })
    expect((await fetch(`${base}/page`, { headers: { Cookie: cookie } })).status).toBe(200)
  })

  it('validates once per request, records the user and always sends a refreshed cookie', async () => {
    const before = validations
    const response = await fetch(`${base}/page`, { headers: { Cookie: cookie } })
    expect(validations - before).toBe(1)
    expect(await response.json()).toMatchObject({ userId: expect.any(String) })
    expect(response.headers.get('set-cookie')).toContain(`session=${sessionId}`)
    // A signed-in response is never cached as public.
    expect(response.headers.get('cache-control')).toBe('private, max-age=60')
  })

  it('keeps a signed-in response that says nothing of caching out of every cache', async () => {
    const response = await fetch(`${base}/uncached`, { headers: { Cookie: cookie } })
    expect(response.headers.get('cache-control')).toBe('private, no-store')
    expect((await fetch(`${base}/uncached`)).headers.get('cache-control')).toBeNull()
  })

  it('clears an unknown or ended session cookie and treats the request as anonymous', async () => {
    const response = await fetch(`${base}/page`, { headers: { Cookie: 'session=not-a-session' } })
    expect(await response.json()).toEqual({ userId: null })
    expect(response.headers.get('set-cookie')).toMatch(/^session=; .*Max-Age=0/)
    expect(response.headers.get('cache-control')).toBe('public, max-age=60')
  })

  it('a late response of a session ended meanwhile re-sends only a dead id: the next request is anonymous', async () => {
    // The interleaving of a page load with a sign-out in another request: validated before, answered after.
    const started = await h.auth.startSession(userId, { ip: null, userAgent: null })
    const own = started.cookie.split(';')[0]!
    let arrived!: () => void
    let release!: () => void
    const validated = new Promise<void>((resolve) => (arrived = resolve))
    hold = { arrived, released: new Promise<void>((resolve) => (release = resolve)) }
    const late = fetch(`${base}/held`, { headers: { Cookie: own } })
    await validated
    await h.auth.endSession(started.session.id)
    release()
    const response = await late
    hold = undefined
    expect(await response.json()).toEqual({ userId })
    expect(response.headers.get('set-cookie')).toContain(own)
    // The browser now holds that cookie again; it names an ended session, which never validates again.
    const next = await fetch(`${base}/page`, { headers: { Cookie: own } })
    expect(await next.json()).toEqual({ userId: null })
    expect(next.headers.get('set-cookie')).toMatch(/^session=; .*Max-Age=0/)
  })

  it('sends no cookie to a visitor without one', async () => {
    const response = await fetch(`${base}/page`)
    expect(response.headers.get('set-cookie')).toBeNull()
  })
})
