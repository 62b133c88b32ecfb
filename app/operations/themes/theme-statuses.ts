/** A theme's life: drafted, open for proposals, closed. Not a server module: the desk's buttons list them. */
export const themeStatuses = ['draft', 'open', 'closed'] as const
export type ThemeStatus = (typeof themeStatuses)[number]
