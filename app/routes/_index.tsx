import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import { getFixedT } from '~/utils/i18n.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const cities = context.tenants.list().map(({ slug, config }) => ({
    slug,
    name: tenantText(config.identity.name, locale, config.defaultLocale),
    deskName: tenantText(config.contact.deskName, locale, config.defaultLocale),
    summary: tenantText(config.portal?.description ?? config.purpose.text, locale, config.defaultLocale),
  }))
  return json({ cities, title: t('platform.name') })
}

export default function PlatformHome() {
  const { cities } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('platform.name')}</h1>
      <p className="lead">{t('platform.tagline')}</p>
      <h2>{t('platform.citiesHeading')}</h2>
      {cities.length === 0 ? (
        <p>{t('platform.noCities')}</p>
      ) : (
        <ul className="card-list">
          {cities.map((city) => (
            <li key={city.slug} className="card">
              <h3>
                <Link to={`/${city.slug}`}>{city.deskName}</Link>
              </h3>
              <p className="card__meta">{city.name}</p>
              <p>{city.summary}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
