import type { MetaDescriptor } from '@remix-run/node'

type TitledData = { title?: string } | undefined
type Match = { id: string; data: unknown }

/** "Page | Desk": every portal page's title names the city's desk, from the layout's data. */
export function cityPageMeta({ data, matches }: { data: TitledData; matches: Match[] }): MetaDescriptor[] {
  const layout = matches.find((match) => match.id === 'routes/$city')?.data as { logoText?: string } | undefined
  const parts = [data?.title, layout?.logoText].filter((part): part is string => Boolean(part))
  return [{ title: [...new Set(parts)].join(' | ') }]
}
