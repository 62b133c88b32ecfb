import type { LoaderFunctionArgs } from '@remix-run/node'
import { caseImageResponse, findCaseImage } from '~/operations/cases/cases.server'
import { asPublic } from '~/utils/portal/db.server'
import { notFound, requireCity } from '~/http/portal-page.server'
import { publishedContent } from '~/operations/portal/published-content.server'

/**
 * An image of a published case, read as the anonymous visitor: row-level
 * security returns it only while its case is published, so a draft's or a
 * withdrawn case's image is a 404 like any unknown one. Cached briefly, so a
 * withdrawal takes effect within minutes even in shared caches.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const tenant = requireCity(context, params.city)
  if (tenant.status !== 'live') notFound()
  const { tenantId } = await publishedContent(context, tenant.slug)
  if (!tenantId) notFound()
  const image = await asPublic(context, tenantId, (tx) =>
    findCaseImage(tx, params.caseId ?? '', params.imageId ?? ''),
  )
  if (!image) notFound()
  return caseImageResponse(context.files, tenantId, image, 'public, max-age=300')
}
