import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { OrganisationFields } from '~/components/account-parts'
import { FormAlert, FormNotice } from '~/components/forms'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { organisationKinds } from '../../db/schema'
import { lacksOrganisationName, organisationFrom, organisationProfileSchema } from '~/utils/form-schemas'
import { invalidForm, parseForm, refused } from '~/utils/form-validation.server'
import { requireOrgMember } from '~/utils/guards.server'
import {
  changeMemberRole,
  readOrganisation,
  removeMember,
  updateOrganisation,
} from '~/utils/organisations.server'

const memberId = z.string().uuid()

const OrganisationActionSchema = z.discriminatedUnion('intent', [
  organisationProfileSchema.extend({ intent: z.literal('profile') }),
  z.object({ intent: z.literal('role'), userId: memberId, role: z.enum(['owner', 'member']) }),
  z.object({ intent: z.literal('remove'), userId: memberId }),
  z.object({ intent: z.literal('leave') }),
])

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const member = await requireOrgMember(context, params.organisationId, ['owner', 'member'], request)
  const { organisation, members } = await readOrganisation(context.db, member)
  return json({
    organisation: {
      name: organisation.name,
      kind: organisation.kind,
      corporateNumber: organisation.corporateNumber,
      address: organisation.address,
      contactPerson: organisation.contactPerson,
    },
    members,
    kinds: organisationKinds,
    me: { userId: member.user.id, isOwner: member.role === 'owner' },
  })
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
  const form = parseForm(OrganisationActionSchema, formData)
  if (!form.ok) return invalidForm(form.fieldErrors)
  const ip = context.clientIp
  try {
    switch (form.data.intent) {
      case 'profile': {
        if (lacksOrganisationName(form.data)) return invalidForm({ organisationName: 'required' })
        await updateOrganisation(context.db, member, {
          profile: organisationFrom(form.data, member.user.displayName),
          ip,
        })
        return redirect(`/organisations/${member.organisationId}?saved=profile`)
      }
      case 'role':
        await changeMemberRole(context.db, member, { userId: form.data.userId, role: form.data.role, ip })
        return redirect(`/organisations/${member.organisationId}?saved=members`)
      case 'remove':
        await removeMember(context.db, member, { userId: form.data.userId, ip })
        return redirect(`/organisations/${member.organisationId}?saved=members`)
      case 'leave':
        await removeMember(context.db, member, { userId: member.user.id, ip })
        return redirect('/account')
    }
  } catch (error) {
    return refused(error)
  }
}

export default function OrganisationPage() {
  const { organisation, members, kinds, me } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('auth')
  const saved = searchParams.get('saved')
  return (
    <section className="narrow">
      <h1>{organisation.name}</h1>
      {saved === 'profile' ? <FormNotice>{t('organisation.saved')}</FormNotice> : null}
      {saved === 'members' ? <FormNotice>{t('organisation.changed')}</FormNotice> : null}
      <FormAlert failure={failure} />

      <h2 id="profile-heading">{t('organisation.profileHeading')}</h2>
      {me.isOwner ? (
        <Form method="post" className="stack" aria-labelledby="profile-heading" noValidate>
          <input type="hidden" name="intent" value="profile" />
          <OrganisationFields kinds={kinds} errors={failure?.fieldErrors} defaults={organisation} />
          <button type="submit" className="button button--primary">
            {t('organisation.save')}
          </button>
        </Form>
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
                <td>{t(`roles.${row.role}`)}</td>
                {me.isOwner ? (
                  <td className="actions">
                    <Form method="post">
                      <input type="hidden" name="intent" value="role" />
                      <input type="hidden" name="userId" value={row.userId} />
                      <input type="hidden" name="role" value={row.role === 'owner' ? 'member' : 'owner'} />
                      <button type="submit" className="button button--small">
                        {t(row.role === 'owner' ? 'organisation.makeMember' : 'organisation.makeOwner')}
                      </button>
                    </Form>
                    {row.userId !== me.userId ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="userId" value={row.userId} />
                        <button type="submit" className="button button--small">
                          {t('organisation.remove', { name: row.displayName })}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Form method="post">
        <input type="hidden" name="intent" value="leave" />
        <button type="submit" className="button">
          {t('organisation.leave')}
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.organisation.name ?? '' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
