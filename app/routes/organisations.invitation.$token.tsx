import {
  json,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { InvitationAcceptance } from '~/components/account-parts'
import { getFixedT } from '~/utils/i18n.server'
import { invitationAction, invitationForPage } from '~/http/invitation-acceptance.server'
import { getLocale } from '~/utils/locale.server'
import type { Invitee } from '~/operations/invitations/invitations.server'
import { acceptMemberInvitation, readMemberInvitation } from '~/operations/organisations/organisations.server'
import { secretLinkPageMeta } from '~/utils/page-meta'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const { invitation, state } = invitationForPage(await readMemberInvitation(context.db, params.token ?? ''))
  return json(
    {
      title: t('auth:memberInvitation.title'),
      locale,
      invitation: invitation && {
        email: invitation.email,
        role: invitation.role,
        organisationName: invitation.organisationName,
      },
      state,
      signedInAs: context.user?.email ?? null,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action(args: ActionFunctionArgs) {
  const { context, params } = args
  const token = params.token ?? ''
  const ip = context.clientIp
  const accept = (invitee: Invitee) => acceptMemberInvitation(context.db, { token, invitee, ip })
  const next = (organisationId: string) => `/organisations/${organisationId}?joined=1`
  return invitationAction(args, {
    accept: async (user) => next((await accept({ userId: user.id, email: user.email })).organisationId),
    acceptWithNewAccount: async (newUser) => {
      const { userId, organisationId } = await accept({ newUser })
      return { userId, next: next(organisationId) }
    },
  })
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export default function MemberInvitation() {
  const page = useLoaderData<typeof loader>()
  const { t } = useTranslation('auth')
  return (
    <InvitationAcceptance page={page}>
      {(invitation) => (
        <p className="lead">
          {t('memberInvitation.intro', {
            organisation: invitation.organisationName,
            role: t(`roles.${invitation.role}`),
          })}
        </p>
      )}
    </InvitationAcceptance>
  )
}

export const meta: MetaFunction<typeof loader> = secretLinkPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
