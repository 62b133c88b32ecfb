import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { afterDecisionLinks, afterDecisionMeta, AfterDecisionPage } from '~/components/after-decision/page'
import { AgreementSummary, MilestoneTable, ProgressNotes } from '~/components/after-decision/parts'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import type { ActionFailure } from '~/components/forms'
import {
  afterDecisionData,
  afterDecisionPost,
  afterDecisionRequest,
  inAfterDecisionPage,
} from '~/http/after-decision-pages.server'
import { ProgressNoteSchema } from '~/http/form-schemas'
import { postProgressNote, readImplementation } from '~/operations/implementation/implementation.server'

export const links = afterDecisionLinks

/**
 * The proposer's side of the accompanied implementation: the agreement as
 * recorded (with the signed document), the milestones and the progress notes
 * of both sides, and a form to post one. Nothing internal to the city is read here.
 */

export async function loader(args: LoaderFunctionArgs) {
  return inAfterDecisionPage('proposer', args, (page) => {
    const { tenant, actor, proposalId, naming } = page
    return afterDecisionData(
      () => readImplementation(page.db, { tenant, actor, proposalId }),
      (view) => ({
        base: page.base,
        ...naming.pageTitles('proposer.title', view.proposal.title),
        decided: view.proposal.collaborationMethod !== null,
        agreement: view.agreement
          ? naming.agreementView(view.proposal.collaborationMethod, view.agreement, page.attachmentHref)
          : null,
        ...naming.implementationViews(view),
      }),
    )
  })
}

export async function action(args: ActionFunctionArgs) {
  const { tenant, actor, proposalId, afterPost } = await afterDecisionRequest('proposer', args)
  return afterDecisionPost(
    args.request,
    { schema: ProgressNoteSchema, pageHref: afterPost('implementation') },
    (form) =>
      postProgressNote(args.context.db, {
        tenant,
        actor,
        proposalId,
        milestoneId: form.milestoneId,
        body: form.body,
      }),
  )
}

export default function ProposerImplementation() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<ActionFailure>()
  const { t } = useTranslation('after')
  return (
    <AfterDecisionPage
      backHref={data.base}
      backLabel={t('agreement.back')}
      heading={data.heading}
      failure={failure}
      schema={ProgressNoteSchema}
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
          <ProgressNotes notes={data.notes} milestones={data.milestones} />
        </>
      )}
    </AfterDecisionPage>
  )
}

export const meta: MetaFunction<typeof loader> = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
