import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { ActionFailure } from '~/http/form-validation.server'
import { PASSWORD_MIN_LENGTH } from '~/utils/password-rules'

/**
 * Accessible form parts: every field has a visible label; an error is tied to
 * its field with aria-describedby and aria-invalid; the form-level message is
 * announced (role="alert"). Messages are keys in `auth:*`.
 */

type FieldProps = {
  name: string
  label: string
  errors?: ActionFailure['fieldErrors']
  hint?: string
  required?: boolean
}

function describedBy(name: string, hint?: string, error?: string) {
  const ids = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

function FieldMessages({ name, hint, error }: { name: string; hint?: string; error?: string }) {
  const { t } = useTranslation('auth')
  return (
    <>
      {hint ? (
        <p id={`${name}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-error`} className="field__error">
          {t(`validation.${error}`, { min: PASSWORD_MIN_LENGTH })}
        </p>
      ) : null}
    </>
  )
}

function FieldLabel({ name, label, required }: { name: string; label: string; required?: boolean }) {
  const { t } = useTranslation('auth')
  return (
    <label htmlFor={name} className="field__label">
      {label}
      {required ? <span className="field__required">{t('form.required')}</span> : null}
    </label>
  )
}

export function TextField({
  name,
  label,
  errors,
  hint,
  required,
  type = 'text',
  autoComplete,
  defaultValue,
  readOnly,
  multiline,
}: FieldProps & {
  type?: string
  autoComplete?: string
  defaultValue?: string
  readOnly?: boolean
  /** A text of several lines (a postal address: autocomplete="street-address" is for multi-line controls only). */
  multiline?: boolean
}) {
  const error = errors?.[name]
  const control = {
    id: name,
    name,
    autoComplete,
    defaultValue,
    readOnly,
    required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(name, hint, error),
  }
  return (
    <div className="field">
      <FieldLabel name={name} label={label} required={required} />
      <FieldMessages name={name} hint={hint} error={error} />
      {multiline ? <textarea rows={2} {...control} /> : <input type={type} {...control} />}
    </div>
  )
}

export function SelectField({
  name,
  label,
  errors,
  hint,
  required,
  options,
  defaultValue,
}: FieldProps & { options: { value: string; label: string }[]; defaultValue?: string }) {
  const error = errors?.[name]
  return (
    <div className="field">
      <FieldLabel name={name} label={label} required={required} />
      <FieldMessages name={name} hint={hint} error={error} />
      <select
        id={name}
        name={name}
        defaultValue={defaultValue}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  )
}

/** One entry of an error summary: the message, and the id of the field it is about. */
export type SummaryError = { fieldId: string; message: string }

/**
 * The error summary of the DADS / GOV.UK pattern: a titled box at the top of
 * the form that takes focus when it appears (so a keyboard or screen-reader
 * user, and the scrolled page, land on it), one link per error to its field.
 * Following a link focuses the field and brings its label into view.
 */
export function ErrorSummary({
  title,
  errors,
  trigger,
}: {
  title: string
  errors: SummaryError[]
  /** The submission's answer (action data): each new one moves focus to the summary again. */
  trigger?: unknown
}) {
  const box = useRef<HTMLDivElement>(null)
  const signature = errors.map((error) => `${error.fieldId}:${error.message}`).join('|')
  useEffect(() => {
    if (signature) box.current?.focus()
  }, [signature, trigger])
  if (errors.length === 0) return null
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={box}>
      <h2 id="error-summary-title" className="error-summary__title">
        {title}
      </h2>
      <ul className="error-summary__list">
        {errors.map((error) => (
          <li key={`${error.fieldId}:${error.message}`}>
            <a href={`#${error.fieldId}`} onClick={(event) => focusField(event, error.fieldId)}>
              {error.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  )
}

/** Focus the field itself (a fragment link only scrolls) with its label or legend in view above it. */
function focusField(event: React.MouseEvent<HTMLAnchorElement>, fieldId: string) {
  const field = document.getElementById(fieldId)
  if (!field) return
  event.preventDefault()
  const label =
    field.closest('fieldset')?.querySelector('legend') ??
    document.querySelector(`label[for="${CSS.escape(fieldId)}"]`) ??
    field
  label.scrollIntoView({ block: 'start' })
  field.focus({ preventScroll: true })
}

/**
 * The form-level outcome: a refusal, or the error summary linking each field's
 * error to its field. `labels` names the fields (by input name) in the summary.
 */
export function FormAlert({
  failure,
  labels = {},
}: {
  failure: ActionFailure | undefined
  labels?: Record<string, string>
}) {
  const { t } = useTranslation('auth')
  if (!failure) return null
  if (failure.formError) {
    return (
      <FocusedAlert trigger={failure}>
        {t(failure.formError, { minutes: failure.retryAfterMinutes })}
      </FocusedAlert>
    )
  }
  const errors = Object.entries(failure.fieldErrors ?? {}).map(([name, error]) => {
    const message = t(`validation.${error}`, { min: PASSWORD_MIN_LENGTH })
    return { fieldId: name, message: labels[name] ? `${labels[name]}: ${message}` : message }
  })
  return <ErrorSummary title={t('form.correctErrors')} errors={errors} trigger={failure} />
}

/** A refusal of the whole form (not of one field): announced, and focused so the page shows it. */
export function FocusedAlert({ children, trigger }: { children: React.ReactNode; trigger: unknown }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    box.current?.focus()
  }, [trigger])
  return (
    <div className="form-alert" role="alert" tabIndex={-1} ref={box}>
      {children}
    </div>
  )
}

/**
 * A field whose hint sits under its label: the control is given the hint's id
 * to point to (`aria-describedby`).
 */
export function HintedField({
  id,
  label,
  hint,
  children,
}: {
  id: string
  label: string
  hint: string
  children: (hintId: string) => React.ReactNode
}) {
  const hintId = `${id}-hint`
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p id={hintId} className="field__hint">
        {hint}
      </p>
      {children(hintId)}
    </div>
  )
}

/** A confirmation after a successful change. */
export function FormNotice({ children }: { children: React.ReactNode }) {
  return (
    <div className="form-notice" role="status">
      {children}
    </div>
  )
}
