import { and, desc, eq } from 'drizzle-orm'
import type { TenantTx } from '../../../db/tenant-context'
import { themes } from '../../../db/schema'
import type { ProposalTenant } from '../proposals/context.server'
import type { StaffSide } from './desk-inbox.server'

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

/**
 * Whether the inbox's filter offers `themeId` (one of the city's themes; department staff have no theme filter),
 * inside the caller's tenant transaction: the export's check, as the page's is against readThemeChoices.
 */
export async function isThemeChoice(tx: TenantTx, tenant: ProposalTenant, side: StaffSide, themeId: string) {
  if (side === 'department') return false
  const [theme] = await tx
    .select({ id: themes.id })
    .from(themes)
    .where(and(eq(themes.tenantId, tenant.id), eq(themes.id, themeId)))
    .limit(1)
  return theme !== undefined
}
