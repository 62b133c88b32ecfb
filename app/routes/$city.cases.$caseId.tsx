import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { CaseDetail } from '~/components/portal/case-detail'
import { listPublishedCaseImages, listPublishedCases } from '~/operations/portal/cases.server'
import { caseDetail } from '~/http/portal/content-views'
import { cityPageMeta } from '~/utils/page-meta'
import { cityPageLoader, notFound, portalHeaders } from '~/http/portal-page.server'

const CaseIdSchema = z.string().uuid()

export async function loader(args: LoaderFunctionArgs) {
  const caseId = CaseIdSchema.safeParse(args.params.caseId)
  if (!caseId.success) notFound()
  return cityPageLoader(args, 'city-case', async (page) => {
    const cases = await page.readPublic(listPublishedCases, [])
    const publishedCase = cases.find((candidate) => candidate.id === caseId.data)
    if (!publishedCase) notFound()
    const images = await page.readPublic((tx) => listPublishedCaseImages(tx, publishedCase.id), [])
    return {
      slug: page.tenant.slug,
      title: page.text(publishedCase.title),
      detail: caseDetail(
        publishedCase,
        page,
        images.map((image) => ({
          src: `/${page.tenant.slug}/cases/${publishedCase.id}/images/${image.id}`,
          alt: page.text(image.alt),
        })),
      ),
    }
  })
}

export const headers = portalHeaders

export default function Case() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  return (
    <article>
      <p className="breadcrumb">
        <Link to={`/${data.slug}/cases`}>{t('cases.back')}</Link>
      </p>
      <CaseDetail data={data.detail} />
    </article>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
