import { notFound } from '~/http/portal-page.server'

/**
 * Any unknown address below a city (`/{city}/nope`, `/{city}/a/b`): a 404 inside the
 * city's layout. Without this route such an address matches no route at all; the
 * server then renders the root's 404 while the browser, which knows the city layout
 * as a partial match, starts route discovery instead and hydrates different markup
 * (React errors #418/#423). With it, server and browser match the same routes.
 */
export function loader(): never {
  notFound()
}

export default function UnknownCityPage() {
  return null
}

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
