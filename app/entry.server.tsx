import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { renderToString } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { getI18n } from './utils/i18n.server'
import { getLocale } from './utils/locale.server'
import { NonceProvider } from './utils/nonce-provider'

/**
 * The document, rendered whole to a string and sent as one body with its length. No page defers data or
 * suspends, so nothing is gained by streaming, and React's streaming renderer writes each of a page's
 * thousands of small strings into 2 KB byte views with its own `TextEncoder.encodeInto` call: ≈ 11 % of the
 * server's time on a 50-row inbox page, against one UTF-8 encoding of the finished string here
 * (docs/performance.md, "the inbox (session 13)"). A render error throws, and Remix renders the route's
 * error boundary instead, as it did for a shell error.
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const i18n = await getI18n(await getLocale(request))
  const nonce = loadContext.cspNonce
  const body = documentBody(
    <NonceProvider value={nonce}>
      <I18nextProvider i18n={i18n}>
        <RemixServer context={withMatchedRoutesOnly(remixContext)} url={request.url} nonce={nonce} />
      </I18nextProvider>
    </NonceProvider>,
  )
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
  responseHeaders.set('Content-Length', String(Buffer.byteLength(body)))
  return new Response(body, { headers: responseHeaders, status: responseStatusCode })
}

/** A document's markup: the doctype (the streaming renderer wrote it for an <html> root; renderToString does not) and the markup. */
export function documentBody(document: React.ReactElement): string {
  return `<!DOCTYPE html>${renderToString(document)}`
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
