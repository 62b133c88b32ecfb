import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { ExperimentRecord } from '~/components/after-decision/experiment'
import { afterDecisionLinks, afterDecisionMeta, AfterDecisionPage } from '~/components/after-decision/page'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { actOnUploadForm } from '~/http/upload-form.server'
import { actThenShow } from '~/http/edge.server'
import { actOnExperimentForm, experimentFormSchema, issuePrefix } from '~/http/experiment-form.server'
import { readExperiment, submitReport } from '~/operations/experiments/experiments.server'
import { afterDecisionNaming } from '~/http/after-decision-views.server'
import { getFixedT } from '~/utils/i18n.server'
import { proposerRequest } from '~/http/proposer-request.server'
import { refusal, type AppFailure } from '~/http/errors.server'

export const links = afterDecisionLinks

/**
 * The proposer's side of a demonstration experiment: the same checklist as the
 * city's, with the proposer's own items to tick, permits to record, the cost
 * rule to acknowledge and the report to hand in (streamed, checked by content).
 */

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { locale, tenant, actor } = await proposerRequest(request, context, params.city)
  const naming = afterDecisionNaming(tenant, locale, await getFixedT(locale))
  const base = `/proposals/${tenant.config.slug}/${params.proposalId}`
  try {
    const view = await readExperiment(context.db, { tenant, actor, proposalId: params.proposalId ?? '' })
    return json(
      {
        base,
        proposal: { id: view.proposal.id, title: view.proposal.title },
        ...naming.pageTitles('experiment.title', view.proposal.title),
        experiment: naming.experimentView(
          view,
          tenant.config.experimentSupport!.track,
          (id) => `${base}/attachments/${id}`,
        ),
      },
      { headers: { 'Cache-Control': 'no-store' } },
    )
  } catch (error) {
    throw refusal(error)
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { locale, tenant, actor } = await proposerRequest(request, context, params.city)
  const proposalId = params.proposalId ?? ''
  const pageHref = `/proposals/${tenant.config.slug}/${proposalId}/experiment`
  if (request.headers.get('Content-Type')?.startsWith('multipart/form-data')) {
    // The report: streamed to storage and checked by its content before it is linked.
    const t = await getFixedT(locale)
    const failure = await actOnUploadForm(
      request,
      context,
      {
        tenantId: tenant.id,
        limits: {
          report: {
            allowedMimeTypes: tenant.config.attachments.allowedMimeTypes,
            maxBytes: tenant.config.attachments.maxBytes,
            maxFiles: 1,
          },
        },
        locale,
        fileLabel: () => t('after:experiment.reportFile'),
      },
      (_form, filesFor) =>
        submitReport(context.db, { tenant, actor, proposalId, file: filesFor('report')[0] }),
    )
    if (failure) return failure
    return redirect(pageHref)
  }
  return actThenShow(request, { schema: experimentFormSchema(tenant.config), pageHref, issuePrefix }, (form) =>
    actOnExperimentForm(context.db, { tenant, actor, proposalId, form }),
  )
}

export default function ProposerExperiment() {
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
