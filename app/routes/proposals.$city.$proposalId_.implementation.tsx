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
import {
  AgreementSummary,
  FailureAlert,
  MilestoneTable,
  ProgressNotes,
} from '~/components/after-decision/parts'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import {
  operationRefused,
  proposalTenant,
  sendProposalNotifications,
  type OperationFailure,
} from '~/operations/edge.server'
import { postProgressNote, readImplementation } from '~/operations/implementation/implementation.server'
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
 * The proposer's side of the accompanied implementation: the agreement as
 * recorded (with the signed document), the milestones and the progress notes
 * of both sides, and a form to post one. Nothing internal to the city is read here.
 */

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const tenant = await proposalTenant(context, params.city)
  const naming = afterDecisionNaming(tenant, locale, t)
  const base = `/proposals/${tenant.config.slug}/${params.proposalId}`
  try {
    const view = await readImplementation(context.db, {
      tenant,
      actor: { kind: 'proposer', userId: user.id },
      proposalId: params.proposalId ?? '',
    })
    const { proposal } = view
    return json(
      {
        base,
        proposal: { id: proposal.id, title: proposal.title },
        decided: proposal.collaborationMethod !== null,
        agreement: view.agreement
          ? naming.agreementView(
              proposal.collaborationMethod,
              view.agreement,
              (id) => `${base}/attachments/${id}`,
            )
          : null,
        ...naming.implementationViews(view),
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
    await postProgressNote(context.db, {
      tenant,
      actor: { kind: 'proposer', userId: user.id },
      proposalId,
      milestoneId: String(form.get('milestoneId') ?? '') || undefined,
      body: String(form.get('body') ?? ''),
    })
    await sendProposalNotifications(context, request, tenant)
    return redirect(`/proposals/${tenant.config.slug}/${proposalId}/implementation`)
  } catch (error) {
    return operationRefused(error)
  }
}

export default function ProposerImplementation() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<OperationFailure>()
  const { t } = useTranslation('after')
  return (
    <section className="desk-page">
      <p>
        <Link to={data.base}>{t('agreement.back')}</Link>
      </p>
      <h1>
        {t('proposer.title')}: {data.proposal.title}
      </h1>
      <FailureAlert failure={failure} />
      {!data.decided ? (
        <p>{t('implementation.noDecision')}</p>
      ) : (
        <>
          <section aria-labelledby="agreement-heading">
            <h2 id="agreement-heading">{t('agreement.title')}</h2>
            {data.agreement ? (
              <AgreementSummary agreement={data.agreement} />
            ) : (
              <p>{t('agreement.notRecorded')}</p>
            )}
          </section>
          <section aria-labelledby="milestones-heading">
            <h2 id="milestones-heading">{t('implementation.milestones')}</h2>
            <MilestoneTable milestones={data.milestones} />
          </section>
          <ProgressNotes notes={data.notes} milestones={data.milestones} error={failure?.fieldErrors.body} />
        </>
      )}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.proposal.title ?? '' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
