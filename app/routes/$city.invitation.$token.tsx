import {
  json,
  redirect,
  type ActionFunctionArgs,
  type AppLoadContext,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { LocaleField } from '~/components/account-parts'
import { FormAlert, TextField } from '~/components/forms'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import {
  acceptInvitation,
  acceptInvitationWithNewAccount,
  findCityTenantId,
  readInvitation,
} from '~/utils/city-staff.server'
import { fields } from '~/utils/form-schemas'
import { invalidForm, parseForm, refused } from '~/utils/form-validation.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { PASSWORD_MIN_LENGTH } from '~/utils/password-rules'
import { tenantText } from '~/utils/tenant-text'

const InvitationActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('accept') }),
  z.object({
    intent: z.literal('create'),
    displayName: fields.displayName,
    password: fields.newPassword,
    locale: fields.locale,
  }),
])

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
  const invitation = await readInvitation(context.db, { tenantId, token: params.token ?? '' })
  const department = invitation?.department
    ? (locale === 'en' && invitation.department.nameEn) || invitation.department.nameJa
    : null
  const cityName = tenantText(tenant.config.identity.name, locale, tenant.config.defaultLocale)
  return json(
    {
      title: t('auth:invitation.title', { city: cityName }),
      cityName,
      locale,
      invitation:
        invitation?.state === 'open' ? { email: invitation.email, role: invitation.role, department } : null,
      signedInAs: context.user?.email ?? null,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { tenantId } = await cityOf(context, params.city)
  const form = parseForm(InvitationActionSchema, await request.formData())
  if (!form.ok) return invalidForm(form.fieldErrors)
  const token = params.token ?? ''
  const ip = context.clientIp
  try {
    if (form.data.intent === 'accept') {
      if (!context.user)
        throw redirect(`/sign-in?${new URLSearchParams({ redirectTo: new URL(request.url).pathname })}`)
      await acceptInvitation(context.db, {
        tenantId,
        userId: context.user.id,
        email: context.user.email,
        token,
        ip,
      })
      return redirect('/account')
    }
    const { displayName, password, locale } = form.data
    const userId = await acceptInvitationWithNewAccount(context.db, {
      tenantId,
      token,
      user: { displayName, password, locale },
      ip,
    })
    if (context.session) await context.auth.endSession(context.session.id)
    const { cookie } = await context.auth.startSession(userId, {
      ip,
      userAgent: request.headers.get('User-Agent'),
    })
    return redirect('/account', { headers: { 'Set-Cookie': cookie } })
  } catch (error) {
    return refused(error)
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export default function Invitation() {
  const { cityName, locale, invitation, signedInAs } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const location = useLocation()
  const { t } = useTranslation('auth')
  if (!invitation) {
    return (
      <section className="narrow">
        <h1>{t('invitation.title', { city: cityName })}</h1>
        <p role="alert">{t('invitation.invalid')}</p>
      </section>
    )
  }
  const signedInAsInvited = signedInAs?.toLowerCase() === invitation.email.toLowerCase()
  return (
    <section className="narrow">
      <h1>{t('invitation.title', { city: cityName })}</h1>
      <p className="lead">{t('invitation.intro', { city: cityName, role: t(`roles.${invitation.role}`) })}</p>
      {invitation.department ? (
        <p>{t('invitation.department', { department: invitation.department })}</p>
      ) : null}
      <FormAlert failure={failure} />
      {signedInAsInvited ? (
        <Form method="post">
          <input type="hidden" name="intent" value="accept" />
          <button type="submit" className="button button--primary">
            {t('invitation.accept')}
          </button>
        </Form>
      ) : signedInAs ? (
        <p>{t('invitation.otherAccount', { email: signedInAs, invited: invitation.email })}</p>
      ) : (
        <>
          <h2 id="new-account-heading">{t('invitation.newAccountHeading')}</h2>
          <Form method="post" className="stack" aria-labelledby="new-account-heading" noValidate>
            <input type="hidden" name="intent" value="create" />
            <TextField
              name="email"
              type="email"
              label={t('invitation.email')}
              autoComplete="username"
              defaultValue={invitation.email}
              readOnly
            />
            <TextField
              name="displayName"
              label={t('invitation.displayName')}
              autoComplete="name"
              errors={failure?.fieldErrors}
              required
            />
            <TextField
              name="password"
              type="password"
              label={t('invitation.password')}
              hint={t('form.passwordHint', { min: PASSWORD_MIN_LENGTH })}
              autoComplete="new-password"
              errors={failure?.fieldErrors}
              required
            />
            <LocaleField label={t('invitation.locale')} errors={failure?.fieldErrors} defaultValue={locale} />
            <button type="submit" className="button button--primary">
              {t('invitation.createAndAccept')}
            </button>
          </Form>
          <p>
            <Link to={`/sign-in?${new URLSearchParams({ redirectTo: location.pathname })}`}>
              {t('invitation.haveAccount')}
            </Link>
          </p>
        </>
      )}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? '' },
  { name: 'referrer', content: 'no-referrer' },
]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
