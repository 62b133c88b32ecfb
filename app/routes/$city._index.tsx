import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CaseList } from '~/components/portal/case-list'
import { ProposeAction } from '~/components/portal/propose-action'
import { ProposalTypeList } from '~/components/portal/proposal-type-list'
import { TitledTextList } from '~/components/portal/titled-text-list'
import { ThemeList } from '~/components/portal/theme-list'
import { listPublishedCases } from '~/operations/portal/cases.server'
import { caseSummary, themeSummary } from '~/http/portal/content-views'
import { acceptsThemes, cityNavigation } from '~/utils/portal/navigation'
import { cityPageLoader, portalHeaders } from '~/http/portal-page.server'
import { listOpenThemes } from '~/operations/portal/themes.server'
import { labelledItems, proposalTypeViews, titledTexts } from '~/utils/portal/views'
import { TenantText } from '~/components/portal/text-language'
import { pageTitle } from '~/utils/page-meta'

/** How many open themes and cases the home page shows before "see all". */
const LATEST_COUNT = 3

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-home', async (page) => {
    const { config, text } = page
    const [themes, cases] = await Promise.all([
      page.readPublic(listOpenThemes, []),
      page.readPublic(listPublishedCases, []),
    ])
    const labelled = (items: Parameters<typeof labelledItems>[0]) => labelledItems(items, text)
    const titled = (items: Parameters<typeof titledTexts>[0]) => titledTexts(items, text)
    return {
      slug: page.tenant.slug,
      proposable: page.tenant.status === 'live',
      title: text(config.contact.deskName),
      cityName: text(config.identity.name),
      portal: config.portal && {
        description: text(config.portal.description),
        note: text(config.portal.note),
      },
      introduction: text(config.guideline?.introduction),
      desk: { description: text(config.desk.description), functions: titled(config.desk.functions) },
      background: config.background && {
        heading: text(config.background.heading),
        paragraphs: config.background.paragraphs.map(text),
        items: labelled(config.background.items),
        summary: text(config.background.summary),
      },
      purpose: { text: text(config.purpose.text), aims: labelled(config.purpose.aims) },
      sharedValue: config.sharedValue && {
        title: text(config.sharedValue.title),
        statement: text(config.sharedValue.statement),
        items: titled(config.sharedValue.items),
      },
      strengths: config.strengths && {
        city: labelled(config.strengths.city),
        businesses: labelled(config.strengths.businesses),
      },
      principles: {
        heading: text(config.principles.heading),
        intro: text(config.principles.intro),
        items: titled(config.principles.items),
      },
      definitions: config.definitions.map((definition) => ({
        id: definition.id,
        term: text(definition.term),
        text: text(definition.text),
      })),
      intakeNote: text(config.intakeNote),
      proposalTypes: proposalTypeViews(config, text),
      acceptsThemes: acceptsThemes(config),
      openThemes: themes.slice(0, LATEST_COUNT).map((theme) => themeSummary(theme, page)),
      openThemeCount: themes.length,
      latestCases: cases.slice(0, LATEST_COUNT).map((publishedCase) => caseSummary(publishedCase, page)),
      caseCount: cases.length,
      moreLinks: cityNavigation(config).filter((item) => item.key !== 'home'),
      closingMessage: text(config.closingMessage),
    }
  })
}

export const headers = portalHeaders

export default function CityHome() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  const { slug } = data
  return (
    <>
      <div className="hero">
        <h1>
          <TenantText>{data.title}</TenantText>
        </h1>
        <p className="lead">{data.portal?.description || data.desk.description}</p>
        {data.portal?.note ? (
          <p className="note">
            <TenantText>{data.portal.note}</TenantText>
          </p>
        ) : null}
        <p className="hero__actions">
          <ProposeAction slug={slug} cityName={data.cityName} proposable={data.proposable} />
          <Link
            className={data.proposable ? 'button' : 'button button--primary'}
            to={`/${slug}/how-to-propose`}
          >
            {t('home.howToProposeAction')}
          </Link>
          {data.acceptsThemes ? (
            <Link className="button" to={`/${slug}/themes`}>
              {t('home.themesAction')}
            </Link>
          ) : null}
        </p>
      </div>

      {data.introduction ? (
        <p>
          <TenantText>{data.introduction}</TenantText>
        </p>
      ) : null}

      {data.background ? (
        <section aria-labelledby="home-background">
          <h2 id="home-background">{data.background.heading || t('home.background')}</h2>
          {data.background.paragraphs.map((paragraph) => (
            <p key={paragraph}>
              <TenantText>{paragraph}</TenantText>
            </p>
          ))}
          {data.background.items.length > 0 ? (
            <ul className="tag-list" aria-label={t('home.backgroundItems')}>
              {data.background.items.map((item) => (
                <li key={item.id}>
                  <TenantText>{item.label}</TenantText>
                </li>
              ))}
            </ul>
          ) : null}
          {data.background.summary ? (
            <p>
              <TenantText>{data.background.summary}</TenantText>
            </p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="home-purpose">
        <h2 id="home-purpose">{t('home.purpose')}</h2>
        <p>
          <TenantText>{data.purpose.text}</TenantText>
        </p>
        {data.purpose.aims.length > 0 ? (
          <ul className="tag-list" aria-label={t('home.aims')}>
            {data.purpose.aims.map((aim) => (
              <li key={aim.id}>
                <TenantText>{aim.label}</TenantText>
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      {data.sharedValue ? (
        <section aria-labelledby="home-shared-value">
          <h2 id="home-shared-value">
            <TenantText>{data.sharedValue.title}</TenantText>
          </h2>
          <p className="statement">
            <TenantText>{data.sharedValue.statement}</TenantText>
          </p>
          <TitledTextList items={data.sharedValue.items} headingLevel={3} variant="cards" />
        </section>
      ) : null}

      {data.strengths ? (
        <section aria-labelledby="home-strengths">
          <h2 id="home-strengths">{t('home.strengths')}</h2>
          <div className="two-columns">
            <div>
              <h3>{t('home.cityStrengths', { city: data.cityName })}</h3>
              <ul>
                {data.strengths.city.map((item) => (
                  <li key={item.id}>
                    <TenantText>{item.label}</TenantText>
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h3>{t('home.businessStrengths')}</h3>
              <ul>
                {data.strengths.businesses.map((item) => (
                  <li key={item.id}>
                    <TenantText>{item.label}</TenantText>
                  </li>
                ))}
              </ul>
            </div>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="home-desk">
        <h2 id="home-desk">{t('home.desk', { desk: data.title })}</h2>
        <p>
          <TenantText>{data.desk.description}</TenantText>
        </p>
        <TitledTextList items={data.desk.functions} headingLevel={3} variant="cards" />
      </section>

      <section aria-labelledby="home-principles">
        <h2 id="home-principles">
          <TenantText>{data.principles.heading}</TenantText>
        </h2>
        {data.principles.intro ? (
          <p>
            <TenantText>{data.principles.intro}</TenantText>
          </p>
        ) : null}
        <TitledTextList items={data.principles.items} headingLevel={3} variant="numbered" />
      </section>

      {data.definitions.length > 0 ? (
        <section aria-labelledby="home-definitions">
          <h2 id="home-definitions">{t('home.definitions')}</h2>
          <dl className="definitions">
            {data.definitions.map((definition) => (
              <div key={definition.id}>
                <dt>
                  <TenantText>{definition.term}</TenantText>
                </dt>
                <dd>
                  <TenantText>{definition.text}</TenantText>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}

      <section aria-labelledby="home-how-to-propose">
        <h2 id="home-how-to-propose">{t('home.howToPropose')}</h2>
        {data.intakeNote ? (
          <p>
            <TenantText>{data.intakeNote}</TenantText>
          </p>
        ) : null}
        <ProposalTypeList proposalTypes={data.proposalTypes} headingLevel={3} />
        <p>
          <Link to={`/${slug}/how-to-propose`}>{t('home.flowLink')}</Link>
        </p>
        <p>
          <ProposeAction slug={slug} cityName={data.cityName} proposable={data.proposable} secondary />
        </p>
      </section>

      {data.acceptsThemes ? (
        <section aria-labelledby="home-themes">
          <h2 id="home-themes">{t('home.openThemes')}</h2>
          <ThemeList slug={slug} themes={data.openThemes} headingLevel={3} />
          {data.openThemeCount > 0 ? (
            <p>
              <Link to={`/${slug}/themes`}>{t('home.allThemes', { count: data.openThemeCount })}</Link>
            </p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="home-cases">
        <h2 id="home-cases">{t('home.latestCases')}</h2>
        <CaseList slug={slug} cases={data.latestCases} headingLevel={3} />
        <p>
          <Link to={`/${slug}/cases`}>{t('home.allCases', { count: data.caseCount })}</Link>
        </p>
      </section>

      <section aria-labelledby="home-more">
        <h2 id="home-more">{t('home.more')}</h2>
        <ul className="link-list">
          {data.moreLinks.map((item) => (
            <li key={item.key}>
              <Link to={`/${slug}${item.path}`}>{t(`nav.${item.key}`)}</Link>
              <span className="link-list__description">{t(`home.moreDescriptions.${item.key}`)}</span>
            </li>
          ))}
        </ul>
      </section>

      {data.closingMessage ? (
        <p className="closing">
          <TenantText>{data.closingMessage}</TenantText>
        </p>
      ) : null}
    </>
  )
}

export const meta: MetaFunction<typeof loader> = (args) => [
  pageTitle(args, (data) => data.title),
  { name: 'description', content: args.data?.portal?.description || args.data?.desk.description || '' },
]

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
