import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, NavLink, Outlet, useLoaderData, useMatches } from '@remix-run/react'
import { Trans, useTranslation } from 'react-i18next'
import { ContactBlock } from '~/components/portal/contact-block'
import { portalLinks } from '~/components/portal/portal-links'
import { isHexColour } from '~/utils/portal/contrast'
import { cityPageLoader, portalHeaders } from '~/http/portal-page.server'
import { cityNavigation } from '~/utils/portal/navigation'
import { contactView, formatGuidelineDate } from '~/utils/portal/views'
import { TenantText } from '~/components/portal/text-language'
import { pageTitle } from '~/utils/page-meta'

export const links = portalLinks

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-layout', ({ tenant, config, text, locale }) => {
    const brand = config.identity.accentColor
    return {
      slug: tenant.slug,
      status: tenant.status,
      cityName: text(config.identity.name),
      prefecture: text(config.identity.prefecture),
      logoText: text(config.identity.logoText),
      portalName: text(config.portal?.name),
      accentStylesheet: isHexColour(brand)
        ? `/${tenant.slug}/accent.css?v=${tenant.version.slice(0, 12)}`
        : null,
      navigation: cityNavigation(config),
      contact: contactView(config.contact, text),
      guideline: config.guideline && {
        title: text(config.guideline.title),
        issuedOn: formatGuidelineDate(config.guideline.issuedOn, locale, config.guideline.calendar),
        revisedOn: config.guideline.revisedOn
          ? formatGuidelineDate(config.guideline.revisedOn, locale, config.guideline.calendar)
          : '',
      },
    }
  })
}

export const headers = portalHeaders

/** Only operators and the city's staff reach a draft city's portal (see cityPageLoader): say it is not public yet. */
function PreviewBanner() {
  const { t } = useTranslation('operator')
  return (
    <p className="notice" role="note">
      {t('preview.banner')} <Link to="/operator">{t('preview.back')}</Link>
    </p>
  )
}

/** A suspended city's pages say so instead of their content; the data is kept. */
function SuspendedNotice({ cityName }: { cityName: string }) {
  const { t } = useTranslation('operator')
  return (
    <section className="notice" aria-labelledby="suspended-heading">
      <h1 id="suspended-heading" className="notice__title">
        {t('suspended.title')}
      </h1>
      <p>{t('suspended.body', { city: cityName })}</p>
    </section>
  )
}

export default function CityLayout() {
  const { slug, status, cityName, prefecture, logoText, portalName, accentStylesheet, navigation, contact, guideline } =
    useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  // The desk area is the staff's workspace with its own layout (`$city.desk.tsx`): no public navigation or footer.
  const inDesk = useMatches().some((match) => match.id === 'routes/$city.desk')
  if (inDesk) {
    return (
      <div className="portal portal--desk">
        {accentStylesheet ? <link rel="stylesheet" href={accentStylesheet} /> : null}
        {status === 'draft' ? <PreviewBanner /> : null}
        {status === 'suspended' ? <SuspendedNotice cityName={cityName} /> : <Outlet />}
      </div>
    )
  }
  return (
    <div className="portal">
      {accentStylesheet ? <link rel="stylesheet" href={accentStylesheet} /> : null}
      {status === 'draft' ? <PreviewBanner /> : null}
      <header className="portal-header">
        <Link to={`/${slug}`} className="portal-header__brand">
          <span className="portal-header__logo">
            <TenantText>{logoText}</TenantText>
          </span>
          <span className="portal-header__city">
            <TenantText>{portalName || cityName}</TenantText>
          </span>
        </Link>
        <nav aria-label={t('nav.label', { desk: logoText })} className="portal-nav">
          <ul>
            {navigation.map((item) => (
              <li key={item.key}>
                <NavLink to={`/${slug}${item.path}`} end={item.path === ''} prefetch="intent">
                  {t(`nav.${item.key}`)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <div className="portal-body">
        {status === 'suspended' ? <SuspendedNotice cityName={cityName} /> : <Outlet />}
      </div>
      <footer className="portal-footer" aria-labelledby="portal-footer-heading">
        <h2 id="portal-footer-heading" className="portal-footer__heading">
          {t('footer.heading')}
        </h2>
        {prefecture ? (
          <p className="portal-footer__place">
            <Trans
              t={t}
              i18nKey="footer.place"
              components={[<TenantText key="prefecture">{prefecture}</TenantText>, <TenantText key="city">{cityName}</TenantText>]}
            />
          </p>
        ) : null}
        <ContactBlock contact={contact} />
        {guideline ? (
          <p className="portal-footer__source">
            {guideline.revisedOn
              ? t('footer.sourceRevised', {
                  title: guideline.title,
                  issued: guideline.issuedOn,
                  revised: guideline.revisedOn,
                })
              : t('footer.source', { title: guideline.title, issued: guideline.issuedOn })}
          </p>
        ) : null}
      </footer>
    </div>
  )
}

export const meta: MetaFunction<typeof loader> = (args) => [pageTitle(args, (data) => data.logoText)]

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
