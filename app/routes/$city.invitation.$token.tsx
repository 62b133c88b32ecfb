import {
  json,
  type ActionFunctionArgs,
  type AppLoadContext,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { InvitationAcceptance } from '~/components/account-parts'
import { acceptInvitation, findCityTenantId, readInvitation } from '~/operations/city-staff/city-staff.server'
import { getFixedT } from '~/utils/i18n.server'
import { invitationAction, invitationForPage } from '~/http/invitation-acceptance.server'
import type { Invitee } from '~/operations/invitations/invitations.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import { secretLinkPageMeta } from '~/utils/page-meta'

async function cityOf(context: AppLoadContext, slug: string | undefined) {
  const tenant = slug ? context.tenants.get(slug) : undefined
  const tenantId = tenant ? await findCityTenantId(context.db, tenant.slug) : null
  if (!tenant || !tenantId) throw new Response('Not Found', { status: 404 })
  return { tenant, tenantId }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tenant, tenantId } = await cityOf(context, params.city)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const found = await readInvitation(context.db, { tenantId, token: params.token ?? '' })
  const { invitation, state } = invitationForPage(found)
  const department = invitation?.department
    ? (locale === 'en' && invitation.department.nameEn) || invitation.department.nameJa
    : null
  const cityName = tenantText(tenant.config.identity.name, locale, tenant.config.defaultLocale)
  return json(
    {
      title: t('auth:invitation.title', { city: cityName }),
      cityName,
      locale,
      invitation: invitation && { email: invitation.email, role: invitation.role, department },
      state,
      signedInAs: context.user?.email ?? null,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action(args: ActionFunctionArgs) {
  const { context, params } = args
  const { tenantId } = await cityOf(context, params.city)
  const token = params.token ?? ''
  const ip = context.clientIp
  const accept = (invitee: Invitee) => acceptInvitation(context.db, { tenantId, token, invitee, ip })
  return invitationAction(args, {
    accept: async (user) => {
      await accept({ userId: user.id, email: user.email })
      return '/account'
    },
    acceptWithNewAccount: async (newUser) => ({ userId: await accept({ newUser }), next: '/account' }),
  })
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export default function Invitation() {
  const page = useLoaderData<typeof loader>()
  const { t } = useTranslation('auth')
  return (
    <InvitationAcceptance page={page}>
      {(invitation) => (
        <>
          <p className="lead">
            {t('invitation.intro', { city: page.cityName, role: t(`roles.${invitation.role}`) })}
          </p>
          {invitation.department ? (
            <p>{t('invitation.department', { department: invitation.department })}</p>
          ) : null}
        </>
      )}
    </InvitationAcceptance>
  )
}

export const meta: MetaFunction<typeof loader> = secretLinkPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
