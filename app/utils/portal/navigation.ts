import type { TenantConfig } from '@desk/tenant-config'

export type NavigationKey =
  | 'home'
  | 'howToPropose'
  | 'themes'
  | 'cases'
  | 'methods'
  | 'methodsAndRoles'
  | 'experiments'
  | 'schemes'
  | 'notes'
  | 'publication'
  | 'eligibility'
  | 'contact'

export type NavigationItem = { key: NavigationKey; path: string }

/** Whether the city publishes themes to answer: one of its proposal types answers them. */
export function acceptsThemes(config: TenantConfig): boolean {
  return config.proposalTypes.some((type) => type.answersPublishedTheme)
}

/**
 * The city's pages, in menu order; pages for parts a city's file does not
 * have are left out, and a page is named by what it holds (the methods page
 * names roles only with a role matrix, the notes page notes only with notes).
 */
export function cityNavigation(config: TenantConfig): NavigationItem[] {
  const items: (NavigationItem | false)[] = [
    { key: 'home', path: '' },
    { key: 'howToPropose', path: '/how-to-propose' },
    acceptsThemes(config) && { key: 'themes', path: '/themes' },
    { key: 'cases', path: '/cases' },
    { key: showsRoles(config) ? 'methodsAndRoles' : 'methods', path: '/methods' },
    Boolean(config.experimentSupport) && { key: 'experiments', path: '/experiments' },
    Boolean(config.otherSchemes) && { key: 'schemes', path: '/schemes' },
    { key: config.notes ? 'notes' : 'publication', path: '/notes' },
    { key: 'eligibility', path: '/eligibility' },
    { key: 'contact', path: '/contact' },
  ]
  return items.filter((item): item is NavigationItem => item !== false)
}

/** The methods page shows who does what: the role matrix, or the experiment support's split of roles. */
export function showsRoles(config: TenantConfig): boolean {
  return !!config.roleMatrix || !!config.experimentSupport
}
