import {
  json,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { FormAlert, TextField, useValidatedForm } from '~/components/forms'
import { hidden, intents, STALE_FORM } from '~/http/form-schemas'
import { parseSubmission } from '~/http/form-validation.server'
import { requireOperator, sessionHasSecondFactor } from '~/http/require-operator.server'
import {
  enrolTotp,
  isEnrolled,
  rotateVerifiedSession,
  verifyTotp,
} from '~/operations/operator/second-factor.server'
import { generateTotpSecret, otpauthUri } from '~/operations/operator/totp.server'
import { safeRedirectPath } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { refusal, retryAfterOf } from '~/http/errors.server'
import { titleMeta } from '~/utils/page-meta'

/** The code the operator types: six digits (a malformed one is refused at the field, before any check of it). */
const code = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'operator:verify.codeError')
  .default('')
/** The page sets the rest: the form's intent, the secret being enrolled, where to go next. */
const SecondFactorSchema = intents([
  z.object({ intent: z.literal('verify'), code, redirectTo: hidden.text(2000) }),
  z.object({
    intent: z.literal('enrol'),
    code,
    secret: z.string({ required_error: STALE_FORM }).regex(/^[A-Z2-7]{32}$/, STALE_FORM),
    redirectTo: hidden.text(2000),
  }),
])

export async function loader({ request, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context, { secondFactor: 'pending' })
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get('redirectTo'), '/operator')
  if (await sessionHasSecondFactor(context)) throw redirect(redirectTo)
  const t = await getFixedT(await getLocale(request))
  const issuer = t('common:platform.name')
  // Not enrolled yet: a fresh secret is shown and sent back with the first code; it is stored only once a code checks out.
  const secret = (await isEnrolled(context.db, operator)) ? null : generateTotpSecret()
  return json({
    title: t('operator:verify.title'),
    enrolment: secret ? { secret, uri: otpauthUri({ secret, account: operator.user.email, issuer }) } : null,
  })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const operator = await requireOperator(request, context, { secondFactor: 'pending' })
  const formData = await request.formData()
  let redirectTo: string
  try {
    const form = parseSubmission(formData, SecondFactorSchema)
    if (form.intent === 'enrol') await enrolTotp(context.db, operator, { ...form, ip: context.clientIp })
    else await verifyTotp(context.db, operator, { code: form.code, ip: context.clientIp })
    redirectTo = form.redirectTo
  } catch (error) {
    return refusal(error, { form: formData })
  }
  const cookie = await rotateVerifiedSession(context.db, context.auth, operator, {
    ip: context.clientIp,
    userAgent: request.headers.get('User-Agent'),
  })
  return redirect(safeRedirectPath(redirectTo, '/operator'), { headers: { 'Set-Cookie': cookie } })
}

export const headers: HeadersFunction = (args) => ({ 'Cache-Control': 'no-store', ...retryAfterOf(args) })

export default function OperatorVerify() {
  const { enrolment } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('operator')
  const { form, errors, values, alert } = useValidatedForm({
    id: 'second-factor',
    schema: SecondFactorSchema,
    failure,
  })
  return (
    <section className="narrow">
      <h1>{t('verify.title')}</h1>
      <p>{t('verify.intro')}</p>
      <FormAlert {...alert} labels={{ code: t('verify.code') }} ids={{ code: 'totp-code' }} />
      {enrolment ? (
        <>
          <h2>{t('verify.enrolHeading')}</h2>
          <p>{t('verify.enrolIntro')}</p>
          <dl className="definition-list">
            <dt>{t('verify.secret')}</dt>
            <dd>
              <code className="operator-secret" data-testid="totp-secret">
                {enrolment.secret}
              </code>
            </dd>
            <dt>{t('verify.uri')}</dt>
            <dd>
              <code className="operator-secret">{enrolment.uri}</code>
            </dd>
          </dl>
        </>
      ) : null}
      <Form method="post" className="stack" {...form}>
        <input type="hidden" name="intent" value={enrolment ? 'enrol' : 'verify'} />
        {enrolment ? <input type="hidden" name="secret" value={enrolment.secret} /> : null}
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
        <TextField
          id="totp-code"
          name="code"
          label={t('verify.code')}
          hint={t('verify.codeHint')}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
          errors={errors}
          values={values}
        />
        <button type="submit" className="button button--primary">
          {t(enrolment ? 'verify.enrolSubmit' : 'verify.submit')}
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
