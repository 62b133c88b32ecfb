import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { afterDecisionLinks, afterDecisionMeta, AfterDecisionPage } from '~/components/after-decision/page'
import { AgreementSummary, MilestoneTable, ProgressNotes } from '~/components/after-decision/parts'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { actThenShow } from '~/http/edge.server'
import { ProgressNoteSchema } from '~/http/form-schemas'
import { postProgressNote, readImplementation } from '~/operations/implementation/implementation.server'
import { afterDecisionNaming } from '~/http/after-decision-views.server'
import { getFixedT } from '~/utils/i18n.server'
import { proposerRequest } from '~/http/proposer-request.server'
import { refusal, type AppFailure } from '~/http/errors.server'

export const links = afterDecisionLinks

/**
 * The proposer's side of the accompanied implementation: the agreement as
 * recorded (with the signed document), the milestones and the progress notes
 * of both sides, and a form to post one. Nothing internal to the city is read here.
 */

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { locale, tenant, actor } = await proposerRequest(request, context, params.city)
  const naming = afterDecisionNaming(tenant, locale, await getFixedT(locale))
  const base = `/proposals/${tenant.config.slug}/${params.proposalId}`
  try {
    const view = await readImplementation(context.db, { tenant, actor, proposalId: params.proposalId ?? '' })
    const { proposal } = view
    return json(
      {
        base,
        proposal: { id: proposal.id, title: proposal.title },
        ...naming.pageTitles('proposer.title', proposal.title),
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
    throw refusal(error)
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { tenant, actor } = await proposerRequest(request, context, params.city)
  const proposalId = params.proposalId ?? ''
  const pageHref = `/proposals/${tenant.config.slug}/${proposalId}/implementation`
  return actThenShow(request, { schema: ProgressNoteSchema, pageHref }, (form) =>
    postProgressNote(context.db, { tenant, actor, proposalId, milestoneId: form.milestoneId, body: form.body }),
  )
}

export default function ProposerImplementation() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<AppFailure>()
  const { t } = useTranslation('after')
  return (
    <AfterDecisionPage
      backHref={data.base}
      backLabel={t('agreement.back')}
      heading={data.heading}
      failure={failure}
    >
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
    </AfterDecisionPage>
  )
}

export const meta = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
