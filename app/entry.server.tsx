import { Writable } from 'node:stream'
import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { renderToPipeableStream } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { getI18n } from './utils/i18n.server'
import { getLocale } from './utils/locale.server'
import { NonceProvider } from './utils/nonce-provider'

const ABORT_DELAY = 5_000

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const i18n = await getI18n(await getLocale(request))
  const nonce = loadContext.cspNonce

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <RemixServer
            context={withMatchedRoutesOnly(remixContext)}
            url={request.url}
            abortDelay={ABORT_DELAY}
            nonce={nonce}
          />
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce,
        // No page defers data or suspends, so the shell is the whole document: it is sent as one
        // buffer with its length, not streamed in React's 2 KB chunks — each chunk was its own
        // socket write, ≈ 15 % of the server's time on a 50-row inbox page (docs/performance.md).
        onAllReady() {
          shellRendered = true
          const chunks: Buffer[] = []
          pipe(
            new Writable({
              write(chunk: Buffer, _encoding, done) {
                chunks.push(chunk)
                done()
              },
              final(done) {
                const body = Buffer.concat(chunks)
                responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
                responseHeaders.set('Content-Length', String(body.byteLength))
                clearTimeout(abortTimer)
                resolve(new Response(body, { headers: responseHeaders, status: responseStatusCode }))
                done()
              },
            }),
          )
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          if (shellRendered) loadContext.log.error({ err: error }, 'render error')
        },
      },
    )
    const abortTimer = setTimeout(abort, ABORT_DELAY)
  })
}

/**
 * The context with a manifest of the matched routes only. `RemixServer` builds React Router's routes from
 * the manifest's routes for every document (`createServerRoutes`, `createStaticRouter`), and the static
 * router matches the address against all of them again (`matchRoutes`: each route flattened, ranked and its
 * path compiled to a regular expression): for 75 routes ≈ 5 % of the desk proposal page's server CPU
 * (docs/performance.md, "the desk proposal page (session 10)"). What the document shows comes from the
 * matched routes alone — their modules, links, meta and scripts; the browser gets the whole manifest from
 * the build's manifest file (no route discovery) — and the matched branch matches the address as the whole
 * tree does, so the HTML is the same. `staticHandlerContext` stays the same object: Remix records on it the
 * error boundary a render error goes to.
 */
function withMatchedRoutesOnly(context: EntryContext): EntryContext {
  const routes: EntryContext['manifest']['routes'] = {}
  for (const { route } of context.staticHandlerContext.matches) routes[route.id] = context.manifest.routes[route.id]!
  return { ...context, manifest: { ...context.manifest, routes } }
}

export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  // Aborted requests and expected HTTP errors (a 404 for an unknown URL) are not failures.
  if (request.signal.aborted || isRouteErrorResponse(error)) return
  context.log.error({ err: error }, 'unhandled error')
}
