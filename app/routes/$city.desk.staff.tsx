import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { IntentButton, InvitationNotices, InviteForm, PendingInvitations } from '~/components/account-parts'
import { answerTo, FormAlert, FormNotice, SelectField } from '~/components/forms'
import { cityRoles } from '../../db/schema'
import {
  cancelStaffInvitation,
  changeStaffRole,
  inviteStaff,
  readCityStaff,
  removeStaff,
  resendStaffInvitation,
} from '~/operations/city-staff/city-staff.server'
import { setStaffAccountDisabled } from '~/operations/accounts/disable-account.server'
import { choice, fields, hidden, intents, STALE_FORM } from '~/http/form-schemas'
import { parseSubmission, siteOrigin } from '~/http/form-validation.server'
import { requireCityRole } from '~/http/guards.server'
import { readForDeskStaff } from '~/http/desk-request.server'
import { getFixedT } from '~/utils/i18n.server'
import { invitationSent } from '~/operations/invitations/invitations.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import deskStylesHref from '~/styles/desk.css'
import { refusal } from '~/http/errors.server'
import { deskPageMeta } from '~/utils/page-meta'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

/** A department of the city (the operation checks it is one), or none when empty; refused with `message`. */
const department = (message: string) =>
  z
    .string()
    .uuid(message)
    .optional()
    .transform((id) => id ?? null)

// The invitation is the form the admin fills in; the others' values are set by the page (a member's role
// and department are chosen from its own lists).
const InviteSchema = z.object({
  intent: z.literal('invite'),
  email: fields.email,
  role: choice(cityRoles),
  departmentId: department('auth:validation.choose'),
})

const StaffActionSchema = intents([
  InviteSchema,
  z.object({
    intent: z.literal('role'),
    membershipId: hidden.id,
    role: hidden.choice(cityRoles),
    departmentId: department(STALE_FORM),
  }),
  z.object({ intent: z.literal('remove'), membershipId: hidden.id }),
  z.object({ intent: z.literal('cancel'), invitationId: hidden.id }),
  z.object({ intent: z.literal('resend'), invitationId: hidden.id }),
  z.object({ intent: z.literal('disable'), userId: hidden.id }),
  z.object({ intent: z.literal('enable'), userId: hidden.id }),
])

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return readForDeskStaff(
    request,
    context,
    params.city,
    async ({ db, staff, locale, tenant, text }) => {
      const t = await getFixedT(locale)
      const { members, invitations, departments } = await readCityStaff(db, staff)
      return json(
        {
          title: t('auth:staff.title'),
          cityName: text(tenant.config.identity.name),
          me: staff.user.id,
          members: members.map((member) => ({
            ...member,
            disabled: member.disabledAt !== null,
            disabledAt: undefined,
          })),
          invitations: invitations.map((invitation) => ({
            ...invitation,
            expiresAt: invitation.expiresAt.toISOString(),
          })),
          departments: departments.map((department) => ({
            id: department.id,
            name: (locale === 'en' && department.nameEn) || department.nameJa,
          })),
        },
        { headers: { 'Cache-Control': 'no-store' } },
      )
    },
    ['desk_admin'],
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireCityRole(context, params.city, ['desk_admin'], request)
  const formData = await request.formData()
  const ip = context.clientIp
  const back = `/${staff.citySlug}/desk/staff`
  const mail = async () => {
    const locale = await getLocale(request)
    const { config } = context.tenants.get(staff.citySlug)!
    return {
      origin: siteOrigin(context),
      locale,
      cityName: tenantText(config.identity.name, locale, config.defaultLocale),
    }
  }
  try {
    const form = parseSubmission(formData, StaffActionSchema)
    switch (form.intent) {
      case 'invite':
        await inviteStaff(context.db, staff, { ...form, ...(await mail()), ip })
        return invitationSent(context, back, { invited: form.email })
      case 'resend':
        return invitationSent(context, back, {
          resent: await resendStaffInvitation(context.db, staff, { ...form, ...(await mail()), ip }),
        })
      case 'cancel':
        await cancelStaffInvitation(context.db, staff, { ...form, ip })
        return redirect(`${back}?cancelled=1`)
      case 'role':
        await changeStaffRole(context.db, staff, { ...form, ip })
        return redirect(`${back}?saved=role`)
      case 'remove':
        await removeStaff(context.db, staff, { ...form, ip })
        return redirect(`${back}?saved=removed`)
      case 'disable':
      case 'enable': {
        const disabled = form.intent === 'disable'
        await setStaffAccountDisabled(context.db, staff, { userId: form.userId, disabled, ip })
        return redirect(`${back}?saved=${disabled ? 'disabled' : 'enabled'}`)
      }
    }
  } catch (error) {
    return refusal(error, { form: formData })
  }
}

const notices = {
  role: 'staff.changed',
  removed: 'staff.removed',
  disabled: 'staff.accountDisabled',
  enabled: 'staff.accountEnabled',
} as const

export default function DeskStaff() {
  const { cityName, me, members, invitations, departments } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('auth')
  const roleOptions = cityRoles.map((role) => ({ value: role, label: t(`roles.${role}`) }))
  const departmentOptions = [
    { value: '', label: t('staff.noDepartment') },
    ...departments.map((d) => ({ value: d.id, label: d.name })),
  ]
  const departmentName = (id: string | null) =>
    departments.find((d) => d.id === id)?.name ?? t('staff.noDepartment')
  const saved = searchParams.get('saved')
  // The column names, once: each row repeats them as its cells' data-label (a phone shows a card per member).
  const column = {
    name: t('staff.name'),
    email: t('staff.email'),
    role: t('staff.role'),
    status: t('staff.status'),
  }
  return (
    <section className="desk-page">
      <h1>{t('staff.title')}</h1>
      <p>{t('staff.intro')}</p>
      <InvitationNotices />
      {saved && saved in notices ? (
        <FormNotice>{t(notices[saved as keyof typeof notices])}</FormNotice>
      ) : null}
      {/* A refusal of a role change or a one-button form; the invitation's is shown at its form. */}
      <FormAlert failure={answerTo(failure, 'invite') ? undefined : failure} />

      <h2>{t('staff.membersHeading')}</h2>
      <div className="table-scroll card-table">
        <table>
          <caption>{t('staff.membersCaption', { city: cityName })}</caption>
          <thead>
            <tr>
              <th scope="col">{column.name}</th>
              <th scope="col">{column.email}</th>
              <th scope="col">{column.role}</th>
              <th scope="col">{column.status}</th>
              <th scope="col">{t('staff.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.membershipId}>
                <td className="nowrap" data-label={column.name}>
                  {member.displayName}
                </td>
                <td className="nowrap" data-label={column.email}>
                  {member.email}
                </td>
                <td className="cell--text" data-label={column.role}>
                  {t(`roles.${member.role}`)}
                  {member.role === 'department_staff' ? <> ({departmentName(member.departmentId)})</> : null}
                </td>
                <td className="nowrap" data-label={column.status}>
                  {member.disabled ? t('staff.disabledStatus') : t('staff.active')}
                </td>
                <td className="cell--actions">
                  <div className="actions">
                    <Form
                      method="post"
                      className="inline-form"
                      aria-label={t('staff.changeRole', { name: member.displayName })}
                    >
                      <input type="hidden" name="intent" value="role" />
                      <input type="hidden" name="membershipId" value={member.membershipId} />
                      <label htmlFor={`role-${member.membershipId}`} className="visually-hidden">
                        {t('staff.role')}
                      </label>
                      <select id={`role-${member.membershipId}`} name="role" defaultValue={member.role}>
                        {roleOptions.map((option) => (
                          <option key={option.value} value={option.value}>
                            {option.label}
                          </option>
                        ))}
                      </select>
                      <label htmlFor={`department-${member.membershipId}`} className="visually-hidden">
                        {t('staff.department')}
                      </label>
                      <select
                        id={`department-${member.membershipId}`}
                        name="departmentId"
                        defaultValue={member.departmentId ?? ''}
                      >
                        {departmentOptions.map((option) => (
                          <option key={option.value} value={option.value}>
                            {option.label}
                          </option>
                        ))}
                      </select>
                      <button type="submit" className="button button--small">
                        {t('staff.save')}
                      </button>
                    </Form>
                    {member.userId !== me ? (
                      <>
                        <IntentButton
                          intent={member.disabled ? 'enable' : 'disable'}
                          values={{ userId: member.userId }}
                        >
                          {t(member.disabled ? 'staff.enable' : 'staff.disable', { name: member.displayName })}
                        </IntentButton>
                        <IntentButton intent="remove" values={{ membershipId: member.membershipId }}>
                          {t('staff.remove', { name: member.displayName })}
                        </IntentButton>
                      </>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('invitations.heading')}</h2>
      <PendingInvitations
        invitations={invitations.map((invitation) => ({
          ...invitation,
          description:
            t(`roles.${invitation.role}`) +
            (invitation.role === 'department_staff' ? ` (${departmentName(invitation.departmentId)})` : ''),
        }))}
      />

      <InviteForm
        heading={t('staff.inviteHeading')}
        roleOptions={roleOptions}
        defaultRole="department_staff"
        schema={InviteSchema}
        failure={failure}
        labels={{ departmentId: t('staff.department') }}
      >
        {(answers) => (
          <SelectField
            name="departmentId"
            label={t('staff.department')}
            hint={t('staff.departmentHint')}
            options={departmentOptions}
            {...answers}
          />
        )}
      </InviteForm>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = deskPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
