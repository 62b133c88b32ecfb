import {
  json,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { FormAlert, FormNotice, TextField, useValidatedForm } from '~/components/forms'
import { fields } from '~/http/form-schemas'
import { parseSubmission } from '~/http/form-validation.server'
import { requireAnonymous, safeRedirectPath } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { signedInRedirect, verifySignIn } from '~/operations/accounts/sign-in.server'
import { refusal, retryAfterOf } from '~/http/errors.server'
import { titleMeta } from '~/utils/page-meta'

const SignInSchema = z.object({
  email: fields.email,
  password: fields.anyPassword,
  redirectTo: z.string().optional(),
})

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAnonymous(context)
  const t = await getFixedT(await getLocale(request))
  return json({ title: t('auth:signIn.title') })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  try {
    const form = parseSubmission(formData, SignInSchema)
    const { userId, operator } = await verifySignIn(context.db, { ...form, ip: context.clientIp })
    const next = safeRedirectPath(form.redirectTo, operator ? '/operator' : '/account')
    // Operators give their second factor before anything else (the console refuses a session without it).
    const destination = operator ? `/operator/verify?${new URLSearchParams({ redirectTo: next })}` : next
    // Rotation: whatever session the browser had ends; the signed-in session is a new one.
    return signedInRedirect(request, context, userId, destination)
  } catch (error) {
    return refusal(error, { form: formData })
  }
}

export default function SignIn() {
  const failure = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('auth')
  const { form, errors, values, alert } = useValidatedForm({ id: 'sign-in', schema: SignInSchema, failure })
  const redirectTo = searchParams.get('redirectTo')
  const keepReturn = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ''
  return (
    <section className="narrow">
      <h1>{t('signIn.title')}</h1>
      {searchParams.get('signedUp') && !failure ? <FormNotice>{t('signIn.signedUp')}</FormNotice> : null}
      {redirectTo ? <p>{t('signIn.returnNotice')}</p> : null}
      <FormAlert {...alert} labels={{ email: t('signIn.email'), password: t('signIn.password') }} />
      <Form method="post" className="stack" {...form}>
        <input type="hidden" name="redirectTo" value={redirectTo ?? ''} />
        <TextField
          name="email"
          type="email"
          autoComplete="email"
          label={t('signIn.email')}
          errors={errors}
          values={values}
          required
        />
        <TextField
          name="password"
          type="password"
          autoComplete="current-password"
          label={t('signIn.password')}
          errors={errors}
          required
        />
        <button type="submit" className="button button--primary">
          {t('signIn.submit')}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t('signIn.forgot')}</Link>
      </p>
      <p>
        <Link to={`/sign-up${keepReturn}`}>{t('signIn.noAccount')}</Link>
      </p>
    </section>
  )
}

export const headers: HeadersFunction = retryAfterOf

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
