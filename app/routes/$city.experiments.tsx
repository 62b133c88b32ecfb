import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GuidelineFlowChart } from '~/components/portal/guideline-flow'
import { PageIntro } from '~/components/portal/page-intro'
import { guidelineFlowViews, isExperimentFlow } from '~/utils/portal/guideline-flows'
import { cityPageMeta } from '~/utils/page-meta'
import { cityPageLoader, notFound, portalHeaders } from '~/http/portal-page.server'
import { TenantText } from '~/components/portal/text-language'

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-experiments', (page) => {
    const { config, text, t } = page
    const support = config.experimentSupport
    const track = support && config.tracks.find((candidate) => candidate.id === support.track)
    if (!support || !track) notFound()
    return {
      title: text(track.label) || t('portal:experiments.title'),
      description: text(track.description),
      cityName: text(config.identity.name),
      cityOffers: support.cityOffers.map((offer) => ({ id: offer.id, text: text(offer.text) })),
      proposerDuties: support.proposerDuties.map((duty) => ({ id: duty.id, text: text(duty.text) })),
      costRule: text(support.costRule),
      reportRequirement: text(support.reportRequirement),
      flows: guidelineFlowViews(
        page,
        config.guidelineFlows.filter((flow) => isExperimentFlow(config, flow)),
      ),
    }
  })
}

export const headers = portalHeaders

export default function Experiments() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  return (
    <>
      <PageIntro title={data.title} lead={data.description} />
      <div className="two-columns">
        <section aria-labelledby="experiments-city" className="panel">
          <h2 id="experiments-city">{t('experiments.cityOffers', { city: data.cityName })}</h2>
          <ul>
            {data.cityOffers.map((offer) => (
              <li key={offer.id}>
                <TenantText>{offer.text}</TenantText>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="experiments-proposer" className="panel">
          <h2 id="experiments-proposer">{t('experiments.proposerDuties')}</h2>
          <ul>
            {data.proposerDuties.map((duty) => (
              <li key={duty.id}>
                <TenantText>{duty.text}</TenantText>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section aria-labelledby="experiments-cost">
        <h2 id="experiments-cost">{t('experiments.cost')}</h2>
        <p>
          <TenantText>{data.costRule}</TenantText>
        </p>
        {data.reportRequirement ? (
          <p>
            <TenantText>{data.reportRequirement}</TenantText>
          </p>
        ) : null}
      </section>
      {data.flows.map((flow) => (
        <GuidelineFlowChart key={flow.id} flow={flow} headingLevel={2} />
      ))}
    </>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
