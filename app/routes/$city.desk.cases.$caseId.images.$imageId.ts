import type { LoaderFunctionArgs } from '@remix-run/node'
import { caseImageResponse, findCaseImage } from '~/operations/cases/cases.server'
import { withCityRole } from '~/http/guards.server'

/** An image of any case of the city, for the desk's preview (drafts included); never cached publicly. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // The desk membership and the image's row: one tenant transaction.
  const { tenantId, image } = await withCityRole(
    context,
    params.city,
    ['desk_admin', 'desk_staff'],
    request,
    async (staff, tx) => ({
      tenantId: staff.tenantId,
      image: await findCaseImage(tx, params.caseId ?? '', params.imageId ?? ''),
    }),
  )
  if (!image) throw new Response('Not Found', { status: 404 })
  return caseImageResponse(context.files, tenantId, image, 'private, no-store')
}
