import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageIntro } from '~/components/portal/page-intro'
import { cityPageMeta } from '~/utils/page-meta'
import { cityPageLoader, portalHeaders } from '~/http/portal-page.server'
import { TenantText } from '~/components/portal/text-language'

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-eligibility', ({ config, text, t }) => ({
    title: t('portal:eligibility.title'),
    intro: text(config.eligibility.intro),
    eligibleKinds: config.eligibility.eligibleOrganisationKinds,
    criteria: config.eligibility.criteria.map((criterion) => ({
      id: criterion.id,
      kind: criterion.kind,
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
      <CriteriaSection
        id="eligibility-requirements"
        heading={t('eligibility.requirements')}
        criteria={data.criteria.filter((criterion) => criterion.kind === 'requirement')}
      />
      <CriteriaSection
        id="eligibility-not"
        heading={t('eligibility.notAccepted')}
        intro={data.intro}
        criteria={data.criteria.filter((criterion) => criterion.kind === 'ground')}
      />
    </>
  )
}

type CriterionView = { id: string; text: string; decidedBy: 'platform' | 'intake' | 'desk' }

/** Requirements the proposer must meet, or grounds on which proposals are not accepted: only when the file has some. */
function CriteriaSection({
  id,
  heading,
  intro,
  criteria,
}: {
  id: string
  heading: string
  intro?: string
  criteria: CriterionView[]
}) {
  const { t } = useTranslation('portal')
  if (criteria.length === 0) return null
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        <TenantText>{heading}</TenantText>
      </h2>
      {intro ? (
        <p>
          <TenantText>{intro}</TenantText>
        </p>
      ) : null}
      <ol className="numbered-list">
        {criteria.map((criterion) => (
          <li key={criterion.id}>
            <p>
              <TenantText>{criterion.text}</TenantText>
            </p>
            <p className="card__meta">{t(`eligibility.decidedBy.${criterion.decidedBy}`)}</p>
          </li>
        ))}
      </ol>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
