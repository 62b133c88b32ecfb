import { useTranslation } from 'react-i18next'
import type { ActionFailure } from '~/utils/form-validation.server'
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

/** The form-level outcome: a refusal, or a list of what to correct. */
export function FormAlert({ failure }: { failure: ActionFailure | undefined }) {
  const { t } = useTranslation('auth')
  if (!failure) return null
  if (failure.formError) {
    return (
      <div className="form-alert" role="alert">
        {t(`errors.${failure.formError}`, { minutes: failure.retryAfterMinutes })}
      </div>
    )
  }
  if (failure.fieldErrors && Object.keys(failure.fieldErrors).length > 0) {
    return (
      <div className="form-alert" role="alert">
        {t('form.correctErrors')}
      </div>
    )
  }
  return null
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
