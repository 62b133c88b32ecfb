import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { afterDecisionLinks, afterDecisionMeta, AfterDecisionPage } from '~/components/after-decision/page'
import {
  AgreementSummary,
  MilestoneTable,
  ProgressNotes,
  useFieldError,
} from '~/components/after-decision/parts'
import { SelectField, TextField } from '~/components/forms'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { actThenShow } from '~/http/edge.server'
import { fields, hidden, intents, ProgressNoteSchema } from '~/http/form-schemas'
import {
  addMilestone,
  postProgressNote,
  readImplementation,
  setMilestoneStatus,
} from '~/operations/implementation/implementation.server'
import { afterDecisionNaming } from '~/http/after-decision-views.server'
import { deskStaffRequest } from '~/http/desk-request.server'
import { getFixedT } from '~/utils/i18n.server'
import { milestoneOwners, milestoneStatuses } from '../../db/schema/after-decision-values'
import { refusal, type AppFailure } from '~/http/errors.server'

export const links = afterDecisionLinks

/**
 * 伴走サポート on the city's side: milestones with dates and owners, their
 * status, and progress notes shared with the proposer. Desk and the routed
 * departments both keep it.
 */

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { staff, locale, tenant, actor } = await deskStaffRequest(request, context, params.city)
  const naming = afterDecisionNaming(tenant, locale, await getFixedT(locale))
  try {
    const view = await readImplementation(context.db, { tenant, actor, proposalId: params.proposalId ?? '' })
    const { proposal } = view
    return json(
      {
        slug: staff.citySlug,
        proposal: { id: proposal.id, title: proposal.title },
        ...naming.pageTitles('implementation.title', proposal.title),
        decided: proposal.collaborationMethod !== null,
        agreement: view.agreement
          ? naming.agreementView(
              proposal.collaborationMethod,
              view.agreement,
              (id) => `/${staff.citySlug}/desk/attachments/${id}`,
            )
          : null,
        ...naming.implementationViews(view),
        departments: tenant.config.departments.map((department) => ({
          value: department.id,
          label: naming.text(department.name),
        })),
      },
      { headers: { 'Cache-Control': 'no-store' } },
    )
  } catch (error) {
    throw refusal(error)
  }
}

/** The city's forms: a milestone (its department one of the city's), a milestone's status, a progress note. */
function implementationSchema(config: { departments: { id: string }[] }) {
  return intents([
    z.object({
      intent: z.literal('milestone'),
      title: fields.requiredText(200),
      dueOn: fields.requiredDate,
      owner: z.enum(milestoneOwners),
      departmentKey: fields.oneOf(config.departments.map((department) => department.id)).optional(),
    }),
    z.object({ intent: z.literal('status'), milestoneId: hidden.id, status: z.enum(milestoneStatuses) }),
    ProgressNoteSchema,
  ])
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { staff, tenant, actor } = await deskStaffRequest(request, context, params.city)
  const target = { tenant, actor, proposalId: params.proposalId ?? '' }
  const pageHref = `/${staff.citySlug}/desk/proposals/${target.proposalId}/implementation?done=saved`
  return actThenShow(request, { schema: implementationSchema(tenant.config), pageHref }, async (form) => {
    switch (form.intent) {
      case 'milestone': {
        const { intent: _intent, ...input } = form
        await addMilestone(context.db, { ...target, input })
        return
      }
      case 'status':
        await setMilestoneStatus(context.db, { ...target, milestoneId: form.milestoneId, status: form.status })
        return
      case 'note':
        await postProgressNote(context.db, { ...target, milestoneId: form.milestoneId, body: form.body })
    }
  })
}

export default function DeskImplementation() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<AppFailure>()
  const { t } = useTranslation('after')
  const fieldError = useFieldError(failure?.fieldErrors ?? {})
  return (
    <AfterDecisionPage
      backHref={`/${data.slug}/desk/proposals/${data.proposal.id}`}
      backLabel={t('agreement.back')}
      heading={data.heading}
      intro={t('implementation.intro')}
      failure={failure}
    >
      {!data.decided ? (
        <p>{t('implementation.noDecision')}</p>
      ) : (
        <>
          {data.agreement ? <AgreementSummary agreement={data.agreement} /> : null}
          <section aria-labelledby="milestones-heading">
            <h2 id="milestones-heading">{t('implementation.milestones')}</h2>
            <MilestoneTable
              milestones={data.milestones}
              statusControl={(milestone) => (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="status" />
                  <input type="hidden" name="milestoneId" value={milestone.id} />
                  <select
                    name="status"
                    defaultValue={milestone.status}
                    aria-label={t('implementation.statusFor', { title: milestone.title })}
                  >
                    {milestoneStatuses.map((status) => (
                      <option key={status} value={status}>
                        {t(`implementation.statuses.${status}`)}
                      </option>
                    ))}
                  </select>{' '}
                  <button type="submit" className="button button--small">
                    {t('implementation.updateStatus')}
                  </button>
                </Form>
              )}
            />
            <Form method="post" className="stack card" aria-labelledby="add-milestone-heading">
              <h3 id="add-milestone-heading">{t('implementation.add')}</h3>
              <input type="hidden" name="intent" value="milestone" />
              <TextField
                id="milestone-title"
                name="title"
                label={t('implementation.milestoneTitle')}
                error={fieldError('title')}
                required
              />
              <TextField
                id="milestone-due"
                name="dueOn"
                type="date"
                label={t('implementation.dueOn')}
                error={fieldError('dueOn')}
                required
              />
              <SelectField
                id="milestone-owner"
                name="owner"
                label={t('implementation.owner')}
                options={milestoneOwners.map((owner) => ({
                  value: owner,
                  label: t(`implementation.owners.${owner}`),
                }))}
                error={fieldError('owner')}
              />
              <SelectField
                id="milestone-department"
                name="departmentKey"
                label={t('implementation.department')}
                emptyLabel={t('implementation.noDepartment')}
                options={data.departments}
                error={fieldError('departmentKey')}
              />
              <button type="submit" className="button">
                {t('implementation.add')}
              </button>
            </Form>
          </section>
          <ProgressNotes notes={data.notes} milestones={data.milestones} error={fieldError('body')} />
        </>
      )}
    </AfterDecisionPage>
  )
}

export const meta = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
