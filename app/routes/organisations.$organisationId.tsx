import {
  json,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import {
  IntentButton,
  InvitationNotices,
  InviteForm,
  OrganisationFields,
  PendingInvitations,
} from '~/components/account-parts'
import { answerTo, FormAlert, FormNotice, useValidatedForm } from '~/components/forms'
import { organisationKinds } from '../../db/schema'
import {
  choice,
  fields,
  hidden,
  intents,
  organisationFrom,
  organisationNameRequired,
  organisationProfileSchema,
} from '~/http/form-schemas'
import { parseSubmission, siteOrigin } from '~/http/form-validation.server'
import { requireOrgMember, withOrgMember } from '~/http/guards.server'
import { INVITATION_TTL_DAYS, invitationSent } from '~/operations/invitations/invitations.server'
import { getLocale } from '~/utils/locale.server'
import {
  cancelMemberInvitation,
  changeMemberRole,
  inviteMember,
  readOrganisation,
  removeMember,
  resendMemberInvitation,
  updateOrganisation,
} from '~/operations/organisations/organisations.server'
import { refusal } from '~/http/errors.server'
import { pageTitle } from '~/utils/page-meta'

const MEMBER_ROLES = ['owner', 'member'] as const

// The two forms the owner fills in; the other intents are one-button forms whose values the page sets.
const ProfileSchema = organisationProfileSchema.extend({ intent: z.literal('profile') })
const InviteSchema = z.object({
  intent: z.literal('invite'),
  email: fields.email,
  role: choice(MEMBER_ROLES),
})

const OrganisationActionSchema = intents([
  ProfileSchema,
  InviteSchema,
  z.object({ intent: z.literal('role'), userId: hidden.id, role: hidden.choice(MEMBER_ROLES) }),
  z.object({ intent: z.literal('remove'), userId: hidden.id }),
  z.object({ intent: z.literal('leave') }),
  z.object({ intent: z.literal('cancel'), invitationId: hidden.id }),
  z.object({ intent: z.literal('resend'), invitationId: hidden.id }),
]).superRefine((form, ctx) => {
  if (form.intent === 'profile') organisationNameRequired(form, ctx)
})

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // The membership and the page's reads: one transaction.
  const { member, organisation, members, invitations } = await withOrgMember(
    context,
    params.organisationId,
    ['owner', 'member'],
    request,
    async (member, db) => ({ member, ...(await readOrganisation(db, member)) }),
  )
  return json(
    {
      organisation: {
        name: organisation.name,
        kind: organisation.kind,
        corporateNumber: organisation.corporateNumber,
        address: organisation.address,
        contactPerson: organisation.contactPerson,
      },
      members,
      invitations: invitations.map((invitation) => ({
        ...invitation,
        expiresAt: invitation.expiresAt.toISOString(),
      })),
      kinds: organisationKinds,
      invitationDays: INVITATION_TTL_DAYS,
      me: { userId: member.user.id, isOwner: member.role === 'owner' },
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  const intent = formData.get('intent')
  // Leaving is for any member; everything else is for owners.
  const member = await requireOrgMember(
    context,
    params.organisationId,
    intent === 'leave' ? ['owner', 'member'] : ['owner'],
    request,
  )
  const ip = context.clientIp
  const back = `/organisations/${member.organisationId}`
  const mail = async () => ({
    origin: siteOrigin(context),
    locale: await getLocale(request),
  })
  try {
    const form = parseSubmission(formData, OrganisationActionSchema)
    switch (form.intent) {
      case 'profile': {
        await updateOrganisation(context.db, member, {
          profile: organisationFrom(form, member.user.displayName),
          ip,
        })
        return redirect(`${back}?saved=profile`)
      }
      case 'role':
        await changeMemberRole(context.db, member, { userId: form.userId, role: form.role, ip })
        return redirect(`${back}?saved=members`)
      case 'remove':
        await removeMember(context.db, member, { userId: form.userId, ip })
        return redirect(`${back}?saved=members`)
      case 'leave':
        await removeMember(context.db, member, { userId: member.user.id, ip })
        return redirect('/account')
      case 'invite':
        await inviteMember(context.db, member, { ...form, ...(await mail()), ip })
        return invitationSent(context, back, { invited: form.email })
      case 'resend':
        return invitationSent(context, back, {
          resent: await resendMemberInvitation(context.db, member, { ...form, ...(await mail()), ip }),
        })
      case 'cancel':
        await cancelMemberInvitation(context.db, member, { ...form, ip })
        return redirect(`${back}?cancelled=1`)
    }
  } catch (error) {
    return refusal(error, { form: formData })
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

const notices = {
  profile: 'organisation.saved',
  members: 'organisation.changed',
} as const

export default function OrganisationPage() {
  const { organisation, members, invitations, kinds, invitationDays, me } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('auth')
  const saved = searchParams.get('saved')
  const owners = members.filter((row) => row.role === 'owner').length
  const roleOptions = (['member', 'owner'] as const).map((value) => ({ value, label: t(`roles.${value}`) }))
  const profile = useValidatedForm({
    id: 'organisation-profile',
    schema: ProfileSchema.superRefine(organisationNameRequired),
    failure: answerTo(failure, 'profile'),
  })
  return (
    <section className="narrow">
      <h1>{organisation.name}</h1>
      {saved && saved in notices ? (
        <FormNotice>{t(notices[saved as keyof typeof notices])}</FormNotice>
      ) : null}
      <InvitationNotices />
      {searchParams.has('joined') ? (
        <FormNotice>{t('memberInvitation.joined', { organisation: organisation.name })}</FormNotice>
      ) : null}
      {/* A refusal of a one-button form (a role, a removal, leaving, an invitation's link). */}
      <FormAlert failure={answerTo(failure, 'profile', 'invite') ? undefined : failure} />

      <h2 id="profile-heading">{t('organisation.profileHeading')}</h2>
      {me.isOwner ? (
        <>
          <FormAlert
            {...profile.alert}
            labels={{
              kind: t('signUp.kind'),
              organisationName: t('signUp.organisationName'),
              corporateNumber: t('signUp.corporateNumber'),
              address: t('signUp.address'),
              contactPerson: t('signUp.contactPerson'),
            }}
          />
          <Form method="post" className="stack" aria-labelledby="profile-heading" {...profile.form}>
            <input type="hidden" name="intent" value="profile" />
            <OrganisationFields
              kinds={kinds}
              errors={profile.errors}
              values={profile.values}
              defaults={organisation}
            />
            <button type="submit" className="button button--primary">
              {t('organisation.save')}
            </button>
          </Form>
        </>
      ) : (
        <>
          <dl className="definition-list">
            <dt>{t('signUp.kind')}</dt>
            <dd>{t(`kinds.${organisation.kind}`)}</dd>
            <dt>{t('signUp.corporateNumber')}</dt>
            <dd>{organisation.corporateNumber ?? '—'}</dd>
            <dt>{t('signUp.address')}</dt>
            <dd>{organisation.address || '—'}</dd>
            <dt>{t('signUp.contactPerson')}</dt>
            <dd>{organisation.contactPerson || '—'}</dd>
          </dl>
          <p className="field__hint">{t('organisation.readOnly')}</p>
        </>
      )}

      <h2>{t('organisation.membersHeading')}</h2>
      <div className="table-scroll">
        <table>
          <caption>{t('organisation.membersCaption', { name: organisation.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('organisation.name')}</th>
              <th scope="col">{t('organisation.email')}</th>
              <th scope="col">{t('organisation.role')}</th>
              {me.isOwner ? <th scope="col">{t('organisation.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {members.map((row) => (
              <tr key={row.userId}>
                <td>
                  {row.displayName} {row.userId === me.userId ? t('organisation.you') : null}
                </td>
                <td>{row.email}</td>
                <td className="nowrap">{t(`roles.${row.role}`)}</td>
                {me.isOwner ? (
                  <td>
                    <div className="actions">
                      {row.role === 'owner' && owners === 1 ? (
                        <span className="field__hint">{t('organisation.onlyOwner')}</span>
                      ) : (
                        <IntentButton
                          intent="role"
                          values={{ userId: row.userId, role: row.role === 'owner' ? 'member' : 'owner' }}
                        >
                          {t(row.role === 'owner' ? 'organisation.makeMember' : 'organisation.makeOwner', {
                            name: row.displayName,
                          })}
                        </IntentButton>
                      )}
                      {row.userId !== me.userId ? (
                        <IntentButton intent="remove" values={{ userId: row.userId }}>
                          {t('organisation.remove', { name: row.displayName })}
                        </IntentButton>
                      ) : null}
                    </div>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {me.isOwner ? (
        <>
          <h2>{t('invitations.heading')}</h2>
          <PendingInvitations
            invitations={invitations.map((invitation) => ({
              ...invitation,
              description: t(`roles.${invitation.role}`),
            }))}
          />
          <InviteForm
            heading={t('organisation.inviteHeading')}
            intro={t('organisation.inviteIntro', { days: invitationDays })}
            roleOptions={roleOptions}
            defaultRole="member"
            schema={InviteSchema}
            failure={failure}
          />
        </>
      ) : null}

      <h2>{t('organisation.leaveHeading')}</h2>
      <IntentButton intent="leave">{t('organisation.leave')}</IntentButton>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = (args) => [pageTitle(args, (data) => data.organisation.name)]

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
