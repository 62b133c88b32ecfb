import { z } from 'zod'
import { inboxSorts, type InboxFilters } from './desk-inbox.server'

/** Filters come from the URL so a view can be bookmarked, shared and exported; anything malformed is ignored. */
const FiltersSchema = z.object({
  state: z.string().max(100).optional().catch(undefined),
  track: z.string().max(100).optional().catch(undefined),
  themeId: z.string().uuid().optional().catch(undefined),
  department: z.string().max(100).optional().catch(undefined),
  olderThanDays: z.coerce.number().int().min(1).max(3650).optional().catch(undefined),
  overdueOnly: z
    .literal('on')
    .transform(() => true)
    .optional()
    .catch(undefined),
  pastTargetOnly: z
    .literal('on')
    .transform(() => true)
    .optional()
    .catch(undefined),
  waitingOnly: z
    .literal('on')
    .transform(() => true)
    .optional()
    .catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
  sort: z.enum(inboxSorts).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
})

export function inboxFiltersFromUrl(url: URL): InboxFilters {
  return FiltersSchema.parse(Object.fromEntries([...url.searchParams].filter(([, value]) => value !== '')))
}
