import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { PageIntro } from '~/components/portal/page-intro'
import { RoleMatrixTable } from '~/components/portal/role-matrix-table'
import { cityPageMeta } from '~/utils/portal/meta'
import { cityPageLoader, portalHeaders } from '~/http/portal-page.server'
import { roleMatrixView } from '~/utils/portal/views'
import { TenantText } from '~/components/portal/text-language'

export async function loader(args: LoaderFunctionArgs) {
  return cityPageLoader(args, 'city-methods', ({ config, text, t }) => {
    const methodLabel = (id: string) =>
      text(config.collaborationMethods.find((method) => method.id === id)?.label) || id
    const agreementLabel = (id: string | undefined) =>
      text(config.agreementKinds.find((kind) => kind.id === id)?.label)
    return {
      title: t(config.roleMatrix ? 'portal:methods.titleWithRoles' : 'portal:methods.title'),
      methods: config.collaborationMethods.map((method) => ({
        id: method.id,
        label: text(method.label),
        description: text(method.description),
        agreement: agreementLabel(method.agreementKind),
      })),
      agreementKinds: config.agreementKinds.map((kind) => ({
        id: kind.id,
        label: text(kind.label),
        description: text(kind.description),
      })),
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
                <dd>
                  <TenantText>{kind.description}</TenantText>
                </dd>
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

export const meta: MetaFunction<typeof loader> = cityPageMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
