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
import { FormAlert, FormNotice, TextField } from '~/components/forms'
import { fields, hidden } from '~/http/form-schemas'
import { refusal } from '~/http/errors.server'
import { parseSubmission, readQuery } from '~/http/form-validation.server'
import { requireOperator } from '~/http/require-operator.server'
import {
  findAccountForOperator,
  setAccountDisabledAsOperator,
} from '~/operations/accounts/disable-account.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { titleMeta } from '~/utils/page-meta'

// One button on the account found: every value is set by the page (the address only leads back to it).
const AccountChangeSchema = z.object({
  intent: hidden.choice(['disable', 'enable']),
  userId: hidden.id,
  email: hidden.text(254),
})

// The search: an e-mail address, or nothing yet. One that is not an address is refused at its field (400), and
// nothing is looked up, rather than answered 'no account has it'.
const AccountSearchSchema = z.object({ email: fields.email.optional() })

export async function loader({ request, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context)
  const t = await getFixedT(await getLocale(request))
  const { value, fieldErrors, values } = readQuery(new URL(request.url).searchParams, AccountSearchSchema)
  const email = value.email ?? ''
  const account = email ? await findAccountForOperator(context.db, operator, email) : null
  return json(
    { title: t('operator:accounts.title'), email, account, me: operator.user.id, fieldErrors, values },
    { status: Object.keys(fieldErrors).length > 0 ? 400 : 200 },
  )
}

export async function action({ request, context }: ActionFunctionArgs) {
  const operator = await requireOperator(request, context)
  try {
    const form = parseSubmission(await request.formData(), AccountChangeSchema)
    const disabled = form.intent === 'disable'
    await setAccountDisabledAsOperator(context.db, operator, {
      userId: form.userId,
      disabled,
      ip: context.clientIp,
    })
    return redirect(
      `/operator/accounts?${new URLSearchParams({ email: form.email, changed: disabled ? 'disabled' : 'enabled' })}`,
    )
  } catch (error) {
    return refusal(error)
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export default function OperatorAccounts() {
  const { email, account, me, fieldErrors, values } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('operator')
  const changed = searchParams.get('changed')
  return (
    <section>
      <h1>{t('accounts.title')}</h1>
      <p>{t('accounts.intro')}</p>
      {changed === 'disabled' || changed === 'enabled' ? (
        <FormNotice>{t(`accounts.${changed}`)}</FormNotice>
      ) : null}
      {/* The search refused (its address is not one) is a refused form: the summary, the message at the field. */}
      <FormAlert
        failure={failure ?? (Object.keys(fieldErrors).length > 0 ? { fieldErrors } : undefined)}
        labels={{ email: t('accounts.email') }}
        ids={{ email: 'account-email' }}
      />
      <Form method="get" className="inline-form inline-form--field">
        <TextField
          id="account-email"
          name="email"
          type="email"
          autoComplete="off"
          label={t('accounts.email')}
          defaultValue={email}
          required
          errors={fieldErrors}
          values={values}
        />
        <button type="submit" className="button button--small">
          {t('accounts.find')}
        </button>
      </Form>
      {email && !account ? <p role="status">{t('accounts.none', { email })}</p> : null}
      {account ? (
        <dl className="operator-account">
          <dt>{t('accounts.name')}</dt>
          <dd>{account.displayName}</dd>
          <dt>{t('accounts.email')}</dt>
          <dd>{account.email}</dd>
          <dt>{t('accounts.kind')}</dt>
          <dd>{t(account.operator ? 'accounts.operator' : 'accounts.user')}</dd>
          <dt>{t('accounts.status')}</dt>
          <dd>
            {t(account.disabledAt ? 'accounts.disabledStatus' : 'accounts.active')}
            {account.id !== me ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="userId" value={account.id} />
                <input type="hidden" name="email" value={account.email} />
                <button
                  type="submit"
                  name="intent"
                  value={account.disabledAt ? 'enable' : 'disable'}
                  className="button button--small"
                >
                  {t(account.disabledAt ? 'accounts.enable' : 'accounts.disable', {
                    name: account.displayName,
                  })}
                </button>
              </Form>
            ) : null}
          </dd>
        </dl>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
