import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { portalLinks } from '~/components/portal/portal-links'
import { recentCases, themesClosingSoon } from '~/operations/across-cities/across-cities.server'
import { portalHeaders } from '~/http/portal-page.server'
import { platformPageLoader } from '~/http/platform-page.server'
import { platformCaseView, platformThemeView } from '~/http/portal/platform-views'
import { tenantText } from '~/utils/tenant-text'
import { titleMeta } from '~/utils/page-meta'

const HOME_LIST_LENGTH = 5

/** The platform home: the live cities and their desks, themes closing soon, recent cases (issue 22). */
export async function loader(args: LoaderFunctionArgs) {
  return platformPageLoader(args, 'platform-home', async (page) => {
    const [closing, recent] = await Promise.all([
      themesClosingSoon(args.context.db, HOME_LIST_LENGTH),
      recentCases(args.context.db, HOME_LIST_LENGTH),
    ])
    return {
      title: page.t('common:platform.name'),
      cities: page.cities.map(({ slug, config }) => ({
        slug,
        name: page.cityName(slug),
        deskName: tenantText(config.contact.deskName, page.locale, config.defaultLocale),
        summary: tenantText(
          config.portal?.description ?? config.purpose.text,
          page.locale,
          config.defaultLocale,
        ),
      })),
      themes: closing.map((theme) => platformThemeView(page, theme)),
      cases: recent.map((row) => platformCaseView(page, row)),
    }
  })
}

export const headers = portalHeaders

export const links = portalLinks

export default function PlatformHome() {
  const { cities, themes, cases } = useLoaderData<typeof loader>()
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('platform.name')}</h1>
      <p className="lead">{t('platform.tagline')}</p>
      <section aria-labelledby="home-cities">
        <h2 id="home-cities">{t('platform.citiesHeading')}</h2>
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
      </section>
      <section aria-labelledby="home-themes">
        <h2 id="home-themes">{t('platform.themes.closingSoon')}</h2>
        <p>{t('platform.home.themesLead')}</p>
        {themes.length === 0 ? (
          <p className="empty">{t('platform.themes.none')}</p>
        ) : (
          <ul className="link-list">
            {themes.map((theme) => (
              <li key={theme.id}>
                <Link to={theme.url}>{theme.title}</Link> — {theme.city}
                {theme.deadline ? t('platform.home.closingOn', { deadline: theme.deadline }) : null}
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to="/themes">{t('platform.themes.all')}</Link>
        </p>
      </section>
      <section aria-labelledby="home-cases">
        <h2 id="home-cases">{t('platform.cases.recent')}</h2>
        <p>{t('platform.home.casesLead')}</p>
        {cases.length === 0 ? (
          <p className="empty">{t('platform.cases.none')}</p>
        ) : (
          <ul className="link-list">
            {cases.map((row) => (
              <li key={row.id}>
                <Link to={row.url}>{row.title}</Link> — {row.city}
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to="/cases">{t('platform.cases.all')}</Link>
        </p>
      </section>
    </>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
