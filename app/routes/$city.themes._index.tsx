import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { PageIntro } from '~/components/portal/page-intro'
import { ThemeList } from '~/components/portal/theme-list'
import { themeSummary } from '~/utils/portal/content-views'
import { cityPageMeta } from '~/utils/portal/meta'
import { acceptsThemes } from '~/utils/portal/navigation'
import { cityPageLoader, notFound, portalHeaders } from '~/utils/portal/page.server'
import { listOpenThemes } from '~/utils/portal/themes.server'

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-themes', async (page) => {
    if (!acceptsThemes(page.config)) notFound()
    const themeTypes = page.config.proposalTypes.filter((type) => type.answersPublishedTheme)
    const themes = await page.readPublic(listOpenThemes, [])
    return {
      slug: page.tenant.slug,
      title: page.t('portal:themes.title'),
      themeTypes: themeTypes.map((type) => ({ id: type.id, label: page.text(type.label), description: page.text(type.description) })),
      themes: themes.map((theme) => themeSummary(theme, page)),
    }
  })
}

export const headers = portalHeaders

export default function Themes() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  return (
    <>
      <PageIntro title={data.title} lead={t('themes.lead')} />
      {data.themeTypes.map((type) => (
        <p key={type.id}>
          <strong>{type.label}</strong>: {type.description}
        </p>
      ))}
      <h2>{t('themes.open', { count: data.themes.length })}</h2>
      <ThemeList slug={data.slug} themes={data.themes} headingLevel={3} />
    </>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
