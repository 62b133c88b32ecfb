import type { MetaDescriptor } from '@remix-run/node'

/**
 * The browser titles of the pages, one rule per kind of page. A route module
 * exports the one that fits (`export const meta = titleMeta`); each reads the
 * page's loader data, which is undefined when the loader threw (the title is
 * then empty and the error boundary names the failure).
 */

type TitledData = { title?: string } | undefined
type Match = { id: string; data: unknown }

/** A page of its own (platform, account, operator): the loader's `title`. */
export function titleMeta({ data }: { data: unknown }): MetaDescriptor[] {
  return [{ title: (data as TitledData)?.title ?? '' }]
}

/** "Page | City" for a desk page: the loader's `title` and `cityName`. */
export function deskPageMeta({ data }: { data: unknown }): MetaDescriptor[] {
  const page = data as { title: string; cityName: string } | undefined
  return [{ title: page ? `${page.title} | ${page.cityName}` : '' }]
}

/** A page reached by a secret link (an invitation): its title, and the link is not sent on as a referrer. */
export function secretLinkPageMeta(args: { data: unknown }): MetaDescriptor[] {
  return [...titleMeta(args), { name: 'referrer', content: 'no-referrer' }]
}

/** "Page | Desk": every portal page's title names the city's desk, from the layout's data. */
export function cityPageMeta({ data, matches }: { data: unknown; matches: Match[] }): MetaDescriptor[] {
  const layout = matches.find((match) => match.id === 'routes/$city')?.data as
    { logoText?: string } | undefined
  const parts = [(data as TitledData)?.title, layout?.logoText].filter((part): part is string =>
    Boolean(part),
  )
  return [{ title: [...new Set(parts)].join(' | ') }]
}
