import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { FormAlert } from '~/components/forms'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { resetPassword } from '~/operations/accounts/accounts.server'
import { fields } from '~/http/form-schemas'
import { invalidForm, parseForm } from '~/http/form-validation.server'
import { signedInRedirect } from '~/operations/accounts/sign-in.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { NewPasswordField } from '~/components/account-parts'
import { refusal } from '~/http/errors.server'

const ResetPasswordSchema = z.object({ password: fields.newPassword })

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getFixedT(await getLocale(request))
  return json({ title: t('auth:reset.title') })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = parseForm(ResetPasswordSchema, await request.formData())
  if (!form.ok) return invalidForm(form.fieldErrors)
  try {
    const userId = await resetPassword(context.db, {
      token: params.token ?? '',
      newPassword: form.data.password,
      ip: context.clientIp,
    })
    return signedInRedirect(request, context, userId, '/account')
  } catch (error) {
    return refusal(error)
  }
}

export default function ResetPassword() {
  const failure = useActionData<typeof action>()
  const { t } = useTranslation('auth')
  return (
    <section className="narrow">
      <h1>{t('reset.title')}</h1>
      <FormAlert failure={failure} />
      {failure?.formError === 'invalid_token' ? (
        <p>
          <Link to="/forgot-password">{t('reset.again')}</Link>
        </p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <NewPasswordField label={t('reset.password')} errors={failure?.fieldErrors} />
        <button type="submit" className="button button--primary">
          {t('reset.submit')}
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
