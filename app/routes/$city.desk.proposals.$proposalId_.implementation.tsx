import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { afterDecisionLinks, afterDecisionMeta, AfterDecisionPage } from '~/components/after-decision/page'
import {
  AgreementSummary,
  MilestoneTable,
  ProgressNotes,
  useAfterDecisionForm,
} from '~/components/after-decision/parts'
import { SelectField, TextField, type ActionFailure } from '~/components/forms'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import {
  afterDecisionData,
  afterDecisionPost,
  afterDecisionRequest,
  inAfterDecisionPage,
} from '~/http/after-decision-pages.server'
import { fields, hidden, intents, ProgressNoteSchema } from '~/http/form-schemas'
import {
  addMilestone,
  postProgressNote,
  readImplementation,
  setMilestoneStatus,
} from '~/operations/implementation/implementation.server'
import { milestoneOwners, milestoneStatuses } from '../../db/schema/after-decision-values'

export const links = afterDecisionLinks

/**
 * 伴走サポート on the city's side: milestones with dates and owners, their
 * status, and progress notes shared with the proposer. Desk and the routed
 * departments both keep it.
 */

export async function loader(args: LoaderFunctionArgs) {
  return inAfterDecisionPage('city', args, (page) => {
    const { tenant, actor, proposalId, naming } = page
    return afterDecisionData(
      () => readImplementation(page.db, { tenant, actor, proposalId }),
      (view) => ({
        base: page.base,
        ...naming.pageTitles('implementation.title', view.proposal.title),
        decided: view.proposal.collaborationMethod !== null,
        agreement: view.agreement
          ? naming.agreementView(view.proposal.collaborationMethod, view.agreement, page.attachmentHref)
          : null,
        ...naming.implementationViews(view),
        departments: tenant.config.departments.map((department) => ({
          value: department.id,
          label: naming.text(department.name),
        })),
      }),
    )
  })
}

/** The city's forms: a milestone (its department one of the city's), a milestone's status, a progress note. */
function implementationSchema(departmentIds: readonly string[]) {
  return intents([
    z.object({
      intent: z.literal('milestone'),
      title: fields.requiredText(200),
      dueOn: fields.requiredDate,
      owner: z.enum(milestoneOwners),
      departmentKey: fields.oneOf(departmentIds).optional(),
    }),
    z.object({ intent: z.literal('status'), milestoneId: hidden.id, status: z.enum(milestoneStatuses) }),
    ProgressNoteSchema,
  ])
}

export async function action(args: ActionFunctionArgs) {
  const { context } = args
  const { tenant, actor, proposalId, afterPost } = await afterDecisionRequest('city', args)
  const target = { tenant, actor, proposalId }
  const schema = implementationSchema(tenant.config.departments.map((department) => department.id))
  return afterDecisionPost(args.request, { schema, pageHref: afterPost('implementation') }, async (form) => {
    switch (form.intent) {
      case 'milestone': {
        const { intent: _intent, ...input } = form
        await addMilestone(context.db, { ...target, input })
        return
      }
      case 'status':
        await setMilestoneStatus(context.db, {
          ...target,
          milestoneId: form.milestoneId,
          status: form.status,
        })
        return
      case 'note':
        await postProgressNote(context.db, { ...target, milestoneId: form.milestoneId, body: form.body })
    }
  })
}

export default function DeskImplementation() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<ActionFailure>()
  const { t } = useTranslation('after')
  const { departments } = data
  const schema = useMemo(
    () => implementationSchema(departments.map((department) => department.value)),
    [departments],
  )
  return (
    <AfterDecisionPage
      backHref={data.base}
      backLabel={t('agreement.back')}
      heading={data.heading}
      intro={t('implementation.intro')}
      failure={failure}
      schema={schema}
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
            <AddMilestoneForm departments={data.departments} />
          </section>
          <ProgressNotes notes={data.notes} milestones={data.milestones} />
        </>
      )}
    </AfterDecisionPage>
  )
}

/** A new milestone: its title, date, owner and (for the city) department. */
function AddMilestoneForm({ departments }: { departments: { value: string; label: string }[] }) {
  const { t } = useTranslation('after')
  const add = useAfterDecisionForm('add-milestone', { intent: 'milestone' })
  const shown = { errors: add.errors, values: add.values }
  return (
    <Form method="post" className="stack card" aria-labelledby="add-milestone-heading" {...add.form}>
      <h3 id="add-milestone-heading">{t('implementation.add')}</h3>
      <input type="hidden" name="intent" value="milestone" />
      <TextField
        id="milestone-title"
        name="title"
        label={t('implementation.milestoneTitle')}
        {...shown}
        required
      />
      <TextField
        id="milestone-due"
        name="dueOn"
        type="date"
        label={t('implementation.dueOn')}
        {...shown}
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
        {...shown}
      />
      <SelectField
        id="milestone-department"
        name="departmentKey"
        label={t('implementation.department')}
        emptyLabel={t('implementation.noDepartment')}
        options={departments}
        {...shown}
      />
      <button type="submit" className="button">
        {t('implementation.add')}
      </button>
    </Form>
  )
}

export const meta: MetaFunction<typeof loader> = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
