import type { ReactNode } from 'react'
import { Form, Link, useActionData, useLocation, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { ZodTypeAny } from 'zod'
import { supportedLocales } from '~/i18n'
import type { FormValues } from '~/http/form-schemas'
import { invitationAccountSchema } from '~/http/form-schemas'
import type { ActionFailure } from './forms'
import { PASSWORD_MIN_LENGTH } from '~/utils/password-rules'
import { answerTo, FormAlert, FormNotice, SelectField, TextField, useValidatedForm } from './forms'
import { mediumDate } from '~/utils/medium-date'

/** Said plainly wherever an individual might expect to propose. */
export function IndividualNotice() {
  const { t } = useTranslation('auth')
  return (
    <aside className="notice" aria-labelledby="individual-notice-title">
      <h2 id="individual-notice-title" className="notice__title">
        {t('individualNotice.title')}
      </h2>
      <p>{t('individualNotice.body')}</p>
    </aside>
  )
}

export function LocaleField({
  label,
  errors,
  values,
  defaultValue,
}: {
  label: string
  errors?: ActionFailure['fieldErrors']
  values?: FormValues
  defaultValue: string
}) {
  const { t } = useTranslation()
  return (
    <SelectField
      name="locale"
      label={label}
      errors={errors}
      values={values}
      defaultValue={defaultValue}
      options={supportedLocales.map((locale) => ({ value: locale, label: t(`language.switchTo.${locale}`) }))}
      required
    />
  )
}

type OrganisationDefaults = {
  name?: string
  kind?: string
  corporateNumber?: string | null
  address?: string
  contactPerson?: string
}

/** The organisation's profile fields (sign-up and the organisation page). */
export function OrganisationFields({
  kinds,
  errors,
  values,
  defaults = {},
}: {
  /** The organisation kinds (from the loader: the list lives in the database schema). */
  kinds: readonly string[]
  errors?: ActionFailure['fieldErrors']
  /** The answers a refused submission sent, shown again. */
  values?: FormValues
  defaults?: OrganisationDefaults
}) {
  const { t } = useTranslation('auth')
  const answers = { errors, values }
  return (
    <>
      <SelectField
        name="kind"
        label={t('signUp.kind')}
        {...answers}
        defaultValue={defaults.kind ?? 'corporation'}
        options={kinds.map((kind) => ({ value: kind, label: t(`kinds.${kind}`) }))}
        required
      />
      <TextField
        name="organisationName"
        label={t('signUp.organisationName')}
        hint={t('signUp.organisationNameHint')}
        autoComplete="organization"
        defaultValue={defaults.name}
        {...answers}
      />
      <TextField
        name="corporateNumber"
        label={t('signUp.corporateNumber')}
        hint={t('signUp.corporateNumberHint')}
        defaultValue={defaults.corporateNumber ?? ''}
        {...answers}
      />
      <TextField
        name="address"
        label={t('signUp.address')}
        autoComplete="street-address"
        multiline
        defaultValue={defaults.address}
        {...answers}
      />
      <TextField
        name="contactPerson"
        label={t('signUp.contactPerson')}
        hint={t('signUp.contactPersonHint')}
        defaultValue={defaults.contactPerson}
        {...answers}
      />
    </>
  )
}

/** A new password with the rule said as a hint (sign-up, reset, settings, invitations). */
export function NewPasswordField({
  name = 'password',
  label,
  errors,
}: {
  name?: string
  label: string
  errors?: ActionFailure['fieldErrors']
}) {
  const { t } = useTranslation('auth')
  return (
    <TextField
      name={name}
      type="password"
      label={label}
      hint={t('form.passwordHint', { min: PASSWORD_MIN_LENGTH })}
      autoComplete="new-password"
      errors={errors}
      required
    />
  )
}

/** What an invitation's accept page loads (the city's and the organisation's pages alike). */
export type InvitationPageData<Invitation extends { email: string }> = {
  title: string
  /** Null when the link no longer works; `state` says why. */
  invitation: Invitation | null
  state: 'open' | 'used' | 'expired' | 'revoked' | 'unknown'
  signedInAs: string | null
  locale: string
}

/**
 * The accept page of an emailed invitation (a city's staff, an organisation's
 * members), with the refusal of its last post (the accept button, or the new
 * account's form).
 */
export function InvitationAcceptance<Invitation extends { email: string }>({
  page: { title, invitation, state, signedInAs, locale },
  children,
}: {
  page: InvitationPageData<Invitation>
  /** What the invitation is for, shown while it is open. */
  children: (invitation: Invitation) => ReactNode
}) {
  const failure = useActionData<ActionFailure>()
  const location = useLocation()
  const { t } = useTranslation('auth')
  // The account form's answer (intent `create`), or the accept button's refusal: shown above both.
  const account = useValidatedForm({ id: 'new-account', schema: invitationAccountSchema, failure })
  if (!invitation) {
    return (
      <section className="narrow">
        <h1>{title}</h1>
        <p role="alert">{t(`invitation.state.${state === 'open' ? 'unknown' : state}`)}</p>
      </section>
    )
  }
  const signedInAsInvited = signedInAs?.toLowerCase() === invitation.email.toLowerCase()
  return (
    <section className="narrow">
      <h1>{title}</h1>
      {children(invitation)}
      <FormAlert
        {...account.alert}
        labels={{
          displayName: t('invitation.displayName'),
          password: t('invitation.password'),
          locale: t('invitation.locale'),
        }}
      />
      {signedInAsInvited ? (
        <Form method="post">
          <input type="hidden" name="intent" value="accept" />
          <button type="submit" className="button button--primary">
            {t('invitation.accept')}
          </button>
        </Form>
      ) : signedInAs ? (
        <p>{t('invitation.otherAccount', { email: signedInAs, invited: invitation.email })}</p>
      ) : (
        <>
          <h2 id="new-account-heading">{t('invitation.newAccountHeading')}</h2>
          <Form method="post" className="stack" aria-labelledby="new-account-heading" {...account.form}>
            <input type="hidden" name="intent" value="create" />
            <TextField
              name="email"
              type="email"
              label={t('invitation.email')}
              autoComplete="email"
              defaultValue={invitation.email}
              readOnly
            />
            <TextField
              name="displayName"
              label={t('invitation.displayName')}
              autoComplete="name"
              errors={account.errors}
              values={account.values}
              required
            />
            <NewPasswordField label={t('invitation.password')} errors={account.errors} />
            <LocaleField
              label={t('invitation.locale')}
              errors={account.errors}
              values={account.values}
              defaultValue={locale}
            />
            <button type="submit" className="button button--primary">
              {t('invitation.createAndAccept')}
            </button>
          </Form>
          <p>
            <Link to={`/sign-in?${new URLSearchParams({ redirectTo: location.pathname })}`}>
              {t('invitation.haveAccount')}
            </Link>
          </p>
        </>
      )}
    </section>
  )
}

/** A one-button form: the intent and its hidden fields (change a role, remove, leave, cancel, resend). */
export function IntentButton({
  intent,
  values = {},
  children,
  label,
  primary = false,
}: {
  intent: string
  values?: Record<string, string>
  children: ReactNode
  /** An accessible name that says more than the visible text (and begins with it). */
  label?: string
  primary?: boolean
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(values).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        className={primary ? 'button button--primary' : 'button button--small'}
        aria-label={label}
      >
        {children}
      </button>
    </Form>
  )
}

/**
 * Invitations awaiting acceptance, each with its expiry and the buttons to
 * cancel it or send it again (a new link; the old one stops working).
 */
export function PendingInvitations({
  invitations,
}: {
  invitations: { id: string; email: string; expiresAt: string; description: string }[]
}) {
  const { t, i18n } = useTranslation('auth')
  const date = mediumDate(i18n.language)
  if (invitations.length === 0) return <p>{t('invitations.none')}</p>
  return (
    <ul className="invitation-list">
      {invitations.map((invitation) => (
        <li key={invitation.id} className="invitation-list__item">
          <p>
            <strong>{invitation.email}</strong> — {invitation.description}
            <br />
            <span className="field__hint">
              {t('invitations.expires', { date: date.format(new Date(invitation.expiresAt)) })}
            </span>
          </p>
          <div className="actions">
            <IntentButton
              intent="resend"
              values={{ invitationId: invitation.id }}
              label={t('invitations.resendFor', { email: invitation.email })}
            >
              {t('invitations.resend')}
            </IntentButton>
            <IntentButton
              intent="cancel"
              values={{ invitationId: invitation.id }}
              label={t('invitations.cancelFor', { email: invitation.email })}
            >
              {t('invitations.cancel')}
            </IntentButton>
          </div>
        </li>
      ))}
    </ul>
  )
}

/** What the page says after an invitation was sent, sent again or cancelled (from the redirect's query). */
export function InvitationNotices() {
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('auth')
  const invited = searchParams.get('invited')
  const resent = searchParams.get('resent')
  return (
    <>
      {invited ? <FormNotice>{t('invitations.sent', { email: invited })}</FormNotice> : null}
      {resent ? <FormNotice>{t('invitations.resent', { email: resent })}</FormNotice> : null}
      {searchParams.has('cancelled') ? <FormNotice>{t('invitations.cancelled')}</FormNotice> : null}
    </>
  )
}

/**
 * The form that invites someone by email to a role, checked with the action's
 * `schema`; a refusal of it (intent `invite`) is shown here with the answers
 * given back. After a send the page comes back with `?invited=`: the form
 * starts afresh (its key changes).
 */
export function InviteForm({
  heading,
  intro,
  roleOptions,
  defaultRole,
  schema,
  failure,
  labels,
  children,
}: {
  heading: string
  intro?: string
  roleOptions: { value: string; label: string }[]
  defaultRole: string
  schema: ZodTypeAny
  /** The action's answer, whichever form it is about. */
  failure?: ActionFailure
  /** The labels of the fields after the role, by name (for the error summary). */
  labels?: Record<string, string>
  /** Fields after the role (a department), given the form's messages and the answers to show again. */
  children?: (answers: { errors: Record<string, string>; values?: FormValues }) => ReactNode
}) {
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('auth')
  const { form, errors, values, alert } = useValidatedForm({
    id: 'invite',
    schema,
    failure: answerTo(failure, 'invite'),
  })
  return (
    <>
      <h2 id="invite-heading">{heading}</h2>
      {intro ? <p>{intro}</p> : null}
      {/* The summary as wide as the form it is about. */}
      <div className="narrow">
        <FormAlert
          {...alert}
          labels={{ email: t('invitations.email'), role: t('invitations.role'), ...labels }}
        />
        <Form
          key={searchParams.get('invited') ?? ''}
          method="post"
          className="stack"
          aria-labelledby="invite-heading"
          {...form}
        >
          <input type="hidden" name="intent" value="invite" />
          <TextField
            name="email"
            type="email"
            autoComplete="off"
            label={t('invitations.email')}
            errors={errors}
            values={values}
            required
          />
          <SelectField
            name="role"
            label={t('invitations.role')}
            options={roleOptions}
            defaultValue={defaultRole}
            errors={errors}
            values={values}
            required
          />
          {children?.({ errors, values })}
          <button type="submit" className="button button--primary">
            {t('invitations.send')}
          </button>
        </Form>
      </div>
    </>
  )
}
