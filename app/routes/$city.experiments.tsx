import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FlowChart } from '~/components/portal/flow-chart'
import { PageIntro } from '~/components/portal/page-intro'
import { trackFlows } from '~/utils/portal/flows'
import { cityPageMeta } from '~/utils/portal/meta'
import { cityPageLoader, notFound, portalHeaders } from '~/utils/portal/page.server'

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
      flow: trackFlows(page, [track])[0],
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
              <li key={offer.id}>{offer.text}</li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="experiments-proposer" className="panel">
          <h2 id="experiments-proposer">{t('experiments.proposerDuties')}</h2>
          <ul>
            {data.proposerDuties.map((duty) => (
              <li key={duty.id}>{duty.text}</li>
            ))}
          </ul>
        </section>
      </div>
      <section aria-labelledby="experiments-cost">
        <h2 id="experiments-cost">{t('experiments.cost')}</h2>
        <p>{data.costRule}</p>
        {data.reportRequirement ? <p>{data.reportRequirement}</p> : null}
      </section>
      {data.flow ? (
        // The page's title already names the track: the chart is headed as its flow.
        <FlowChart flow={{ ...data.flow, title: t('experiments.flow'), description: '' }} headingLevel={2} />
      ) : null}
    </>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
