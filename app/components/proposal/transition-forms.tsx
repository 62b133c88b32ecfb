import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import {
  answerOf,
  CheckboxGroup,
  FormAlert,
  SelectField,
  TextField,
  useValidatedForm,
  type ActionFailure,
} from '~/components/forms'
import { transitionSchema } from '~/http/form-schemas'
import { rememberedSchema } from '~/http/remembered-schema'

/** What a transition may require that is recorded on the experiment page, not in a bare form. */
const experimentRequirements = ['permit_record', 'report_file', 'receipt']

type TransitionView = { id: string; label: string; requires: string[]; methods?: string[] }
type Choice = { id: string; label: string }

/** Where a transition is recorded when not in a bare form of its own: the agreement or the experiment page. */
type ElsewhereHrefs = {
  /** Where agreement details (with the signed document) are recorded; such transitions link there. */
  agreementHref?: string
  /** Where permits, the report and its receipt are recorded (the experiment page); such transitions link there. */
  experimentHref?: string
}

/** The page a transition links to instead of a form, if it is recorded elsewhere. */
function recordedElsewhere(transition: TransitionView, { agreementHref, experimentHref }: ElsewhereHrefs) {
  if (agreementHref && transition.requires.includes('agreement')) return agreementHref
  if (
    experimentHref &&
    transition.requires.some((requirement) => experimentRequirements.includes(requirement))
  )
    return `${experimentHref}#${transition.requires.includes('permit_record') ? 'permits' : 'report'}-heading`
  return undefined
}

/**
 * Whether the action's answer is shown at one of these transition forms (the
 * one it answers is still offered as a form): if not (someone moved the
 * proposal on meanwhile), the page says why itself.
 */
export function refusalAtTransitionForm(
  failure: ActionFailure | undefined,
  transitions: TransitionView[],
  hrefs: ElsewhereHrefs = {},
): boolean {
  return transitions.some(
    (transition) =>
      !recordedElsewhere(transition, hrefs) &&
      answerOf(failure, { intent: 'transition', transitionId: transition.id }) !== undefined,
  )
}

/** The forms' schema, built once per offered methods and departments (not per form and render). */
const schemaFor = rememberedSchema((methods: readonly string[], departments: readonly string[]) =>
  transitionSchema({ methods, departments }),
)

/**
 * One small form per available transition, with exactly the inputs it
 * requires (a refused input gets its message from the locale files, never the
 * engine's English words); each carries the version the page was loaded at, so a form left
 * open while someone else moved the proposal is refused as a conflict. Each is
 * checked in the browser with the action's schema (`transitionSchema`) and
 * shows its own refusal: the error summary, each message at its field, what
 * was sent.
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
  /** The action's answer: a refusal is shown at the form of the transition it answers. */
  failure: ActionFailure | undefined
  defaultReason?: string
} & ElsewhereHrefs) {
  const { t } = useTranslation('proposals')
  const schema = schemaFor(
    methods.map((method) => method.id),
    departments.map((department) => department.id),
  )
  if (transitions.length === 0) return null
  return (
    <section aria-labelledby="actions-heading" className="transition-forms">
      <h2 id="actions-heading">{t('actions.heading')}</h2>
      {transitions.map((transition) => {
        const elsewhere = recordedElsewhere(transition, { agreementHref, experimentHref })
        if (elsewhere) {
          return (
            <p key={transition.id} className="card">
              <Link to={elsewhere} className="button">
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
            failure={answerOf(failure, { intent: 'transition', transitionId: transition.id })}
            methods={methods.filter(
              (method) => !transition.methods || transition.methods.includes(method.id),
            )}
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

/** A field of a transition form: its input's name, the other names a refusal of it may carry, its id suffix and label. */
type TransitionField = { name: string; also?: string[]; idSuffix: string; label: string }

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
  /** The action's answer to this form, if it refused it. */
  failure: ActionFailure | undefined
  methods: Choice[]
  departments: Choice[]
  routedTo: string[]
  defaultReason?: string
}) {
  const { t, i18n } = useTranslation('proposals')
  const { form, errors, values, alert } = useValidatedForm({
    id: `transition-${transition.id}`,
    schema,
    failure,
  })
  const id = (suffix: string) => `${transition.id}-${suffix}`
  const errorOf = (...names: string[]) => {
    const name = names.find((candidate) => errors[candidate])
    if (!name) return undefined
    const message = errors[name]!
    if (i18n.exists(message)) return message
    return requirementMessages[name]
      ? `proposals:actions.errors.${requirementMessages[name]}`
      : 'auth:validation.invalid'
  }
  const requires = (requirement: string) => transition.requires.includes(requirement)
  const shown: TransitionField[] = [
    ...(requires('reason') ? [{ name: 'reason', idSuffix: 'reason', label: t('actions.reason') }] : []),
    ...(requires('note') ? [{ name: 'note', idSuffix: 'note', label: t('actions.note') }] : []),
    ...(requires('decision')
      ? [
          { name: 'decision.grounds', also: ['decision'], idSuffix: 'grounds', label: t('actions.grounds') },
          { name: 'decision.conditions', idSuffix: 'conditions', label: t('actions.conditions') },
        ]
      : []),
    ...(requires('collaboration_method')
      ? [{ name: 'collaborationMethod', idSuffix: 'method', label: t('actions.method') }]
      : []),
    ...(requires('departments')
      ? [{ name: 'departments', idSuffix: 'departments', label: t('actions.departments') }]
      : []),
    ...(requires('agreement')
      ? [
          {
            name: 'agreement.kind',
            also: ['agreement'],
            idSuffix: 'agreement-kind',
            label: t('actions.agreementKind'),
          },
          { name: 'agreement.parties', idSuffix: 'agreement-parties', label: t('actions.agreementParties') },
          { name: 'agreement.concludedOn', idSuffix: 'agreement-date', label: t('actions.agreementDate') },
        ]
      : []),
  ]
  // Each shown field's message, worded (the engine's refusals by the form); the summary lists these only.
  const fieldErrors: Record<string, string> = {}
  for (const field of shown) {
    const message = errorOf(field.name, ...(field.also ?? []))
    if (message) fieldErrors[field.name] = message
  }
  const field = (name: string) => {
    const { idSuffix, label } = shown.find((candidate) => candidate.name === name)!
    return { id: id(idSuffix), name, label, error: fieldErrors[name], values }
  }
  return (
    <Form method="post" className="card stack" aria-label={transition.label} {...form}>
      <FormAlert
        {...alert}
        errors={fieldErrors}
        labels={Object.fromEntries(shown.map(({ name, label }) => [name, label]))}
        ids={Object.fromEntries(shown.map(({ name, idSuffix }) => [name, id(idSuffix)]))}
      />
      <input type="hidden" name="intent" value="transition" />
      <input type="hidden" name="transitionId" value={transition.id} />
      <input type="hidden" name="version" value={version} />
      {requires('reason') ? <TextField {...field('reason')} rows={3} defaultValue={defaultReason} /> : null}
      {requires('note') ? <TextField {...field('note')} rows={3} /> : null}
      {requires('decision') ? (
        <>
          <TextField {...field('decision.grounds')} rows={3} />
          <TextField {...field('decision.conditions')} rows={3} />
        </>
      ) : null}
      {requires('collaboration_method') ? (
        <SelectField
          {...field('collaborationMethod')}
          options={methods.map((method) => ({ value: method.id, label: method.label }))}
        />
      ) : null}
      {requires('departments') ? (
        <CheckboxGroup
          {...field('departments')}
          options={departments.map((department) => ({ value: department.id, label: department.label }))}
          defaultValue={routedTo}
        />
      ) : null}
      {requires('agreement') ? (
        <>
          <TextField {...field('agreement.kind')} />
          <TextField {...field('agreement.parties')} rows={3} />
          <TextField {...field('agreement.concludedOn')} type="date" />
        </>
      ) : null}
      <button type="submit" className="button">
        {transition.label}
      </button>
    </Form>
  )
}
