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
import { ExperimentRecord } from '~/components/after-decision/experiment'
import { FailureAlert } from '~/components/after-decision/parts'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { actOnUploadForm } from '~/operations/attachments/upload-form.server'
import {
  operationRefused,
  proposalTenant,
  sendProposalNotifications,
  type OperationFailure,
} from '~/operations/edge.server'
import { actOnExperimentForm, issuePrefix } from '~/operations/experiments/experiment-form.server'
import { readExperiment, submitReport } from '~/operations/experiments/experiments.server'
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
 * The proposer's side of a demonstration experiment: the same checklist as the
 * city's, with the proposer's own items to tick, permits to record, the cost
 * rule to acknowledge and the report to hand in (streamed, checked by content).
 */

async function proposerRequest(request: Request, context: LoaderFunctionArgs['context'], city?: string) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const tenant = await proposalTenant(context, city)
  return { locale, tenant, actor: { kind: 'proposer' as const, userId: user.id } }
}

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
        experiment: naming.experimentView(
          view,
          tenant.config.experimentSupport!.track,
          (id) => `${base}/attachments/${id}`,
        ),
      },
      { headers: { 'Cache-Control': 'no-store' } },
    )
  } catch (error) {
    throw operationRefused(error)
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { locale, tenant, actor } = await proposerRequest(request, context, params.city)
  const proposalId = params.proposalId ?? ''
  const page = redirect(`/proposals/${tenant.config.slug}/${proposalId}/experiment`)
  if (request.headers.get('Content-Type')?.startsWith('multipart/form-data')) {
    const t = await getFixedT(locale)
    const failure = await actOnUploadForm(
      request,
      context,
      {
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
    await sendProposalNotifications(context, request, tenant)
    return page
  }
  const form = await request.formData()
  try {
    await actOnExperimentForm(context.db, { tenant, actor, proposalId, form })
    await sendProposalNotifications(context, request, tenant)
    return page
  } catch (error) {
    return operationRefused(error, issuePrefix(form))
  }
}

export default function ProposerExperiment() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<OperationFailure>()
  const { t } = useTranslation('after')
  return (
    <section className="desk-page">
      <p>
        <Link to={data.base}>{t('agreement.back')}</Link>
      </p>
      <h1>
        {t('experiment.title')}: {data.proposal.title}
      </h1>
      <p>{t('experiment.intro')}</p>
      <FailureAlert failure={failure} />
      <ExperimentRecord
        view={data.experiment}
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
