import { parseStateMapping, type StateMapping, type TenantPlan } from '@desk/tenant-config'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant } from '../../../db/tenant-context'
import { INVITATION_TTL_DAYS, TenantApplyError, type AppliedTenant } from '../../../db/operator/apply-tenant'
import type { OperatorTasks } from '../../../db/operator/tasks'
import type { Locale } from '../../i18n'
import { getFixedT } from '../../utils/i18n.server'
import type { TenantRegistry } from '../../utils/tenant-registry.server'
import { recordOperatorAction } from './record-operator-action.server'
import type { Operator } from '../actors'
import { AppError } from '../app-error'

export type TenantFileUpload = {
  source: string
  file: string
  /** `track.old_state=new_state`, one per line. */
  mapping: string
}

type Services = { db: RuntimeDb; tasks: OperatorTasks; tenants: TenantRegistry }

function mappingOf(text: string): StateMapping {
  const { mapping, problems } = parseStateMapping(text.split(/\r?\n/))
  if (problems.length > 0) throw new AppError('plan_refused', 'plan_refused', { problems: problems })
  return mapping
}

/** Validates the file and gives the dry-run plan; changes no city. */
export async function planCityFile(
  services: Services,
  operator: Operator,
  upload: TenantFileUpload & { ip: string | null },
): Promise<TenantPlan> {
  const prepared = await services.tasks.planTenant({ ...upload, stateMapping: mappingOf(upload.mapping) })
  if (!prepared.ok) throw new AppError('invalid_file', 'invalid_file', { problems: prepared.problems })
  await withTenant(services.db, operator.tenantContext, (tx) =>
    recordOperatorAction(tx, {
      operatorId: operator.user.id,
      action: 'tenant.planned',
      ip: upload.ip,
      citySlug: prepared.plan.slug,
      payload: { file: upload.file, kind: prepared.plan.kind, applicable: prepared.plan.applicable },
    }),
  )
  return prepared.plan
}

/**
 * Applies the file (re-planned inside the apply), invites the first desk
 * admin, and reloads this server's registry so the city serves at once.
 */
export async function applyCityFile(
  services: Services,
  operator: Operator,
  upload: TenantFileUpload & { adminEmail: string; origin: string; locale: Locale },
): Promise<AppliedTenant> {
  const t = await getFixedT(upload.locale)
  try {
    const applied = await services.tasks.applyTenant({
      source: upload.source,
      file: upload.file,
      stateMapping: mappingOf(upload.mapping),
      actorUserId: operator.user.id,
      invitation: upload.adminEmail
        ? {
            email: upload.adminEmail,
            origin: upload.origin,
            mail: (link) => ({
              subject: t('operator:invitationMail.subject'),
              text: t('operator:invitationMail.body', { link, days: INVITATION_TTL_DAYS }),
            }),
          }
        : undefined,
    })
    await services.tenants.reload()
    return applied
  } catch (error) {
    if (error instanceof TenantApplyError) throw new AppError('plan_refused', 'plan_refused', { problems: error.problems })
    throw error
  }
}
