import { Form, Link } from '@remix-run/react'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { SelectField, TextField, useValidatedForm, type ActionFailure } from '~/components/forms'
import { transitionSchema } from '~/http/form-schemas'

/** What a transition may require that is recorded on the experiment page, not in a bare form. */
const experimentRequirements = ['permit_record', 'report_file', 'receipt']

type TransitionView = { id: string; label: string; requires: string[]; methods?: string[] }
type Choice = { id: string; label: string }

/**
 * One small form per available transition, with exactly the inputs it
 * requires (a refused input gets its message from the locale files, never the
 * engine's English words); each carries the version the page was loaded at, so a form left
 * open while someone else moved the proposal is refused as a conflict. Each is
 * checked in the browser with the action's schema (`transitionSchema`).
 */
export function TransitionForms({
  transitions,
  version,
  methods,
  departments,
  routedTo = [],
  failure,
  defaultReason,
  agreementHref,
  experimentHref,
}: {
  transitions: TransitionView[]
  version: number
  methods: Choice[]
  departments: Choice[]
  /** The departments the proposal is routed to: a transition that routes starts from them. */
  routedTo?: string[]
  /** The action's refusal. */
  failure: ActionFailure | undefined
  defaultReason?: string
  /** Where agreement details (with the signed document) are recorded; such transitions link there. */
  agreementHref?: string
  /** Where permits, the report and its receipt are recorded (the experiment page); such transitions link there. */
  experimentHref?: string
}) {
  const { t } = useTranslation('proposals')
  const schema = useMemo(
    () =>
      transitionSchema({
        methods: methods.map((method) => method.id),
        departments: departments.map((department) => department.id),
      }),
    [methods, departments],
  )
  if (transitions.length === 0) return null
  return (
    <section aria-labelledby="actions-heading" className="transition-forms">
      <h2 id="actions-heading">{t('actions.heading')}</h2>
      {transitions.map((transition) => {
        const recordedElsewhere =
          agreementHref && transition.requires.includes('agreement')
            ? agreementHref
            : experimentHref &&
                transition.requires.some((requirement) => experimentRequirements.includes(requirement))
              ? `${experimentHref}#${transition.requires.includes('permit_record') ? 'permits' : 'report'}-heading`
              : undefined
        if (recordedElsewhere) {
          return (
            <p key={transition.id} className="card">
              <Link to={recordedElsewhere} className="button">
                {transition.label}
              </Link>
            </p>
          )
        }
        return (
          <TransitionForm
            key={transition.id}
            transition={transition}
            version={version}
            schema={schema}
            failure={failure}
            methods={methods.filter((method) => !transition.methods || transition.methods.includes(method.id))}
            departments={departments}
            routedTo={routedTo}
            defaultReason={defaultReason}
          />
        )
      })}
    </section>
  )
}

/** The engine's refusal of a missing requirement is worded by the form (`actions.errors.*`); the schema's by its key. */
const requirementMessages: Record<string, string> = {
  reason: 'reason',
  note: 'note',
  'decision.grounds': 'grounds',
  decision: 'grounds',
  collaborationMethod: 'method',
  departments: 'departments',
}

function TransitionForm({
  transition,
  version,
  schema,
  failure,
  methods,
  departments,
  routedTo,
  defaultReason,
}: {
  transition: TransitionView
  version: number
  schema: ReturnType<typeof transitionSchema>
  failure: ActionFailure | undefined
  methods: Choice[]
  departments: Choice[]
  routedTo: string[]
  defaultReason?: string
}) {
  const { t, i18n } = useTranslation('proposals')
  const { form, errors } = useValidatedForm({ id: `transition-${transition.id}`, schema, failure })
  const id = (name: string) => `${transition.id}-${name}`
  const errorOf = (...names: string[]) => {
    const name = names.find((candidate) => errors[candidate])
    if (!name) return undefined
    const message = errors[name]!
    if (i18n.exists(message)) return message
    return requirementMessages[name] ? `proposals:actions.errors.${requirementMessages[name]}` : 'auth:validation.invalid'
  }
  const requires = (requirement: string) => transition.requires.includes(requirement)
  return (
    <Form method="post" className="card stack" aria-label={transition.label} {...form}>
      <input type="hidden" name="intent" value="transition" />
      <input type="hidden" name="transitionId" value={transition.id} />
      <input type="hidden" name="version" value={version} />
      {requires('reason') ? (
        <TextField
          id={id('reason')}
          name="reason"
          label={t('actions.reason')}
          rows={3}
          defaultValue={defaultReason}
          error={errorOf('reason')}
        />
      ) : null}
      {requires('note') ? (
        <TextField id={id('note')} name="note" label={t('actions.note')} rows={3} error={errorOf('note')} />
      ) : null}
      {requires('decision') ? (
        <>
          <TextField
            id={id('grounds')}
            name="decision.grounds"
            label={t('actions.grounds')}
            rows={3}
            error={errorOf('decision.grounds', 'decision')}
          />
          <TextField
            id={id('conditions')}
            name="decision.conditions"
            label={t('actions.conditions')}
            rows={3}
            error={errorOf('decision.conditions')}
          />
        </>
      ) : null}
      {requires('collaboration_method') ? (
        <SelectField
          id={id('method')}
          name="collaborationMethod"
          label={t('actions.method')}
          options={methods.map((method) => ({ value: method.id, label: method.label }))}
          error={errorOf('collaborationMethod')}
        />
      ) : null}
      {requires('departments') ? (
        <fieldset className="field" aria-describedby={errors.departments ? id('departments-error') : undefined}>
          <legend className="field__label">{t('actions.departments')}</legend>
          {errorOf('departments') ? (
            <p id={id('departments-error')} className="field__error">
              {t(errorOf('departments')!)}
            </p>
          ) : null}
          {departments.map((department) => (
            <label key={department.id} className="choice">
              <input
                type="checkbox"
                name="departments"
                value={department.id}
                defaultChecked={routedTo.includes(department.id)}
              />{' '}
              {department.label}
            </label>
          ))}
        </fieldset>
      ) : null}
      {requires('agreement') ? (
        <>
          <TextField id={id('agreement-kind')} name="agreement.kind" label={t('actions.agreementKind')} error={errorOf('agreement.kind', 'agreement')} />
          <TextField
            id={id('agreement-parties')}
            name="agreement.parties"
            label={t('actions.agreementParties')}
            rows={3}
            error={errorOf('agreement.parties')}
          />
          <TextField
            id={id('agreement-date')}
            name="agreement.concludedOn"
            label={t('actions.agreementDate')}
            type="date"
            error={errorOf('agreement.concludedOn')}
          />
        </>
      ) : null}
      <button type="submit" className="button">
        {transition.label}
      </button>
    </Form>
  )
}
