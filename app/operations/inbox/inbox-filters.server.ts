import { desc, eq } from 'drizzle-orm'
import { z } from 'zod'
import type { TenantTx } from '../../../db/tenant-context'
import { themes } from '../../../db/schema'
import type { ProposalTenant } from '../proposals/context.server'
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

/**
 * The city's themes as the inbox's filter offers them (id and title, newest first), inside the
 * caller's tenant transaction: only what the choice shows, not the themes' texts.
 */
export function readThemeChoices(tx: TenantTx, tenant: ProposalTenant) {
  return tx
    .select({ id: themes.id, titleJa: themes.titleJa, titleEn: themes.titleEn })
    .from(themes)
    .where(eq(themes.tenantId, tenant.id))
    .orderBy(desc(themes.createdAt), desc(themes.id))
}
