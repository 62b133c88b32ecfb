import type { LoaderFunctionArgs } from '@remix-run/node'
import { darkenForContrast, isHexColour } from '~/utils/portal/contrast'

/**
 * The city's accent colour as a stylesheet. A stylesheet from this site is
 * allowed by the CSP on every kind of navigation, whereas an inline <style>
 * only works on the first page load: React cannot give a style element it
 * inserts during client-side navigation the request's nonce. The layout links
 * it with the tenant file's version, so the URL changes when the colour does.
 */
export function loader({ params, context }: LoaderFunctionArgs) {
  const tenant = context.tenants.get(params.city ?? '')
  const brand = tenant?.config.identity.accentColor
  if (!tenant || !brand || !isHexColour(brand)) throw new Response('Not found', { status: 404 })
  // Text and filled buttons use a shade dark enough for AA; the brand colour marks the header.
  const css = `:root{--accent:${darkenForContrast(brand)};--accent-brand:${brand}}\n`
  return new Response(css, {
    headers: {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=31536000, immutable',
    },
  })
}
