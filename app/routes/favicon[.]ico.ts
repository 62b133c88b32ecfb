import { redirect } from '@remix-run/node'

/**
 * Browsers ask for /favicon.ico wherever a page names no icon (a feed, a downloaded file shown in the tab):
 * the site's icon is its SVG. Without this each such visit rendered the not-found page.
 */
export function loader() {
  return redirect('/favicon.svg', { status: 301, headers: { 'Cache-Control': 'public, max-age=86400' } })
}
