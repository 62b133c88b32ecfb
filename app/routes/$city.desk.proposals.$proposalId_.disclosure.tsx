import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { DisclosureRequests, NewDisclosureRequest } from '~/components/after-decision/disclosure'
import { afterDecisionLinks, afterDecisionMeta, AfterDecisionPage } from '~/components/after-decision/page'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { actOnDisclosureForm, DisclosureFormSchema, disclosureIssuePrefix } from '~/http/disclosure-form.server'
import { readDisclosureRequests } from '~/operations/disclosure/disclosure.server'
import { actThenShow } from '~/http/edge.server'
import { todayInJapan } from '~/http/experiment-form.server'
import { afterDecisionNaming } from '~/http/after-decision-views.server'
import { deskStaffRequest } from '~/http/desk-request.server'
import { getFixedT } from '~/utils/i18n.server'
import { refusal, type AppFailure } from '~/http/errors.server'

export const links = afterDecisionLinks

/**
 * 情報公開 on the city's side: the requests touching a proposal with who asked
 * (never shown to the proposer), the proposer's opinion per document, and the
 * desk's decision per document. Recording a request asks the proposer in the
 * thread. Department staff read it (the page layout sends no-store).
 */

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { staff, locale, tenant, actor, isDesk } = await deskStaffRequest(request, context, params.city)
  const naming = afterDecisionNaming(tenant, locale, await getFixedT(locale))
  try {
    const view = await readDisclosureRequests(context.db, {
      tenant,
      actor,
      proposalId: params.proposalId ?? '',
    })
    return json(
      {
        base: `/${staff.citySlug}/desk/proposals/${view.proposal.id}`,
        isDesk,
        today: todayInJapan(),
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
  const { staff, tenant, actor } = await deskStaffRequest(request, context, params.city)
  const proposalId = params.proposalId ?? ''
  const pageHref = `/${staff.citySlug}/desk/proposals/${proposalId}/disclosure?done=saved`
  return actThenShow(
    request,
    { schema: DisclosureFormSchema, pageHref, issuePrefix: disclosureIssuePrefix },
    (form) => actOnDisclosureForm(context.db, { tenant, actor, proposalId, form }),
  )
}

export default function DeskDisclosure() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<AppFailure>()
  const { t } = useTranslation('after')
  const errors = failure?.fieldErrors ?? {}
  return (
    <AfterDecisionPage
      backHref={data.base}
      backLabel={t('agreement.back')}
      heading={data.heading}
      intro={t('disclosure.intro')}
      failure={failure}
    >
      {data.isDesk ? (
        <NewDisclosureRequest errors={errors} today={data.today} />
      ) : (
        <p>{t('disclosure.deskOnly')}</p>
      )}
      <DisclosureRequests requests={data.requests} side="city" isDesk={data.isDesk} errors={errors} />
    </AfterDecisionPage>
  )
}

export const meta = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
