import type { LinksFunction } from '@remix-run/node'
import portalStylesHref from '~/styles/portal.css'

/** The city portals' styles: lists, cards, filters and facts look the same across cities and on the platform's pages. */
export const portalLinks: LinksFunction = () => [{ rel: 'stylesheet', href: portalStylesHref }]
