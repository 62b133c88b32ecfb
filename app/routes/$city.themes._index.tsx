import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { Pager } from '~/components/pager'
import { PageIntro } from '~/components/portal/page-intro'
import { ThemeList } from '~/components/portal/theme-list'
import { themeSummary } from '~/http/portal/content-views'
import { cityPageMeta } from '~/utils/page-meta'
import { acceptsThemes } from '~/utils/portal/navigation'
import { cityPageLoader, notFound, portalHeaders } from '~/http/portal-page.server'
import { pageOpenThemes } from '~/operations/portal/themes.server'
import { readPageQuery } from '~/http/form-validation.server'
import { RefusedQueryNotice } from '~/components/forms'
import { TenantText } from '~/components/portal/text-language'

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(
    args,
    'city-themes',
    async (page) => {
      if (!acceptsThemes(page.config)) notFound()
      const themeTypes = page.config.proposalTypes.filter((type) => type.answersPublishedTheme)
      // A page number that is not one is answered 400 and the first page, said above the list.
      const { page: requested, fieldErrors } = readPageQuery(new URL(args.request.url).searchParams)
      const listed = await page.readPublic((tx) => pageOpenThemes(tx, requested), {
        themes: [],
        total: 0,
        page: 1,
        pageCount: 1,
        offset: 0,
      })
      return {
        slug: page.tenant.slug,
        title: page.t('portal:themes.title'),
        themeTypes: themeTypes.map((type) => ({
          id: type.id,
          label: page.text(type.label),
          description: page.text(type.description),
        })),
        themes: listed.themes.map((theme) => themeSummary(theme, page)),
        total: listed.total,
        page: listed.page,
        pageCount: listed.pageCount,
        fieldErrors,
      }
    },
    (data) => ('page' in data.fieldErrors ? 400 : 200),
  )
}

export const headers = portalHeaders

export default function Themes() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  return (
    <>
      <PageIntro title={data.title} lead={t('themes.lead')} />
      <RefusedQueryNotice errors={data.fieldErrors} />
      {data.themeTypes.map((type) => (
        <p key={type.id}>
          <strong>
            <TenantText>{type.label}</TenantText>
          </strong>
          : <TenantText>{type.description}</TenantText>
        </p>
      ))}
      <h2>{t('themes.open', { count: data.total })}</h2>
      <ThemeList slug={data.slug} themes={data.themes} headingLevel={3} />
      <Pager page={data.page} pageCount={data.pageCount} />
    </>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
