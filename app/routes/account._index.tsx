import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { IndividualNotice } from '~/components/account-parts'
import { readAccountOverview } from '~/operations/accounts/accounts.server'
import { requireUser } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import { titleMeta } from '~/utils/page-meta'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const overview = await readAccountOverview(context.db, user.id)
  const cities = context.tenants.list()
  const cityName = (slug: string) => {
    const city = context.tenants.get(slug)
    return city ? tenantText(city.config.identity.name, locale, city.config.defaultLocale) : slug
  }
  return json({
    title: t('auth:account.title'),
    displayName: user.displayName,
    organisations: overview.organisations.map((organisation) => ({
      ...organisation,
      // Each city's tenant file says which kinds of organisation may propose.
      cities: cities
        .filter((city) => city.config.eligibility.eligibleOrganisationKinds.includes(organisation.kind))
        .map((city) => ({ slug: city.slug, name: cityName(city.slug) })),
    })),
    staffCities: overview.staffCities.map((membership) => ({
      ...membership,
      name: cityName(membership.slug),
    })),
  })
}

export default function Account() {
  const { displayName, organisations, staffCities } = useLoaderData<typeof loader>()
  const { t } = useTranslation('auth')
  const cannotPropose = organisations.some((organisation) => organisation.cities.length === 0)
  return (
    <section>
      <h1>{t('account.title')}</h1>
      <p className="lead">{t('account.greeting', { name: displayName })}</p>
      <p className="account-links">
        <Link to="/proposals">{t('account.myProposals')}</Link>
        <Link to="/account/settings">{t('account.settings')}</Link>
        <Link to="/account/alerts">{t('common:alerts.accountLink')}</Link>
      </p>
      {cannotPropose ? <IndividualNotice /> : null}
      {organisations.length > 0 ? (
        <>
          <h2>{t('account.organisationsHeading')}</h2>
          <ul className="card-list">
            {organisations.map((organisation) => (
              <li key={organisation.id} className="card">
                <h3>
                  <Link to={`/organisations/${organisation.id}`}>{organisation.name}</Link>
                </h3>
                <p className="card__meta">
                  {t(`kinds.${organisation.kind}`)} · {t(`roles.${organisation.role}`)}
                </p>
                <h4>{t('account.proposeHeading')}</h4>
                {organisation.cities.length > 0 ? (
                  <ul aria-label={t('account.proposeHeading')}>
                    {organisation.cities.map((city) => (
                      <li key={city.slug}>
                        <Link
                          to={`/proposals/new?${new URLSearchParams({ city: city.slug, organisation: organisation.id })}`}
                        >
                          {t('account.proposeTo', { city: city.name })}
                        </Link>{' '}
                        (<Link to={`/${city.slug}`}>{t('account.cityPortal')}</Link>)
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p>{t('account.noCities')}</p>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {staffCities.length > 0 ? (
        <>
          <h2>{t('account.staffHeading')}</h2>
          <ul className="plain-list" aria-label={t('account.staffHeading')}>
            {staffCities.map((city) => (
              <li key={city.slug}>
                <Link to={`/${city.slug}`}>{city.name}</Link> — {t(`roles.${city.role}`)} (
                <Link to={`/${city.slug}/desk`}>{t('desk:inbox.title')}</Link>)
                {city.role === 'desk_admin' ? (
                  <>
                    {' '}
                    (<Link to={`/${city.slug}/desk/staff`}>{t('account.manageStaff')}</Link>)
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
