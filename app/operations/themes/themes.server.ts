import { and, count, desc, eq } from 'drizzle-orm'
import { platformFieldsOf } from '@desk/tenant-config'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantDb, TenantTx } from '../../../db/tenant-context'
import { departments, themes } from '../../../db/schema'
import {
  inProposalTransaction,
  recordAudit,
  staffMembership,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'
import { isUuid } from '../../utils/ids'
import { LIST_PAGE_SIZE, pageOf } from '~/utils/paging'
import { themeDepartmentJoin, themeTextColumns } from '~/operations/portal/themes.server'
import { enqueueAlertMatching } from '../alerts/alerts.server'
import type { ThemeStatus } from './theme-statuses'
import { AppError } from '../app-error'

export type ThemeInput = {
  titleJa: string
  titleEn: string
  backgroundJa: string
  backgroundEn: string
  expectedOutcomeJa: string
  expectedOutcomeEn: string
  /** A department id from the tenant file, or none. */
  departmentKey: string | null
  deadline: string | null
  /** Ids of the tenant file's fields of activity. */
  fields?: string[]
}

/**
 * One page of the city's themes in every status (newest first) for the desk's
 * management screen, and how many there are.
 */
export async function listThemesForDesk(
  db: TenantDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    /** From 1; past the last, the last. */
    page: number
  },
) {
  const { tenant } = options
  return inProposalTransaction(db, tenant, options.actor, async (tx) => {
    const [counted] = await tx.select({ total: count() }).from(themes).where(eq(themes.tenantId, tenant.id))
    const paging = pageOf(options.page, counted?.total ?? 0)
    const rows = await readThemesForDesk(tx, tenant).limit(LIST_PAGE_SIZE).offset(paging.offset)
    return { themes: rows, ...paging }
  })
}

/** The city's themes in every status, newest first, inside the caller's tenant transaction. */
export function readThemesForDesk(tx: TenantTx, tenant: ProposalTenant) {
  return tx
    .select({
      id: themes.id,
      ...themeTextColumns,
      departmentKey: departments.key,
      deadline: themes.deadline,
      fields: themes.fields,
      status: themes.status,
    })
    .from(themes)
    .leftJoin(departments, themeDepartmentJoin)
    .where(eq(themes.tenantId, tenant.id))
    .orderBy(desc(themes.createdAt), desc(themes.id))
    .$dynamic()
}

/**
 * Creates a theme (as a draft) or edits one; with `status`, opens or closes it.
 * Desk roles only (policy `themes_write_desk`); audited. The caller
 * invalidates the public portal's cache.
 */
export async function saveTheme(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    themeId?: string
    input?: ThemeInput
    status?: ThemeStatus
  },
): Promise<{ themeId: string }> {
  const { tenant, actor, input, status } = options
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    const { role } = await staffMembership(tx, tenant, actor)
    if (role === 'department_staff') throw new AppError('forbidden', 'Themes are the desk’s')
    const departmentId = input?.departmentKey
      ? (
          await tx
            .select({ id: departments.id })
            .from(departments)
            .where(and(eq(departments.tenantId, tenant.id), eq(departments.key, input.departmentKey)))
        )[0]?.id
      : null
    if (input?.departmentKey && !departmentId) {
      throw new AppError('invalid_input', 'Unknown department', {
        issues: [{ path: ['departmentKey'], message: 'is not a department of this city' }],
      })
    }
    const unknownField = input?.fields?.find((id) => !tenant.config.fieldsOfActivity.some((field) => field.id === id))
    if (unknownField !== undefined) {
      throw new AppError('invalid_input', 'Unknown field of activity', {
        issues: [{ path: ['fields'], message: 'is not a field of activity of this city' }],
      })
    }
    const texts = input && (({ departmentKey: _key, fields: _fields, ...rest }) => rest)(input)
    const fields = input ? [...new Set(input.fields ?? [])] : undefined
    const values = {
      ...(texts ? { ...texts, departmentId } : {}),
      ...(fields ? { fields, platformFields: platformFieldsOf(tenant.config, fields) } : {}),
      ...(status ? { status, ...(status === 'open' ? { publishedAt: new Date() } : {}) } : {}),
      updatedAt: new Date(),
    }
    let themeId = options.themeId
    if (themeId === undefined) {
      if (!texts) throw new AppError('invalid_input', 'A new theme needs its texts')
      const [row] = await tx
        .insert(themes)
        .values({ ...values, ...texts, tenantId: tenant.id, createdBy: actor.userId })
        .returning({ id: themes.id })
      themeId = row!.id
    } else {
      const [row] = isUuid(themeId)
        ? await tx
            .update(themes)
            .set(values)
            .where(and(eq(themes.tenantId, tenant.id), eq(themes.id, themeId)))
            .returning({ id: themes.id })
        : []
      if (!row) throw new AppError('not_found', 'No such theme in this city')
    }
    await recordAudit(tx, tenant, actor, {
      action: options.themeId ? 'theme.update' : 'theme.create',
      targetType: 'theme',
      targetId: themeId,
      payload: status ? { status } : {},
    })
    // Opening a theme tells the members whose saved searches it matches (the job reads it back through
    // the cross-city view, so a draft or suspended city's theme, or one closed again meanwhile, is never mailed).
    if (status === 'open') await enqueueAlertMatching(tx, { kind: 'theme', id: themeId })
    return { themeId }
  })
}

/** A city's open themes, as a proposer choosing one sees them. */
export async function listOpenThemes(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor },
) {
  const { tenant, actor } = options
  return inProposalTransaction(db, tenant, actor, (tx) =>
    tx
      .select({ id: themes.id, titleJa: themes.titleJa, titleEn: themes.titleEn })
      .from(themes)
      .where(and(eq(themes.tenantId, tenant.id), eq(themes.status, 'open')))
      .orderBy(desc(themes.publishedAt)),
  )
}
