import type { LoaderFunctionArgs } from '@remix-run/node'
import { attachmentResponse } from '~/operations/attachments/attach-files.server'
import { proposalTenant } from '~/http/edge.server'
import { recordAttachmentDownload } from '~/operations/proposals/audit-records.server'
import { requireCityRole } from '~/http/guards.server'
import { CITY_STAFF_ROLES } from '~/http/desk-request.server'
import { refusal } from '~/http/errors.server'

/** A staff download: files of proposals the staff member may see (policy `attachments_select`), audited. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireCityRole(context, params.city, CITY_STAFF_ROLES, request)
  const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
  try {
    const attachment = await recordAttachmentDownload(context.db, {
      tenant,
      actor: { kind: 'staff', userId: staff.user.id },
      attachmentId: params.attachmentId ?? '',
      ip: context.clientIp,
    })
    return await attachmentResponse(context.files, tenant.id, attachment)
  } catch (error) {
    if (error instanceof Response) throw error
    throw refusal(error)
  }
}
