import { useForm, getFormProps, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ZodTypeAny } from 'zod'
import { formatFileSize } from '@desk/tenant-config'
import type { AppFailure } from '~/http/errors.server'
import { formErrorMap, isPasswordInput, sentList, type FormValues } from '~/http/form-schemas'
import { PASSWORD_MIN_LENGTH } from '~/utils/password-rules'

/**
 * The one field kit and the one way a page reads its form on the client.
 *
 * Every field has a visible label (with 必須 when required), its hint and its
 * error tied to the control with aria-describedby, and aria-invalid while it
 * is refused. A form's refusal is the error summary (it takes focus and links
 * each error to its field) or, for a refusal of the whole form, an announced
 * alert. `useValidatedForm` validates with the action's own zod schema in the
 * browser (@conform-to/react) and shows the action's answer the same way, so
 * a form works alike with and without JavaScript.
 *
 * Messages are locale keys with their namespace (`auth:validation.required`)
 * or, for a file refused on receipt, a message already in the reader's
 * language; `useIssueMessage` words both.
 *
 * A refused form shows what was typed: the action's answer carries the
 * answers sent (`values`, by the echo rule of ~/http/form-schemas: never a
 * password, only the kit's password inputs may hold one, never a file), which the fields take as their
 * value over their `defaultValue`: the page rendered on the server after a
 * refusal, without JavaScript, gives back every answer to correct.
 */

/** What a form's action answers when it refuses: its fields' errors, or an operation's refusal. */
export type ActionFailure = Partial<AppFailure>

/** Values for the placeholders of the kit's messages (the password rule's length). */
const messageValues = { min: PASSWORD_MIN_LENGTH }

/** A refusal's message in the reader's language: a locale key is translated, anything else is already worded. */
export function useIssueMessage() {
  const { t, i18n } = useTranslation()
  return (message: string | undefined): string | undefined => {
    if (!message) return undefined
    return i18n.exists(message) ? t(message, messageValues) : message
  }
}

/** The ids a control points to and the attributes that say it is refused. */
export function describedBy(id: string, { hint, error }: { hint?: unknown; error?: unknown }) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean)
  return {
    'aria-describedby': ids.length ? ids.join(' ') : undefined,
    'aria-invalid': error ? (true as const) : undefined,
  }
}

type FieldProps = {
  /** The input's name, and its id unless `id` is given. */
  name: string
  id?: string
  /** Its words (a tenant text in its own language: a node). */
  label: ReactNode
  hint?: ReactNode
  required?: boolean
  /** This field's message (a locale key, or already worded). */
  error?: string
  /** The form's messages by input name; this field's is looked up by `name`. */
  errors?: Record<string, string> | undefined
  /** The answers a refused submission sent (`useValidatedForm`'s `values`): this field's, by `name`, is shown again. */
  values?: FormValues | undefined
}

/** The message under a field's label: its hint, then its error, each with the id its control points to. */
export function FieldMessages({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
    </>
  )
}

/** A control's label, marked 必須 / Required when the field must be filled in. */
export function FieldLabel({ id, label, required }: { id: string; label: ReactNode; required?: boolean }) {
  return (
    <label htmlFor={id} className="field__label">
      {label}
      {required ? <RequiredMark /> : null}
    </label>
  )
}

/** 必須 / Required beside a label or legend. */
function RequiredMark() {
  const { t } = useTranslation('auth')
  return <span className="field__required">{t('form.required')}</span>
}

/** The label, hint and error of one field around its control, and the attributes the control takes. */
function useField(props: FieldProps) {
  const issueMessage = useIssueMessage()
  const id = props.id ?? props.name
  const error = issueMessage(props.error ?? props.errors?.[props.name])
  const frame = (control: ReactNode) => (
    <div className="field">
      <FieldLabel id={id} label={props.label} required={props.required} />
      <FieldMessages id={id} hint={props.hint} error={error} />
      {control}
    </div>
  )
  const sent = props.values?.[props.name]
  return {
    frame,
    control: {
      id,
      name: props.name,
      required: props.required,
      ...describedBy(id, { hint: props.hint, error }),
    },
    /** What was sent for this field, if a refused submission sent anything. */
    sent: Array.isArray(sent) ? sent[0] : sent,
  }
}

export function TextField({
  type = 'text',
  autoComplete,
  defaultValue,
  readOnly,
  multiline,
  rows,
  inputMode,
  pattern,
  placeholder,
  maxLength,
  min,
  ...props
}: FieldProps & {
  type?: string
  autoComplete?: string
  defaultValue?: string | null
  readOnly?: boolean
  /** A text of several lines (a postal address: autocomplete="street-address" is for multi-line controls only). */
  multiline?: boolean
  /** A textarea of this many rows. */
  rows?: number
  inputMode?: 'numeric' | 'text' | 'email' | 'tel'
  pattern?: string
  /** The shape of the answer (YYYY-MM) where a browser shows a month input as text; never a label or a hint. */
  placeholder?: string
  maxLength?: number
  /** A number input's least value. */
  min?: number
}) {
  const { frame, control, sent } = useField(props)
  if (type === 'password' && !isPasswordInput(props.name))
    throw new Error(`A password input is one of the kit's PASSWORD_INPUTS, not "${props.name}"`)
  if (type === 'file') throw new Error(`A file input is a FileField, not a TextField ("${props.name}")`)
  // A password is never given back.
  const shown = type === 'password' ? undefined : (sent ?? defaultValue ?? undefined)
  const shared = { ...control, autoComplete, readOnly, maxLength, defaultValue: shown }
  return frame(
    multiline || rows ? (
      <textarea rows={rows ?? 2} {...shared} />
    ) : (
      <input
        type={type}
        inputMode={inputMode}
        pattern={pattern}
        placeholder={placeholder}
        min={min}
        {...shared}
      />
    ),
  )
}

/** A file kept from an earlier save (a draft's), which the reader may download or take out. */
export type SavedFile = { id: string; name: string; bytes: number; href: string }

/**
 * A file input (a file is never given back after a refusal), with above it the
 * files already saved for it: each a download, each with a box (`removeName`,
 * its id as the value) that takes it out when the form is sent; `removed`,
 * the boxes a refused submission sent, stay ticked.
 */
export function FileField({
  accept,
  multiple,
  saved = [],
  removeName,
  removed = [],
  ...props
}: FieldProps & {
  accept?: string
  multiple?: boolean
  saved?: SavedFile[]
  removeName?: string
  removed?: readonly string[]
}) {
  const { frame, control } = useField(props)
  return frame(
    <>
      {saved.length > 0 && removeName ? (
        <SavedFileList id={`${control.id}-saved`} files={saved} removeName={removeName} removed={removed} />
      ) : null}
      <input type="file" accept={accept} multiple={multiple} {...control} />
    </>,
  )
}

function SavedFileList({
  id,
  files,
  removeName,
  removed,
}: {
  id: string
  files: SavedFile[]
  removeName: string
  removed: readonly string[]
}) {
  const { t, i18n } = useTranslation('auth')
  return (
    <fieldset className="saved-files" {...describedBy(id, { hint: true })}>
      <legend>{t('form.savedFiles')}</legend>
      <FieldMessages id={id} hint={t('form.savedFilesHint')} />
      <ul className="plain-list">
        {files.map((file) => (
          <li key={file.id} className="saved-files__item">
            <a href={file.href} download>
              {file.name}
            </a>{' '}
            ({formatFileSize(file.bytes, i18n.language)}){' '}
            <label className="choice choice--inline">
              <input
                type="checkbox"
                name={removeName}
                value={file.id}
                defaultChecked={removed.includes(file.id)}
              />{' '}
              {t('form.removeFile')}
              <span className="visually-hidden">{t('form.removeFileName', { name: file.name })}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  )
}

export function SelectField({
  options,
  defaultValue,
  emptyLabel,
  ...props
}: FieldProps & {
  /** Each choice, with its language when it is not the page's (a tenant text the city left untranslated). */
  options: { value: string; label: string; lang?: string }[]
  defaultValue?: string | null
  /** A first option with no value (nothing chosen). */
  emptyLabel?: string
}) {
  const { frame, control, sent } = useField(props)
  return frame(
    <select {...control} defaultValue={sent ?? defaultValue ?? undefined}>
      {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
      {options.map((option) => (
        <option key={option.value} value={option.value} lang={option.lang}>
          {option.label}
        </option>
      ))}
    </select>,
  )
}

/**
 * Controls under one legend (a fieldset) with the group's hint and error
 * above them; the fieldset takes the group's id, so an error summary's link
 * focuses it with its legend in view. The controls point to the messages
 * themselves (a choice group's boxes), or, where each control has its own
 * message (statements to tick one by one), `describeGroup` ties the group's
 * hint to the fieldset.
 */
export function FieldGroup({
  id,
  label,
  required,
  hint,
  error,
  describeGroup,
  children,
}: {
  id: string
  label: ReactNode
  required?: boolean
  hint?: ReactNode
  /** The group's message, already worded. */
  error?: string
  describeGroup?: boolean
  children: ReactNode
}) {
  return (
    <fieldset
      className="field"
      id={id}
      tabIndex={-1}
      aria-describedby={describeGroup ? describedBy(id, { hint, error })['aria-describedby'] : undefined}
    >
      <legend className="field__label">
        {label}
        {required ? <RequiredMark /> : null}
      </legend>
      <FieldMessages id={id} hint={hint} error={error} />
      {children}
    </fieldset>
  )
}

/** A choice of a checkbox or radio group; `label` may be a node (a tenant text in its own language). */
type ChoiceOption = { value: string; label: ReactNode; disabled?: boolean }

type ChoiceGroupProps = Omit<FieldProps, 'id'> & {
  /** The group's id (its error's and hint's ids start with it); each box is `<id>-<n>`. */
  id?: string
  options: ChoiceOption[]
}

/** A group's boxes or buttons under its legend, each tied to the group's hint and error. */
function ChoiceGroup({
  type,
  inputProps,
  options,
  ...props
}: ChoiceGroupProps & {
  type: 'checkbox' | 'radio'
  /** Whether a choice is checked, and how, for each option. */
  inputProps: (option: ChoiceOption) => Partial<React.InputHTMLAttributes<HTMLInputElement>>
}) {
  const issueMessage = useIssueMessage()
  const id = props.id ?? props.name
  const error = issueMessage(props.error ?? props.errors?.[props.name])
  return (
    <FieldGroup id={id} label={props.label} required={props.required} hint={props.hint} error={error}>
      <div className="choice-list">
        {options.map((option, index) => (
          <label key={option.value} className="choice">
            <input
              type={type}
              id={`${id}-${index}`}
              name={props.name}
              value={option.value}
              disabled={option.disabled}
              {...inputProps(option)}
              {...describedBy(id, { hint: props.hint, error })}
            />{' '}
            {option.label}
          </label>
        ))}
      </div>
    </FieldGroup>
  )
}

/**
 * Several choices as checkboxes under one legend (a fieldset): the hint and
 * the group's error are tied to each box; the boxes a refused submission sent
 * are checked again, else those in `defaultValue`.
 */
export function CheckboxGroup({
  defaultValue = [],
  ...props
}: ChoiceGroupProps & { defaultValue?: readonly string[] }) {
  const checked = props.values ? sentList(props.values, props.name) : defaultValue
  return (
    <ChoiceGroup
      type="checkbox"
      inputProps={(option) => ({ defaultChecked: checked.includes(option.value) })}
      {...props}
    />
  )
}

/**
 * One choice of several as radio buttons under one legend, tied like a
 * checkbox group's. Uncontrolled with `defaultValue` (the choice a refused
 * submission sent wins), or controlled with `value` and `onChange` where the
 * choice changes the form around it.
 */
export function RadioGroup({
  defaultValue,
  value,
  onChange,
  ...props
}: ChoiceGroupProps & {
  defaultValue?: string | null
  value?: string
  onChange?: (value: string) => void
}) {
  const chosen = sentList(props.values, props.name)[0] ?? defaultValue
  return (
    <ChoiceGroup
      type="radio"
      inputProps={(option) =>
        onChange
          ? { checked: value === option.value, onChange: () => onChange(option.value) }
          : { defaultChecked: chosen === option.value }
      }
      {...props}
    />
  )
}

/**
 * One checkbox with its own label after it (a statement to confirm): its hint
 * and error above it, tied to it. Checked again if a refused submission sent
 * its value, else as `defaultChecked` says.
 */
export function CheckboxField({
  value = 'on',
  defaultChecked,
  ...props
}: FieldProps & { value?: string; defaultChecked?: boolean }) {
  const issueMessage = useIssueMessage()
  const id = props.id ?? props.name
  const error = issueMessage(props.error ?? props.errors?.[props.name])
  const checked = props.values ? sentList(props.values, props.name).includes(value) : defaultChecked
  return (
    <div className="field">
      <FieldMessages id={id} hint={props.hint} error={error} />
      <label className="choice">
        <input
          type="checkbox"
          id={id}
          name={props.name}
          value={value}
          required={props.required}
          defaultChecked={checked}
          {...describedBy(id, { hint: props.hint, error })}
        />{' '}
        <span>{props.label}</span>
      </label>
    </div>
  )
}

/**
 * A form's fields from a list (a textarea where `rows` is given): ids
 * `<prefix>-<name>`, each field's message from `errorOf(name)`.
 */
export function Fields({
  prefix,
  fields,
  errorOf,
  values,
}: {
  prefix: string
  fields: {
    name: string
    label: string
    type?: string
    rows?: number
    required?: boolean
    value?: string | null
  }[]
  errorOf: (name: string) => string | undefined
  /** The answers a refused submission sent. */
  values?: FormValues
}) {
  return (
    <>
      {fields.map((field) => (
        <TextField
          key={field.name}
          id={`${prefix}-${field.name}`}
          name={field.name}
          label={field.label}
          type={field.type}
          rows={field.rows}
          required={field.required}
          defaultValue={field.value}
          error={errorOf(field.name)}
          values={values}
        />
      ))}
    </>
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
  /** The submission attempt or the action's answer: each new one moves focus to the summary again. */
  trigger?: unknown
}) {
  const box = useRef<HTMLDivElement>(null)
  const titleId = useId()
  const shown = errors.length > 0
  useEffect(() => {
    if (shown) box.current?.focus()
  }, [shown, trigger])
  if (!shown) return null
  return (
    <div className="error-summary" role="alert" aria-labelledby={titleId} tabIndex={-1} ref={box}>
      <h2 id={titleId} className="error-summary__title">
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
 * The form-level outcome: the error summary linking each field's error to its
 * field (`labels` names the fields, by input name; `ids` gives a field's id
 * where it is not its name, as on a page with two forms of the same inputs),
 * or a refusal of the whole form. `errors` are the fields' messages (from
 * `useValidatedForm`: the browser's check or the action's answer); by default
 * the failure's own.
 */
export function FormAlert({
  failure,
  errors = failure?.fieldErrors ?? {},
  labels = {},
  ids = {},
  trigger = failure,
}: {
  failure: ActionFailure | undefined
  errors?: Record<string, string>
  labels?: Record<string, string>
  ids?: Record<string, string>
  trigger?: unknown
}) {
  const { t } = useTranslation('auth')
  const issueMessage = useIssueMessage()
  const summary = Object.entries(errors).map(([name, error]) => {
    const message = issueMessage(error) ?? ''
    return { fieldId: ids[name] ?? name, message: labels[name] ? `${labels[name]}: ${message}` : message }
  })
  if (summary.length > 0)
    return <ErrorSummary title={t('form.correctErrors')} errors={summary} trigger={trigger} />
  if (!failure?.formError) return null
  return (
    <FocusedAlert trigger={failure}>
      {t(failure.formError, { minutes: failure.retryAfterMinutes })}
    </FocusedAlert>
  )
}

/** A refusal of the whole form (not of one field): announced, and focused so the page shows it. */
export function FocusedAlert({ children, trigger }: { children: ReactNode; trigger: unknown }) {
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

/** The action's refusal as conform's last result: each field's message, marked as checked so it shows. */
export function submissionResultOf(
  failure: ActionFailure | undefined,
): SubmissionResult<string[]> | undefined {
  const fieldErrors = failure?.fieldErrors
  if (!fieldErrors) return undefined
  const names = Object.keys(fieldErrors)
  return {
    status: 'error',
    error: Object.fromEntries(names.map((name) => [name, [fieldErrors[name]!]])),
    state: { validated: Object.fromEntries(names.map((name) => [name, true])) },
  }
}

/**
 * A form read and checked with the action's zod schema (@conform-to/react):
 * in the browser on submit, then again as the user corrects a field; the
 * action's answer (`failure`) shows the same way. Spread `form` on `<Form>`;
 * `errors` are the fields' messages (by input name) for the kit's fields and
 * `FormAlert` (`alert`, whose trigger changes with each submission and each
 * answer, so the summary takes focus again); `values` are the answers the
 * refused submission sent, for the fields to show again (what Epic Stack
 * gives conform as `lastResult.initialValue`). Without JavaScript the action's answer is all there is.
 */
export function useValidatedForm({
  id,
  schema,
  failure,
}: {
  id: string
  /** The action's schema, or for a form whose schema depends on its own choices, how to build it from them. */
  schema: ZodTypeAny | ((formData: FormData) => ZodTypeAny)
  failure: ActionFailure | undefined
}) {
  const [attempt, setAttempt] = useState(0)
  // One result per answer: conform reports a new last result (and focuses its first field) on each change.
  const lastResult = useMemo(() => submissionResultOf(failure), [failure])
  const [form] = useForm({
    id,
    lastResult,
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        schema: typeof schema === 'function' ? schema(formData) : schema,
        errorMap: formErrorMap,
      }),
  })
  const trigger = useMemo(() => ({ attempt, failure }), [attempt, failure])
  const formProps = getFormProps(form)
  const errors: Record<string, string> = {}
  for (const [name, messages] of Object.entries(form.allErrors))
    if (name && messages[0]) errors[name] = messages[0]
  return {
    form: {
      ...formProps,
      onSubmit: (event: FormEvent<HTMLFormElement>) => {
        setAttempt((count) => count + 1)
        formProps.onSubmit(event)
      },
    },
    errors,
    values: failure?.values,
    /** For `<FormAlert {...alert} labels={…} />`. */
    alert: { failure, errors, trigger },
  }
}

/**
 * The action's answer if it is about the form of this `intent` (the answers it
 * gives back say which form was sent), for a page of several forms to show
 * each refusal at its own form.
 */
export function answerTo(
  failure: ActionFailure | undefined,
  ...intents: string[]
): ActionFailure | undefined {
  const intent = failure?.values?.intent
  return typeof intent === 'string' && intents.includes(intent) ? failure : undefined
}

/**
 * The action's answer if it is about this form: the answers it gives back
 * carry each of these values (the form's intent, the id of what it changes),
 * for a page of several forms of one kind (a checklist's items, a request's).
 */
export function answerOf(
  failure: ActionFailure | undefined,
  sent: Record<string, string>,
): ActionFailure | undefined {
  const values = failure?.values
  return values && Object.entries(sent).every(([name, value]) => values[name] === value) ? failure : undefined
}

/** A confirmation after a successful change. */
export function FormNotice({ children }: { children: ReactNode }) {
  return (
    <div className="form-notice" role="status">
      {children}
    </div>
  )
}

/**
 * A list's query refused in part (its page answered 400): what the list shows
 * instead — the results without the refused conditions — and the messages of
 * refused inputs that have no field on the form (the page number). Each
 * field's own message is at its field (the kit's `errors`).
 */
export function RefusedQueryNotice({
  errors,
  fields = [],
  message,
}: {
  /** The refused inputs' messages, by input name. */
  errors: Record<string, string>
  /** The inputs the form shows as fields (none on a list with only a pager). */
  fields?: readonly string[]
  /** What the page shows instead, already worded; by default that the results leave the refused conditions out. */
  message?: string
}) {
  const { t } = useTranslation('common')
  const issueMessage = useIssueMessage()
  const names = Object.keys(errors)
  if (names.length === 0) return null
  const elsewhere = names.filter((name) => !fields.includes(name))
  return (
    <div className="form-alert" role="alert">
      {names.some((name) => fields.includes(name)) ? <p>{message ?? t('query.refused')}</p> : null}
      {elsewhere.map((name) => (
        <p key={name}>{issueMessage(errors[name])}</p>
      ))}
    </div>
  )
}
