import {
  json,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { FormAlert, FormNotice, TextField, useValidatedForm } from '~/components/forms'
import { requestPasswordReset } from '~/operations/accounts/accounts.server'
import { fields } from '~/http/form-schemas'
import { parseSubmission, siteOrigin } from '~/http/form-validation.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { refusal, retryAfterOf } from '~/http/errors.server'
import { titleMeta } from '~/utils/page-meta'

const ForgotPasswordSchema = z.object({ email: fields.email })

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getFixedT(await getLocale(request))
  return json({ title: t('auth:forgot.title') })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  try {
    const form = parseSubmission(formData, ForgotPasswordSchema)
    await requestPasswordReset(context.db, {
      email: form.email,
      origin: siteOrigin(context),
      ip: context.clientIp,
    })
  } catch (error) {
    return refusal(error, { form: formData })
  }
  // The same answer whether or not the account exists.
  return json({ sent: true as const })
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>()
  const { t } = useTranslation('auth')
  const failure = result && 'sent' in result ? undefined : result
  const { form, errors, values, alert } = useValidatedForm({
    id: 'forgot-password',
    schema: ForgotPasswordSchema,
    failure,
  })
  return (
    <section className="narrow">
      <h1>{t('forgot.title')}</h1>
      {result && 'sent' in result ? (
        <FormNotice>{t('forgot.sent')}</FormNotice>
      ) : (
        <>
          <p>{t('forgot.intro')}</p>
          <FormAlert {...alert} labels={{ email: t('forgot.email') }} />
          <Form method="post" className="stack" {...form}>
            <TextField
              name="email"
              type="email"
              autoComplete="email"
              label={t('forgot.email')}
              errors={errors}
              values={values}
              required
            />
            <button type="submit" className="button button--primary">
              {t('forgot.submit')}
            </button>
          </Form>
        </>
      )}
    </section>
  )
}

export const headers: HeadersFunction = retryAfterOf

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
