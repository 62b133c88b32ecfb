import {
  json,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import {
  IndividualNotice,
  LocaleField,
  NewPasswordField,
  OrganisationFields,
} from '~/components/account-parts'
import { FormAlert, TextField, useValidatedForm } from '~/components/forms'
import { organisationKinds } from '../../db/schema'
import { signUp } from '~/operations/accounts/accounts.server'
import {
  fields,
  organisationFrom,
  organisationNameRequired,
  organisationProfileSchema,
} from '~/http/form-schemas'
import { parseSubmission, siteOrigin } from '~/http/form-validation.server'
import { requireAnonymous, safeRedirectPath } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { refusal, retryAfterOf } from '~/http/errors.server'
import { titleMeta } from '~/utils/page-meta'

const SignUpSchema = organisationProfileSchema
  .extend({
    displayName: fields.displayName,
    email: fields.email,
    password: fields.newPassword,
    locale: fields.locale,
    /** Where the visitor was going (e.g. the proposal form with a city chosen): same-site paths only. */
    redirectTo: z.string().optional(),
  })
  .superRefine(organisationNameRequired)

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAnonymous(context)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  return json({ title: t('auth:signUp.title'), locale, kinds: organisationKinds })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  try {
    const { displayName, email, password, locale, redirectTo, ...profile } = parseSubmission(
      formData,
      SignUpSchema,
    )
    await signUp(context.db, {
      user: { displayName, email, password, locale },
      organisation: organisationFrom(profile, displayName),
      ip: context.clientIp,
      origin: siteOrigin(context),
    })
    // The same answer whether the address was new or already had an account (the owner was told by mail).
    // The visitor signs in next and then goes on to where they were going (same-site paths only).
    const next = safeRedirectPath(redirectTo, '')
    return redirect(
      `/sign-in?${new URLSearchParams({ signedUp: '1', ...(next ? { redirectTo: next } : {}) })}`,
    )
  } catch (error) {
    return refusal(error, { form: formData })
  }
}

export default function SignUp() {
  const { locale, kinds } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const { t } = useTranslation('auth')
  const [searchParams] = useSearchParams()
  const { form, errors, values, alert } = useValidatedForm({ id: 'sign-up', schema: SignUpSchema, failure })
  const redirectTo = searchParams.get('redirectTo')
  return (
    <section className="narrow">
      <h1>{t('signUp.title')}</h1>
      <p className="lead">{t('signUp.intro')}</p>
      {redirectTo ? <p>{t('signIn.returnNotice')}</p> : null}
      <IndividualNotice />
      <FormAlert
        {...alert}
        labels={{
          displayName: t('signUp.displayName'),
          email: t('signUp.email'),
          password: t('signUp.password'),
          locale: t('signUp.locale'),
          kind: t('signUp.kind'),
          organisationName: t('signUp.organisationName'),
          corporateNumber: t('signUp.corporateNumber'),
          address: t('signUp.address'),
          contactPerson: t('signUp.contactPerson'),
        }}
      />
      <Form method="post" className="stack" {...form}>
        <input type="hidden" name="redirectTo" value={redirectTo ?? ''} />
        <fieldset>
          <legend>{t('signUp.personHeading')}</legend>
          <TextField
            name="displayName"
            label={t('signUp.displayName')}
            autoComplete="name"
            errors={errors}
            values={values}
            required
          />
          <TextField
            name="email"
            type="email"
            label={t('signUp.email')}
            autoComplete="email"
            errors={errors}
            values={values}
            required
          />
          <NewPasswordField label={t('signUp.password')} errors={errors} />
          <LocaleField label={t('signUp.locale')} errors={errors} values={values} defaultValue={locale} />
        </fieldset>
        <fieldset>
          <legend>{t('signUp.organisationHeading')}</legend>
          <OrganisationFields kinds={kinds} errors={errors} values={values} />
        </fieldset>
        <button type="submit" className="button button--primary">
          {t('signUp.submit')}
        </button>
      </Form>
      <p>
        <Link to={`/sign-in${redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ''}`}>
          {t('signUp.haveAccount')}
        </Link>
      </p>
    </section>
  )
}

export const headers: HeadersFunction = retryAfterOf

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
