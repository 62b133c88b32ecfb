import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { DisclosureRequests } from '~/components/after-decision/disclosure'
import { afterDecisionLinks, afterDecisionMeta, AfterDecisionPage } from '~/components/after-decision/page'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { actOnDisclosureForm, DisclosureFormSchema, disclosureIssuePrefix } from '~/http/disclosure-form.server'
import { readDisclosureRequests } from '~/operations/disclosure/disclosure.server'
import { actThenShow } from '~/http/edge.server'
import { afterDecisionNaming } from '~/http/after-decision-views.server'
import { getFixedT } from '~/utils/i18n.server'
import { proposerRequest } from '~/http/proposer-request.server'
import { refusal, type AppFailure } from '~/http/errors.server'

export const links = afterDecisionLinks

/**
 * The proposer's side of 情報公開: the requests touching their proposal, the
 * documents concerned, their opinion on which parts would harm their
 * legitimate interests, and the city's decisions. Who asked is never read here.
 */

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { locale, tenant, actor } = await proposerRequest(request, context, params.city)
  const naming = afterDecisionNaming(tenant, locale, await getFixedT(locale))
  try {
    const view = await readDisclosureRequests(context.db, {
      tenant,
      actor,
      proposalId: params.proposalId ?? '',
    })
    return json(
      {
        base: `/proposals/${tenant.config.slug}/${view.proposal.id}`,
        proposal: { id: view.proposal.id, title: view.proposal.title },
        ...naming.pageTitles('disclosure.title', view.proposal.title),
        requests: naming.disclosureViews(view.requests),
      },
      { headers: { 'Cache-Control': 'no-store' } },
    )
  } catch (error) {
    throw refusal(error)
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { tenant, actor } = await proposerRequest(request, context, params.city)
  const proposalId = params.proposalId ?? ''
  const pageHref = `/proposals/${tenant.config.slug}/${proposalId}/disclosure`
  return actThenShow(
    request,
    { schema: DisclosureFormSchema, pageHref, issuePrefix: disclosureIssuePrefix },
    (form) => actOnDisclosureForm(context.db, { tenant, actor, proposalId, form }),
  )
}

export default function ProposerDisclosure() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<AppFailure>()
  const { t } = useTranslation('after')
  return (
    <AfterDecisionPage
      backHref={data.base}
      backLabel={t('agreement.back')}
      heading={data.heading}
      intro={t('disclosure.intro')}
      failure={failure}
    >
      <DisclosureRequests
        requests={data.requests}
        side="proposer"
        isDesk={false}
        errors={failure?.fieldErrors ?? {}}
      />
    </AfterDecisionPage>
  )
}

export const meta = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
