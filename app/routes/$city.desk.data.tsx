import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireCityRole } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import deskStylesHref from '~/styles/desk.css'
import { deskPageMeta } from '~/utils/page-meta'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

/**
 * All of the city's data in one download, for its desk admins: what the
 * archive holds and what it leaves out, then the button. The archive is the
 * format a city moves in (docs/decisions/010-moving-a-city.md), made from what
 * the admin may read by $city.desk.data.download.ts; each download is in the
 * city's audit log.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireCityRole(context, params.city, ['desk_admin'], request)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const { config } = context.tenants.get(staff.citySlug)!
  return json(
    {
      title: t('dashboard:cityData.title'),
      cityName: tenantText(config.identity.name, locale, config.defaultLocale),
      slug: staff.citySlug,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export default function CityData() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('dashboard')
  return (
    <section className="desk-page city-data">
      <h1>{t('cityData.title')}</h1>
      <p>{t('cityData.intro', { city: data.cityName })}</p>
      <h2>{t('cityData.includedHeading')}</h2>
      <ul>
        {(['records', 'people', 'files', 'manifest'] as const).map((item) => (
          <li key={item}>{t(`cityData.included.${item}`)}</li>
        ))}
      </ul>
      <h2>{t('cityData.excludedHeading')}</h2>
      <ul>
        {(['credentials', 'drafts'] as const).map((item) => (
          <li key={item}>{t(`cityData.excluded.${item}`)}</li>
        ))}
      </ul>
      <p>{t('cityData.audited')}</p>
      {/* A document request to the resource route: the browser saves the archive it answers with. */}
      <Form method="post" action={`/${data.slug}/desk/data/download`} reloadDocument>
        <button type="submit" className="button">
          {t('cityData.download')}
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = deskPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
