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
import { LocaleField, NewPasswordField } from '~/components/account-parts'
import { answerTo, FormAlert, FormNotice, TextField, useValidatedForm } from '~/components/forms'
import {
  changePassword,
  listSessions,
  recordSignOut,
  updateProfile,
} from '~/operations/accounts/accounts.server'
import { fields } from '~/http/form-schemas'
import { parseSubmission } from '~/http/form-validation.server'
import { requireUser } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale, localeCookie } from '~/utils/locale.server'
import { deviceLabel } from '~/utils/user-agent'
import { refusal } from '~/http/errors.server'
import { titleMeta } from '~/utils/page-meta'
import { dateFormat } from '@desk/tenant-config'

const ProfileSchema = z.object({
  intent: z.literal('profile'),
  displayName: fields.displayName,
  locale: fields.locale,
})
const PasswordSchema = z.object({
  intent: z.literal('password'),
  currentPassword: fields.anyPassword,
  newPassword: fields.newPassword,
})
const SettingsSchema = z.discriminatedUnion('intent', [
  ProfileSchema,
  PasswordSchema,
  z.object({ intent: z.literal('sign-out-everywhere') }),
])

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const t = await getFixedT(await getLocale(request))
  const sessions = await listSessions(context.db, user.id)
  return json({
    title: t('auth:settings.title'),
    user: { displayName: user.displayName, locale: user.locale },
    sessions: sessions.map((session) => ({
      key: session.createdAt.toISOString() + (session.ip ?? ''),
      current: session.id === context.session?.id,
      createdAt: session.createdAt.toISOString(),
      lastSeenAt: session.lastSeenAt.toISOString(),
      ip: session.ip,
      userAgent: session.userAgent,
    })),
  })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const origin = { ip: context.clientIp, userAgent: request.headers.get('User-Agent') }
  const formData = await request.formData()
  try {
    const form = parseSubmission(formData, SettingsSchema)
    switch (form.intent) {
      case 'profile': {
        await updateProfile(context.db, { userId: user.id, ...form, ip: context.clientIp })
        return redirect('/account/settings?saved=profile', {
          headers: { 'Set-Cookie': await localeCookie.serialize(form.locale) },
        })
      }
      case 'password': {
        await changePassword(context.db, { userId: user.id, ...form, ip: context.clientIp })
        // Every session has ended; this browser continues in a new one.
        const { cookie } = await context.auth.startSession(user.id, origin)
        return redirect('/account/settings?saved=password', { headers: { 'Set-Cookie': cookie } })
      }
      case 'sign-out-everywhere': {
        await recordSignOut(context.db, { userId: user.id, everywhere: true, ip: context.clientIp })
        await context.auth.endUserSessions(user.id)
        return redirect('/sign-in', { headers: { 'Set-Cookie': context.auth.blankCookie() } })
      }
    }
  } catch (error) {
    return refusal(error, { form: formData })
  }
}

/** The browser and system in short (`Chrome · Linux`); the full User-Agent string when opened. */
function Device({ userAgent }: { userAgent: string | null }) {
  const { t } = useTranslation('auth')
  if (!userAgent) return <>{t('settings.unknown')}</>
  return (
    <details className="device">
      <summary>{deviceLabel(userAgent) ?? t('settings.otherDevice')}</summary>
      <code>{userAgent}</code>
    </details>
  )
}

function DateTime({ value }: { value: string }) {
  const { i18n } = useTranslation()
  return (
    <time dateTime={value}>
      {dateFormat(i18n.language, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'Asia/Tokyo',
      }).format(new Date(value))}
    </time>
  )
}

export default function AccountSettings() {
  const { user, sessions } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('auth')
  const saved = searchParams.get('saved')
  // Each form shows its own answer (the answers it gives back name its intent); anything else is the password's.
  const profileAnswer = answerTo(failure, 'profile')
  const profile = useValidatedForm({ id: 'profile', schema: ProfileSchema, failure: profileAnswer })
  const password = useValidatedForm({
    id: 'password',
    schema: PasswordSchema,
    failure: profileAnswer ? undefined : failure,
  })
  return (
    <section className="narrow">
      <h1>{t('settings.title')}</h1>
      {saved === 'profile' ? <FormNotice>{t('settings.profileSaved')}</FormNotice> : null}
      {saved === 'password' ? <FormNotice>{t('settings.passwordChanged')}</FormNotice> : null}

      <h2 id="profile-heading">{t('settings.profileHeading')}</h2>
      <FormAlert
        {...profile.alert}
        labels={{ displayName: t('settings.displayName'), locale: t('settings.locale') }}
      />
      <Form method="post" className="stack" aria-labelledby="profile-heading" {...profile.form}>
        <input type="hidden" name="intent" value="profile" />
        <TextField
          name="displayName"
          label={t('settings.displayName')}
          autoComplete="name"
          defaultValue={user.displayName}
          errors={profile.errors}
          values={profile.values}
          required
        />
        <LocaleField
          label={t('settings.locale')}
          errors={profile.errors}
          values={profile.values}
          defaultValue={user.locale}
        />
        <button type="submit" className="button button--primary">
          {t('settings.saveProfile')}
        </button>
      </Form>

      <h2 id="password-heading">{t('settings.passwordHeading')}</h2>
      <FormAlert
        {...password.alert}
        labels={{ currentPassword: t('settings.currentPassword'), newPassword: t('settings.newPassword') }}
      />
      <Form method="post" className="stack" aria-labelledby="password-heading" {...password.form}>
        <input type="hidden" name="intent" value="password" />
        <TextField
          name="currentPassword"
          type="password"
          label={t('settings.currentPassword')}
          autoComplete="current-password"
          errors={password.errors}
          required
        />
        <NewPasswordField name="newPassword" label={t('settings.newPassword')} errors={password.errors} />
        <button type="submit" className="button button--primary">
          {t('settings.changePassword')}
        </button>
      </Form>

      <h2>{t('settings.sessionsHeading')}</h2>
      <div className="table-scroll">
        <table>
          <caption>{t('settings.sessionsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('settings.started')}</th>
              <th scope="col">{t('settings.lastSeen')}</th>
              <th scope="col">{t('settings.device')}</th>
              <th scope="col">{t('settings.address')}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.key}>
                <td>
                  <DateTime value={session.createdAt} />
                  {session.current ? <strong className="tag">{t('settings.thisSession')}</strong> : null}
                </td>
                <td>
                  <DateTime value={session.lastSeenAt} />
                </td>
                <td>
                  <Device userAgent={session.userAgent} />
                </td>
                <td>{session.ip ?? t('settings.unknown')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="sign-out-everywhere" />
        <p id="everywhere-hint" className="field__hint">
          {t('settings.signOutEverywhereHint')}
        </p>
        <button type="submit" className="button" aria-describedby="everywhere-hint">
          {t('settings.signOutEverywhere')}
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
