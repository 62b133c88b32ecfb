import {
  json,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import {
  IndividualNotice,
  LocaleField,
  NewPasswordField,
  OrganisationFields,
} from '~/components/account-parts'
import { FormAlert, TextField } from '~/components/forms'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { organisationKinds } from '../../db/schema'
import { signUp } from '~/utils/accounts.server'
import {
  fields,
  organisationFrom,
  organisationNameRequired,
  organisationProfileSchema,
} from '~/utils/form-schemas'
import { invalidForm, parseForm, refused, siteOrigin } from '~/utils/form-validation.server'
import { deliverPendingMail } from '~/utils/mail.server'
import { requireAnonymous } from '~/utils/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { retryAfterOf } from '~/utils/account-errors'

const SignUpSchema = organisationProfileSchema
  .extend({
    displayName: fields.displayName,
    email: fields.email,
    password: fields.newPassword,
    locale: fields.locale,
  })
  .superRefine(organisationNameRequired)

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireAnonymous(context)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  return json({ title: t('auth:signUp.title'), locale, kinds: organisationKinds })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(SignUpSchema, await request.formData())
  if (!form.ok) return invalidForm(form.fieldErrors)
  const { displayName, email, password, locale, ...profile } = form.data
  try {
    await signUp(context.db, {
      user: { displayName, email, password, locale },
      organisation: organisationFrom(profile, displayName),
      ip: context.clientIp,
      origin: siteOrigin(context),
    })
  } catch (error) {
    return refused(error)
  }
  await deliverPendingMail({ db: context.db, smtpUrl: context.env.SMTP_URL, from: context.env.MAIL_FROM })
  // The same answer whether the address was new or already had an account (the owner was told by mail).
  return redirect('/sign-in?signedUp=1')
}

export default function SignUp() {
  const { locale, kinds } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const { t } = useTranslation('auth')
  const errors = failure?.fieldErrors
  return (
    <section className="narrow">
      <h1>{t('signUp.title')}</h1>
      <p className="lead">{t('signUp.intro')}</p>
      <IndividualNotice />
      <FormAlert failure={failure} />
      <Form method="post" className="stack" noValidate>
        <fieldset>
          <legend>{t('signUp.personHeading')}</legend>
          <TextField
            name="displayName"
            label={t('signUp.displayName')}
            autoComplete="name"
            errors={errors}
            required
          />
          <TextField
            name="email"
            type="email"
            label={t('signUp.email')}
            autoComplete="email"
            errors={errors}
            required
          />
          <NewPasswordField label={t('signUp.password')} errors={errors} />
          <LocaleField label={t('signUp.locale')} errors={errors} defaultValue={locale} />
        </fieldset>
        <fieldset>
          <legend>{t('signUp.organisationHeading')}</legend>
          <OrganisationFields kinds={kinds} errors={errors} />
        </fieldset>
        <button type="submit" className="button button--primary">
          {t('signUp.submit')}
        </button>
      </Form>
      <p>
        <Link to="/sign-in">{t('signUp.haveAccount')}</Link>
      </p>
    </section>
  )
}

export const headers: HeadersFunction = retryAfterOf

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
