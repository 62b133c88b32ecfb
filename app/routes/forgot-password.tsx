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
import { FormAlert, FormNotice, TextField } from '~/components/forms'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { requestPasswordReset } from '~/operations/accounts/accounts.server'
import { fields } from '~/http/form-schemas'
import { invalidForm, parseForm, siteOrigin } from '~/http/form-validation.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { refusal, retryAfterOf } from '~/http/errors.server'

const ForgotPasswordSchema = z.object({ email: fields.email })

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getFixedT(await getLocale(request))
  return json({ title: t('auth:forgot.title') })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(ForgotPasswordSchema, await request.formData())
  if (!form.ok) return invalidForm(form.fieldErrors)
  try {
    await requestPasswordReset(context.db, {
      email: form.data.email,
      origin: siteOrigin(context),
      ip: context.clientIp,
    })
  } catch (error) {
    return refusal(error)
  }
  // The same answer whether or not the account exists.
  return json({ sent: true as const })
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>()
  const { t } = useTranslation('auth')
  return (
    <section className="narrow">
      <h1>{t('forgot.title')}</h1>
      {result && 'sent' in result ? (
        <FormNotice>{t('forgot.sent')}</FormNotice>
      ) : (
        <>
          <p>{t('forgot.intro')}</p>
          <FormAlert failure={result} />
          <Form method="post" className="stack" noValidate>
            <TextField
              name="email"
              type="email"
              autoComplete="email"
              label={t('forgot.email')}
              errors={result?.fieldErrors}
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

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
