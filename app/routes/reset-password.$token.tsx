import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { FormAlert, useValidatedForm } from '~/components/forms'
import { resetPassword } from '~/operations/accounts/accounts.server'
import { fields } from '~/http/form-schemas'
import { parseSubmission } from '~/http/form-validation.server'
import { signedInRedirect } from '~/operations/accounts/sign-in.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { NewPasswordField } from '~/components/account-parts'
import { refusal } from '~/http/errors.server'
import { titleMeta } from '~/utils/page-meta'

const ResetPasswordSchema = z.object({ password: fields.newPassword })

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getFixedT(await getLocale(request))
  return json({ title: t('auth:reset.title') })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  try {
    const form = parseSubmission(await request.formData(), ResetPasswordSchema)
    const userId = await resetPassword(context.db, {
      token: params.token ?? '',
      newPassword: form.password,
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
  const { form, errors, alert } = useValidatedForm({
    id: 'reset-password',
    schema: ResetPasswordSchema,
    failure,
  })
  return (
    <section className="narrow">
      <h1>{t('reset.title')}</h1>
      <FormAlert {...alert} labels={{ password: t('reset.password') }} />
      {failure?.formError === 'auth:errors.invalid_token' ? (
        <p>
          <Link to="/forgot-password">{t('reset.again')}</Link>
        </p>
      ) : null}
      <Form method="post" className="stack" {...form}>
        <NewPasswordField label={t('reset.password')} errors={errors} />
        <button type="submit" className="button button--primary">
          {t('reset.submit')}
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
