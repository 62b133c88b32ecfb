import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ExperimentRecord } from '~/components/after-decision/experiment'
import { afterDecisionLinks, afterDecisionMeta, AfterDecisionPage } from '~/components/after-decision/page'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { actThenShow } from '~/http/edge.server'
import { actOnExperimentForm, experimentFormSchema, issuePrefix } from '~/http/experiment-form.server'
import { readExperiment } from '~/operations/experiments/experiments.server'
import { afterDecisionNaming } from '~/http/after-decision-views.server'
import { deskStaffRequest } from '~/http/desk-request.server'
import { getFixedT } from '~/utils/i18n.server'
import { refusal, type AppFailure } from '~/http/errors.server'

export const links = afterDecisionLinks

/**
 * 実証実験 on the city's side: the checklist from the tenant file with owners
 * and dates, permits, the offers that apply, the period and the city's
 * attendance, the proposer's cost-rule acknowledgement and report, and the
 * receipt. The desk and the routed departments keep it (the page layout sends no-store).
 */

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { staff, locale, tenant, actor, isDesk } = await deskStaffRequest(request, context, params.city)
  const naming = afterDecisionNaming(tenant, locale, await getFixedT(locale))
  try {
    const view = await readExperiment(context.db, { tenant, actor, proposalId: params.proposalId ?? '' })
    return json(
      {
        base: `/${staff.citySlug}/desk/proposals/${view.proposal.id}`,
        isDesk,
        proposal: { id: view.proposal.id, title: view.proposal.title },
        ...naming.pageTitles('experiment.title', view.proposal.title),
        experiment: naming.experimentView(
          view,
          tenant.config.experimentSupport!.track,
          (id) => `/${staff.citySlug}/desk/attachments/${id}`,
        ),
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
  const pageHref = `/${staff.citySlug}/desk/proposals/${proposalId}/experiment?done=saved`
  return actThenShow(request, { schema: experimentFormSchema(tenant.config), pageHref, issuePrefix }, (form) =>
    actOnExperimentForm(context.db, { tenant, actor, proposalId, form }),
  )
}

export default function DeskExperiment() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<AppFailure>()
  const { t } = useTranslation('after')
  return (
    <AfterDecisionPage
      backHref={data.base}
      backLabel={t('agreement.back')}
      heading={data.heading}
      intro={t('experiment.intro')}
      failure={failure}
    >
      <ExperimentRecord
        view={data.experiment}
        side="city"
        isDesk={data.isDesk}
        errors={failure?.fieldErrors ?? {}}
      />
    </AfterDecisionPage>
  )
}

export const meta = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
