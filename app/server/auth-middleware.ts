import type express from 'express'
import type { Auth } from '../utils/auth.server'
import { isSameOriginRequest } from '../utils/origin-check.server'

/**
 * Validates the session cookie once per request and records the result in
 * `res.locals` (read by the request log and by `getLoadContext`). A live
 * session's cookie is sent back on every response; a dead one is cleared.
 * A response to a signed-in request is never cached as public, and one that
 * says nothing of caching is not stored at all: it may show the user's own data.
 */
export function sessionMiddleware(auth: Auth): express.RequestHandler {
  return async (req, res, next) => {
    res.locals.clientIp = req.ip ?? null
    try {
      // Inside the try: an async middleware's throw would be an unhandled rejection, which ends the process.
      const sessionId = auth.readSessionId(req.headers.cookie)
      if (!sessionId) return next()
      const validated = await auth.validateSession(sessionId)
      if (!validated) {
        res.append('Set-Cookie', auth.blankCookie())
        return next()
      }
      res.locals.session = validated.session
      res.locals.user = validated.user
      res.locals.userId = validated.user.id
      res.append('Set-Cookie', auth.sessionCookie(validated.session.id))
      keepResponsePrivate(res)
      next()
    } catch (error) {
      next(error)
    }
  }
}

function keepResponsePrivate(res: express.Response) {
  const writeHead = res.writeHead
  res.writeHead = function (this: express.Response, ...args: Parameters<typeof writeHead>) {
    const cacheControl = res.getHeader('Cache-Control')
    if (typeof cacheControl === 'string')
      res.setHeader('Cache-Control', cacheControl.replace(/\bpublic\b/, 'private'))
    else if (cacheControl === undefined) res.setHeader('Cache-Control', 'private, no-store')
    return writeHead.apply(this, args)
  } as typeof writeHead
}

/**
 * The one state change that comes from elsewhere by design: an alert mail's unsubscribe address, which a
 * mail client POSTs itself (RFC 8058 one-click). Its token is its whole authority; no session is used.
 */
const CAPABILITY_POSTS = /^\/alerts\/unsubscribe\/[0-9a-f]{64}$/

/** CSRF: every request that may change state must come from a page of this site. */
/** The expected origin is APP_ORIGIN, never one derived from the Host header the client sends. */
export function originCheck(options: { appOrigin: string }): express.RequestHandler {
  return (req, res, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next()
    if (req.method === 'POST' && CAPABILITY_POSTS.test(req.path)) return next()
    const expected = options.appOrigin
    if (isSameOriginRequest({ origin: req.get('origin'), referer: req.get('referer'), expected }))
      return next()
    res.status(403).type('text/plain').send('Forbidden: cross-site request')
  }
}

/**
 * Past the origin check, every request names the site by APP_ORIGIN's host: whatever Host (or
 * X-Forwarded-Host) the client sent, no URL built from the request can point elsewhere, and Remix's
 * own host-against-Origin comparison sees the origin the check has accepted (not a 500 behind a proxy).
 */
export function canonicalHost(options: { appOrigin: string }): express.RequestHandler {
  const host = new URL(options.appOrigin).host
  return (req, _res, next) => {
    req.headers.host = host
    delete req.headers['x-forwarded-host']
    next()
  }
}
