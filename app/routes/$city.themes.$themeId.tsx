import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { departmentName } from '~/http/portal/content-views'
import { cityPageMeta } from '~/utils/page-meta'
import { cityPageLoader, notFound, portalHeaders } from '~/http/portal-page.server'
import { findOpenTheme } from '~/operations/portal/themes.server'
import { formatDate } from '~/utils/portal/views'
import { TenantText } from '~/components/portal/text-language'

const ThemeIdSchema = z.string().uuid()

export async function loader(args: LoaderFunctionArgs) {
  const themeId = ThemeIdSchema.safeParse(args.params.themeId)
  if (!themeId.success) notFound()
  return cityPageLoader(args, 'city-theme', async (page) => {
    const theme = await page.readPublic((tx) => findOpenTheme(tx, themeId.data), undefined)
    if (!theme) notFound()
    return {
      slug: page.tenant.slug,
      title: page.text(theme.title),
      background: page.text(theme.background),
      expectedOutcome: page.text(theme.expectedOutcome),
      department: departmentName(theme, page),
      deadline: theme.deadline ? formatDate(theme.deadline, page.locale) : '',
      publishedAt: theme.publishedAt ? formatDate(theme.publishedAt, page.locale) : '',
      id: themeId.data,
    }
  })
}

export const headers = portalHeaders

export default function Theme() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  return (
    <article>
      <p className="breadcrumb">
        <Link to={`/${data.slug}/themes`}>{t('themes.back')}</Link>
      </p>
      <h1>
        <TenantText>{data.title}</TenantText>
      </h1>
      <dl className="facts facts--inline">
        {data.department ? (
          <div>
            <dt>{t('themes.department')}</dt>
            <dd>
              <TenantText>{data.department}</TenantText>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('themes.deadline')}</dt>
          <dd>{data.deadline || t('themes.noDeadline')}</dd>
        </div>
        {data.publishedAt ? (
          <div>
            <dt>{t('themes.publishedAt')}</dt>
            <dd>{data.publishedAt}</dd>
          </div>
        ) : null}
      </dl>
      {data.background ? (
        <section aria-labelledby="theme-background">
          <h2 id="theme-background">{t('themes.background')}</h2>
          <p className="prose">
            <TenantText>{data.background}</TenantText>
          </p>
        </section>
      ) : null}
      {data.expectedOutcome ? (
        <section aria-labelledby="theme-outcome">
          <h2 id="theme-outcome">{t('themes.expectedOutcome')}</h2>
          <p className="prose">
            <TenantText>{data.expectedOutcome}</TenantText>
          </p>
        </section>
      ) : null}
      <section aria-labelledby="theme-propose" className="panel">
        <h2 id="theme-propose">{t('themes.propose')}</h2>
        <p>{t('themes.proposeLead')}</p>
        <Link
          className="button button--primary"
          to={`/${data.slug}/propose?${new URLSearchParams({ theme: data.id })}`}
        >
          {t('themes.proposeAction')}
        </Link>
      </section>
    </article>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
