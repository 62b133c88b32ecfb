import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { PageIntro } from '~/components/portal/page-intro'
import { TitledTextList } from '~/components/portal/titled-text-list'
import { cityPageMeta } from '~/utils/page-meta'
import { cityPageLoader, notFound, portalHeaders } from '~/http/portal-page.server'

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-schemes', ({ config, text, t }) => {
    const schemes = config.otherSchemes
    if (!schemes) notFound()
    return {
      title: t('portal:schemes.title'),
      intro: text(schemes.intro),
      schemes: schemes.items.map((scheme) => ({
        id: scheme.id,
        title: text(scheme.title),
        text: text(scheme.description),
      })),
    }
  })
}

export const headers = portalHeaders

export default function Schemes() {
  const data = useLoaderData<typeof loader>()
  return (
    <>
      <PageIntro title={data.title} lead={data.intro} />
      <TitledTextList items={data.schemes} headingLevel={2} variant="cards" />
    </>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
