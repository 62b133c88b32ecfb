import type { LoaderFunctionArgs } from '@remix-run/node'
import { attachmentResponse } from '~/operations/attachments/attach-files.server'
import { proposalTenant } from '~/http/edge.server'
import { recordAttachmentDownload } from '~/operations/proposals/audit-records.server'
import { requireUser } from '~/http/guards.server'
import { refusal } from '~/http/errors.server'

/** A proposer's download: shared files of their own proposals only (policy `attachments_select`), audited. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const tenant = await proposalTenant(context, params.city)
  try {
    const attachment = await recordAttachmentDownload(context.db, {
      tenant,
      actor: { kind: 'proposer', userId: user.id },
      attachmentId: params.attachmentId ?? '',
      ip: context.clientIp,
    })
    if (attachment.proposalId !== params.proposalId) throw new Response('Not Found', { status: 404 })
    return await attachmentResponse(context.files, tenant.id, attachment)
  } catch (error) {
    if (error instanceof Response) throw error
    throw refusal(error)
  }
}
