import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { DisclosureRequests } from '~/components/after-decision/disclosure'
import { FailureAlert } from '~/components/after-decision/parts'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { actOnDisclosureForm, disclosureIssuePrefix } from '~/operations/disclosure/disclosure-form.server'
import { readDisclosureRequests } from '~/operations/disclosure/disclosure.server'
import {
  operationRefused,
  proposalTenant,
  sendProposalNotifications,
  type OperationFailure,
} from '~/operations/edge.server'
import { afterDecisionNaming } from '~/utils/after-decision-views.server'
import { requireUser } from '~/utils/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import afterStylesHref from '~/styles/after.css'
import deskStylesHref from '~/styles/desk.css'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: deskStylesHref },
  { rel: 'stylesheet', href: afterStylesHref },
]

/**
 * The proposer's side of 情報公開: the requests touching their proposal, the
 * documents concerned, their opinion on which parts would harm their
 * legitimate interests, and the city's decisions. Who asked is never read here.
 */

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const tenant = await proposalTenant(context, params.city)
  const naming = afterDecisionNaming(tenant, locale, await getFixedT(locale))
  try {
    const view = await readDisclosureRequests(context.db, {
      tenant,
      actor: { kind: 'proposer', userId: user.id },
      proposalId: params.proposalId ?? '',
    })
    return json(
      {
        base: `/proposals/${tenant.config.slug}/${view.proposal.id}`,
        proposal: { id: view.proposal.id, title: view.proposal.title },
        requests: naming.disclosureViews(view.requests),
      },
      { headers: { 'Cache-Control': 'no-store' } },
    )
  } catch (error) {
    throw operationRefused(error)
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const tenant = await proposalTenant(context, params.city)
  const proposalId = params.proposalId ?? ''
  const form = await request.formData()
  try {
    await actOnDisclosureForm(context.db, {
      tenant,
      actor: { kind: 'proposer', userId: user.id },
      proposalId,
      form,
    })
    await sendProposalNotifications(context, request, tenant)
    return redirect(`/proposals/${tenant.config.slug}/${proposalId}/disclosure`)
  } catch (error) {
    return operationRefused(error, disclosureIssuePrefix(form))
  }
}

export default function ProposerDisclosure() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<OperationFailure>()
  const { t } = useTranslation('after')
  return (
    <section className="desk-page">
      <p>
        <Link to={data.base}>{t('agreement.back')}</Link>
      </p>
      <h1>
        {t('disclosure.title')}: {data.proposal.title}
      </h1>
      <p>{t('disclosure.intro')}</p>
      <FailureAlert failure={failure} />
      <DisclosureRequests
        requests={data.requests}
        side="proposer"
        isDesk={false}
        errors={failure?.fieldErrors ?? {}}
      />
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.proposal.title ?? '' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
