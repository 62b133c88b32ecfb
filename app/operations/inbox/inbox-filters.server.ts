import { desc, eq } from 'drizzle-orm'
import type { TenantTx } from '../../../db/tenant-context'
import { themes } from '../../../db/schema'
import type { ProposalTenant } from '../proposals/context.server'

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
