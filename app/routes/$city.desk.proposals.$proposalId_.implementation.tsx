import {
  json,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import {
  AgreementSummary,
  FailureAlert,
  Input,
  MilestoneTable,
  ProgressNotes,
  Select,
} from '~/components/after-decision/parts'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import {
  operationRefused,
  proposalTenant,
  sendProposalNotifications,
  type OperationFailure,
} from '~/operations/edge.server'
import {
  addMilestone,
  postProgressNote,
  readImplementation,
  setMilestoneStatus,
} from '~/operations/implementation/implementation.server'
import { afterDecisionNaming } from '~/utils/after-decision-views.server'
import { requireCityRole } from '~/utils/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { milestoneOwners, milestoneStatuses } from '../../db/schema/after-decision-values'
import afterStylesHref from '~/styles/after.css'
import deskStylesHref from '~/styles/desk.css'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: deskStylesHref },
  { rel: 'stylesheet', href: afterStylesHref },
]

/**
 * 伴走サポート on the city's side: milestones with dates and owners, their
 * status, and progress notes shared with the proposer. Desk and the routed
 * departments both keep it.
 */

const roles = ['desk_admin', 'desk_staff', 'department_staff'] as const

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireCityRole(context, params.city, roles, request)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
  const naming = afterDecisionNaming(tenant, locale, t)
  try {
    const view = await readImplementation(context.db, {
      tenant,
      actor: { kind: 'staff', userId: staff.user.id },
      proposalId: params.proposalId ?? '',
    })
    const { proposal } = view
    return json(
      {
        slug: staff.citySlug,
        proposal: { id: proposal.id, title: proposal.title },
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
    throw operationRefused(error)
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireCityRole(context, params.city, roles, request)
  const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
  const actor = { kind: 'staff' as const, userId: staff.user.id }
  const proposalId = params.proposalId ?? ''
  const form = await request.formData()
  const value = (name: string) => String(form.get(name) ?? '')
  try {
    switch (value('intent')) {
      case 'milestone':
        await addMilestone(context.db, {
          tenant,
          actor,
          proposalId,
          input: {
            title: value('title'),
            dueOn: value('dueOn'),
            owner: value('owner') as (typeof milestoneOwners)[number],
            departmentKey: value('departmentKey') || undefined,
          },
        })
        break
      case 'status':
        await setMilestoneStatus(context.db, {
          tenant,
          actor,
          proposalId,
          milestoneId: value('milestoneId'),
          status: value('status'),
        })
        break
      default:
        await postProgressNote(context.db, {
          tenant,
          actor,
          proposalId,
          milestoneId: value('milestoneId') || undefined,
          body: value('body'),
        })
    }
    await sendProposalNotifications(context, request, tenant)
    return redirect(`/${staff.citySlug}/desk/proposals/${proposalId}/implementation`)
  } catch (error) {
    return operationRefused(error)
  }
}

/** Never cached: the portal layout's public caching must not reach the desk's pages. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export default function DeskImplementation() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<OperationFailure>()
  const { t } = useTranslation('after')
  const errors = failure?.fieldErrors ?? {}
  return (
    <section className="desk-page">
      <p>
        <Link to={`/${data.slug}/desk/proposals/${data.proposal.id}`}>{t('agreement.back')}</Link>
      </p>
      <h1>
        {t('implementation.title')}: {data.proposal.title}
      </h1>
      <p>{t('implementation.intro')}</p>
      <FailureAlert failure={failure} />
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
              <Input
                id="milestone-title"
                name="title"
                label={t('implementation.milestoneTitle')}
                error={errors.title}
                required
              />
              <Input
                id="milestone-due"
                name="dueOn"
                type="date"
                label={t('implementation.dueOn')}
                error={errors.dueOn}
                required
              />
              <Select
                id="milestone-owner"
                name="owner"
                label={t('implementation.owner')}
                options={milestoneOwners.map((owner) => ({
                  value: owner,
                  label: t(`implementation.owners.${owner}`),
                }))}
                error={errors.owner}
              />
              <Select
                id="milestone-department"
                name="departmentKey"
                label={t('implementation.department')}
                emptyLabel={t('implementation.noDepartment')}
                options={data.departments}
                error={errors.departmentKey}
              />
              <button type="submit" className="button">
                {t('implementation.add')}
              </button>
            </Form>
          </section>
          <ProgressNotes notes={data.notes} milestones={data.milestones} error={errors.body} />
        </>
      )}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.proposal.title ?? '' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
