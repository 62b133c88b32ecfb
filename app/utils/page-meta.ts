import type { MetaDescriptor } from '@remix-run/node'
import { defaultLocale, isLocale, resources, type Locale } from '~/i18n'
import { errorText } from './error-text'

/**
 * The browser titles of the pages, one rule per kind of page. A route module
 * exports the one that fits (`export const meta = titleMeta`); each reads the
 * page's loader data. On an error page (Remix passes the boundary's `error` to
 * every meta function, and the loader data is then usually missing) every rule
 * gives the same title instead: what failed, in the reader's language, and
 * where — never an empty title (WCAG 2.4.2).
 */

type Match = { id: string; data: unknown }

/** What the rules read of Remix's meta arguments; `Data` is the route's loader data. */
export type PageMetaArgs<Data> = { data: Data | undefined; error?: unknown; matches: readonly Match[] }

/** The reader's language: the root loader's, the default when the root has no data. */
function readerLocale(matches: readonly Match[]): Locale {
  const root = matches.find((match) => match.id === 'root')?.data
  return typeof root === 'object' && root !== null && 'locale' in root && isLocale(root.locale)
    ? root.locale
    : defaultLocale
}

/** The city's desk ("○○市 公民連携デスク") when the page is below a city whose layout loaded. */
function cityDeskName(matches: readonly Match[]): string | undefined {
  const layout = matches.find((match) => match.id === 'routes/$city')?.data
  return typeof layout === 'object' && layout !== null && 'logoText' in layout && typeof layout.logoText === 'string'
    ? layout.logoText
    : undefined
}

/** "<what failed> | <the city's desk, or the platform>", in the reader's language. */
export function errorPageTitle(error: unknown, matches: readonly Match[]): string {
  const locale = readerLocale(matches)
  const site = cityDeskName(matches) ?? resources[locale].common.platform.name
  return `${errorText(error, locale).title} | ${site}`
}

/**
 * The one way a page's title is made: `ownTitle` of the loader's data, or on an
 * error page (or without data) the error page's title. Routes with a title of
 * their own shape call it too.
 */
export function pageTitle<Data>(
  { data, error, matches }: PageMetaArgs<Data>,
  ownTitle: (data: Data) => string,
): MetaDescriptor {
  return { title: error == null && data !== undefined ? ownTitle(data) : errorPageTitle(error, matches) }
}

/** A page of its own (platform, account, operator): the loader's `title`. */
export function titleMeta(args: PageMetaArgs<{ title: string }>): MetaDescriptor[] {
  return [pageTitle(args, (data) => data.title)]
}

/** "Page | City" for a desk page: the loader's `title` and `cityName`. */
export function deskPageMeta(args: PageMetaArgs<{ title: string; cityName: string }>): MetaDescriptor[] {
  return [pageTitle(args, (data) => `${data.title} | ${data.cityName}`)]
}

/** A page reached by a secret link (an invitation): its title, and the link is not sent on as a referrer. */
export function secretLinkPageMeta(args: PageMetaArgs<{ title: string }>): MetaDescriptor[] {
  return [...titleMeta(args), { name: 'referrer', content: 'no-referrer' }]
}

/** "Page | Desk": every portal page's title names the city's desk, from the layout's data. */
export function cityPageMeta(args: PageMetaArgs<{ title?: string }>): MetaDescriptor[] {
  return [
    pageTitle(args, (data) => {
      const parts = [data.title, cityDeskName(args.matches)].filter((part): part is string => Boolean(part))
      return [...new Set(parts)].join(' | ')
    }),
  ]
}

/** The platform's own title (the root's, for a page without a meta of its own), or an error page's. */
export function rootMeta(args: PageMetaArgs<unknown>): MetaDescriptor[] {
  return [pageTitle(args, () => resources[readerLocale(args.matches)].common.platform.name)]
}
