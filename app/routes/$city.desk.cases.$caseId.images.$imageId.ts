import type { LoaderFunctionArgs } from '@remix-run/node'
import { caseImageResponse, findCaseImage } from '~/operations/cases/cases.server'
import { proposalTenant } from '~/http/edge.server'
import { inProposalTransaction } from '~/operations/proposals/context.server'
import { requireCityRole } from '~/http/guards.server'

/** An image of any case of the city, for the desk's preview (drafts included); never cached publicly. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireCityRole(context, params.city, ['desk_admin', 'desk_staff'], request)
  const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
  const image = await inProposalTransaction(
    context.db,
    tenant,
    { kind: 'staff', userId: staff.user.id },
    (tx) => findCaseImage(tx, params.caseId ?? '', params.imageId ?? ''),
  )
  if (!image) throw new Response('Not Found', { status: 404 })
  return caseImageResponse(context.files, tenant.id, image, 'private, no-store')
}
