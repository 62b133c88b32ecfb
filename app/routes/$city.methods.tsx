import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { PageIntro } from '~/components/portal/page-intro'
import { RoleMatrixTable } from '~/components/portal/role-matrix-table'
import { cityPageMeta } from '~/utils/page-meta'
import { cityPageLoader, portalHeaders } from '~/http/portal-page.server'
import { roleMatrixView } from '~/utils/portal/views'
import { showsRoles } from '~/utils/portal/navigation'
import { TenantText } from '~/components/portal/text-language'

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-methods', ({ config, text, t }) => {
    const methodLabel = (id: string) =>
      text(config.collaborationMethods.find((method) => method.id === id)?.label) || id
    const agreementLabel = (id: string | undefined) =>
      text(config.agreementKinds.find((kind) => kind.id === id)?.label)
    return {
      title: t(showsRoles(config) ? 'portal:methods.titleWithRoles' : 'portal:methods.title'),
      // The kinds of collaborative project the guideline describes (パートナーシップ, 実証実験サポート): tracks it words.
      kinds: config.tracks
        .filter((track) => track.description)
        .map((track) => {
          const support = config.experimentSupport?.track === track.id ? config.experimentSupport : undefined
          return {
            id: track.id,
            label: text(track.label),
            description: text(track.description),
            roles: support && {
              cityHeading: t('portal:experiments.cityOffers', { city: text(config.identity.name) }),
              city: support.cityOffers.map((offer) => ({ id: offer.id, text: text(offer.text) })),
              proposer: support.proposerDuties.map((duty) => ({ id: duty.id, text: text(duty.text) })),
            },
          }
        }),
      methods: config.collaborationMethods.map((method) => ({
        id: method.id,
        label: text(method.label),
        description: text(method.description),
        agreement: agreementLabel(method.agreementKind),
      })),
      agreementKinds: [
        ...config.agreementKinds.map((kind) => ({
          id: kind.id,
          label: text(kind.label),
          description: text(kind.description),
        })),
        // The no-agreement outcome beside them, where the city words it (never the platform's label here).
        ...(config.noAgreement
          ? [
              {
                id: 'no_agreement',
                label: text(config.noAgreement.label),
                description: text(config.noAgreement.description),
              },
            ]
          : []),
      ],
      roleMatrix:
        config.roleMatrix &&
        roleMatrixView(config.roleMatrix, {
          methodLabel,
          partyLabel: (party) => text(config.laneLabels?.[party]) || t(`portal:lanes.${party}`),
          legendLabel: (level) => text(config.roleMatrixLegend?.[level]) || t(`portal:involvement.${level}`),
          text,
        }),
    }
  })
}

export const headers = portalHeaders

export default function Methods() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('portal')
  return (
    <>
      <PageIntro title={data.title} lead={t('methods.lead')} />

      {data.kinds.length > 0 ? (
        <section aria-labelledby="methods-kinds">
          <h2 id="methods-kinds">{t('methods.kinds')}</h2>
          <ul className="card-list card-list--wide">
            {data.kinds.map((kind) => (
              <li key={kind.id} className="card" data-kind={kind.id}>
                <h3 className="card__title">
                  <TenantText>{kind.label}</TenantText>
                </h3>
                <p>
                  <TenantText>{kind.description}</TenantText>
                </p>
                {kind.roles ? (
                  <div className="two-columns">
                    <RoleList heading={kind.roles.cityHeading} items={kind.roles.city} />
                    <RoleList heading={t('experiments.proposerDuties')} items={kind.roles.proposer} />
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="methods-list">
        <h2 id="methods-list">{t('methods.methods')}</h2>
        <ul className="card-list card-list--wide">
          {data.methods.map((method) => (
            <li key={method.id} className="card">
              <h3 className="card__title">
                <TenantText>{method.label}</TenantText>
              </h3>
              <p>
                <TenantText>{method.description}</TenantText>
              </p>
              {method.agreement ? (
                <p className="card__meta">{t('methods.concludes', { agreement: method.agreement })}</p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {data.agreementKinds.length > 0 ? (
        <section aria-labelledby="methods-agreements">
          <h2 id="methods-agreements">{t('methods.agreementKinds')}</h2>
          <dl className="definitions">
            {data.agreementKinds.map((kind) => (
              <div key={kind.id}>
                <dt>
                  <TenantText>{kind.label}</TenantText>
                </dt>
                {kind.description ? (
                  <dd>
                    <TenantText>{kind.description}</TenantText>
                  </dd>
                ) : null}
              </div>
            ))}
          </dl>
        </section>
      ) : null}

      {data.roleMatrix ? (
        <section aria-labelledby="methods-matrix">
          <h2 id="methods-matrix">{t('methods.roles')}</h2>
          <p>{t('methods.rolesLead')}</p>
          <RoleMatrixTable matrix={data.roleMatrix} caption={t('methods.matrixCaption')} />
        </section>
      ) : null}
    </>
  )
}

/** One side's part in a kind of project, as the guideline lists it. */
function RoleList({ heading, items }: { heading: string; items: { id: string; text: string }[] }) {
  return (
    <div>
      <h4>{heading}</h4>
      <ul>
        {items.map((item) => (
          <li key={item.id}>
            <TenantText>{item.text}</TenantText>
          </li>
        ))}
      </ul>
    </div>
  )
}

export const meta: MetaFunction<typeof loader> = cityPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
