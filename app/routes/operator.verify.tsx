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
import { TextField } from '~/components/forms'
import { OperatorAlert } from '~/components/operator/operator-alert'
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
import { AppError } from '../operations/app-error'
import { refusal, retryAfterOf } from '~/http/errors.server'
import { titleMeta } from '~/utils/page-meta'

const code = z
  .string()
  .trim()
  .regex(/^\d{6}$/)
const SecondFactorSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('verify'), code, redirectTo: z.string().optional() }),
  z.object({
    intent: z.literal('enrol'),
    code,
    secret: z.string().regex(/^[A-Z2-7]{32}$/),
    redirectTo: z.string().optional(),
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
  const form = SecondFactorSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!form.success) return refusal(new AppError('invalid_code'))
  try {
    if (form.data.intent === 'enrol')
      await enrolTotp(context.db, operator, { ...form.data, ip: context.clientIp })
    else await verifyTotp(context.db, operator, { code: form.data.code, ip: context.clientIp })
  } catch (error) {
    return refusal(error)
  }
  const cookie = await rotateVerifiedSession(context.db, context.auth, operator, {
    ip: context.clientIp,
    userAgent: request.headers.get('User-Agent'),
  })
  return redirect(safeRedirectPath(form.data.redirectTo, '/operator'), { headers: { 'Set-Cookie': cookie } })
}

export const headers: HeadersFunction = (args) => ({ 'Cache-Control': 'no-store', ...retryAfterOf(args) })

export default function OperatorVerify() {
  const { enrolment } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('operator')
  return (
    <section className="narrow">
      <h1>{t('verify.title')}</h1>
      <p>{t('verify.intro')}</p>
      <OperatorAlert failure={failure} />
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
      <Form method="post" className="stack" noValidate>
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
