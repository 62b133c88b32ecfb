import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { PageIntro } from '~/components/portal/page-intro'
import { cityPageMeta } from '~/utils/portal/meta'
import { cityPageLoader, portalHeaders } from '~/utils/portal/page.server'

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-eligibility', ({ config, text, t }) => ({
    title: t('portal:eligibility.title'),
    intro: text(config.eligibility.intro),
    eligibleKinds: config.eligibility.eligibleOrganisationKinds,
    criteria: config.eligibility.criteria.map((criterion) => ({
      id: criterion.id,
      text: text(criterion.text),
      decidedBy: criterion.decidedBy,
    })),
  }))
}

export const headers = portalHeaders

export default function Eligibility() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  return (
    <>
      <PageIntro title={data.title} />
      <section aria-labelledby="eligibility-who">
        <h2 id="eligibility-who">{t('eligibility.who')}</h2>
        <ul className="tag-list">
          {data.eligibleKinds.map((kind) => (
            <li key={kind}>{t(`organisationKind.${kind}`)}</li>
          ))}
        </ul>
      </section>
      {data.criteria.length > 0 ? (
        <section aria-labelledby="eligibility-not">
          <h2 id="eligibility-not">{t('eligibility.notAccepted')}</h2>
          {data.intro ? <p>{data.intro}</p> : null}
          <ol className="numbered-list">
            {data.criteria.map((criterion) => (
              <li key={criterion.id}>
                <p>{criterion.text}</p>
                <p className="card__meta">{t(`eligibility.decidedBy.${criterion.decidedBy}`)}</p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
