import type { TenantConfig } from '@desk/tenant-config'

export type NavigationKey =
  | 'home'
  | 'howToPropose'
  | 'themes'
  | 'cases'
  | 'methods'
  | 'experiments'
  | 'schemes'
  | 'notes'
  | 'eligibility'
  | 'contact'

export type NavigationItem = { key: NavigationKey; path: string }

/** The city's pages, in menu order; pages for parts a city's file does not have are left out. */
export function cityNavigation(config: TenantConfig): NavigationItem[] {
  const items: (NavigationItem | false)[] = [
    { key: 'home', path: '' },
    { key: 'howToPropose', path: '/how-to-propose' },
    { key: 'themes', path: '/themes' },
    { key: 'cases', path: '/cases' },
    { key: 'methods', path: '/methods' },
    Boolean(config.experimentSupport) && { key: 'experiments', path: '/experiments' },
    Boolean(config.otherSchemes) && { key: 'schemes', path: '/schemes' },
    { key: 'notes', path: '/notes' },
    { key: 'eligibility', path: '/eligibility' },
    { key: 'contact', path: '/contact' },
  ]
  return items.filter((item): item is NavigationItem => item !== false)
}
