import { Form, Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'

/** What a transition may require that is recorded on the experiment page, not in a bare form. */
const experimentRequirements = ['permit_record', 'report_file', 'receipt']

type TransitionView = { id: string; label: string; requires: string[]; methods?: string[] }

/**
 * One small form per available transition, with exactly the inputs it
 * requires (a refused input gets its message from the locale files, never the
 * engine's English words); each carries the version the page was loaded at, so a form left
 * open while someone else moved the proposal is refused as a conflict.
 */
export function TransitionForms({
  transitions,
  version,
  methods,
  departments,
  routedTo = [],
  errors,
  defaultReason,
  agreementHref,
  experimentHref,
}: {
  transitions: TransitionView[]
  version: number
  methods: { id: string; label: string }[]
  departments: { id: string; label: string }[]
  /** The departments the proposal is routed to: a transition that routes starts from them. */
  routedTo?: string[]
  errors: Record<string, string>
  defaultReason?: string
  /** Where agreement details (with the signed document) are recorded; such transitions link there. */
  agreementHref?: string
  /** Where permits, the report and its receipt are recorded (the experiment page); such transitions link there. */
  experimentHref?: string
}) {
  const { t } = useTranslation('proposals')
  if (transitions.length === 0) return null
  return (
    <section aria-labelledby="actions-heading" className="transition-forms">
      <h2 id="actions-heading">{t('actions.heading')}</h2>
      {transitions.map((transition) => {
        const id = (name: string) => `${transition.id}-${name}`
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
          <Form key={transition.id} method="post" className="card stack" aria-label={transition.label}>
            <input type="hidden" name="intent" value="transition" />
            <input type="hidden" name="transitionId" value={transition.id} />
            <input type="hidden" name="version" value={version} />
            {transition.requires.includes('reason') ? (
              <TextArea
                id={id('reason')}
                name="reason"
                label={t('actions.reason')}
                defaultValue={defaultReason}
                error={errors.reason ? t('actions.errors.reason') : undefined}
              />
            ) : null}
            {transition.requires.includes('note') ? (
              <TextArea
                id={id('note')}
                name="note"
                label={t('actions.note')}
                error={errors.note ? t('actions.errors.note') : undefined}
              />
            ) : null}
            {transition.requires.includes('decision') ? (
              <>
                <TextArea
                  id={id('grounds')}
                  name="decision.grounds"
                  label={t('actions.grounds')}
                  error={
                    errors['decision.grounds'] || errors.decision ? t('actions.errors.grounds') : undefined
                  }
                />
                <TextArea id={id('conditions')} name="decision.conditions" label={t('actions.conditions')} />
              </>
            ) : null}
            {transition.requires.includes('collaboration_method') ? (
              <div className="field">
                <label htmlFor={id('method')} className="field__label">
                  {t('actions.method')}
                </label>
                {errors.collaborationMethod ? (
                  <p className="field__error">{t('actions.errors.method')}</p>
                ) : null}
                <select id={id('method')} name="collaborationMethod">
                  {methods
                    .filter((method) => !transition.methods || transition.methods.includes(method.id))
                    .map((method) => (
                      <option key={method.id} value={method.id}>
                        {method.label}
                      </option>
                    ))}
                </select>
              </div>
            ) : null}
            {transition.requires.includes('departments') ? (
              <fieldset className="field">
                <legend className="field__label">{t('actions.departments')}</legend>
                {errors.departments ? (
                  <p className="field__error">{t('actions.errors.departments')}</p>
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
            {transition.requires.includes('agreement') ? (
              <>
                <TextInput
                  id={id('agreement-kind')}
                  name="agreement.kind"
                  label={t('actions.agreementKind')}
                />
                <TextArea
                  id={id('agreement-parties')}
                  name="agreement.parties"
                  label={t('actions.agreementParties')}
                />
                <TextInput
                  id={id('agreement-date')}
                  name="agreement.concludedOn"
                  label={t('actions.agreementDate')}
                  type="date"
                />
              </>
            ) : null}
            <button type="submit" className="button">
              {transition.label}
            </button>
          </Form>
        )
      })}
    </section>
  )
}

function TextArea({
  id,
  name,
  label,
  defaultValue,
  error,
}: {
  id: string
  name: string
  label: string
  defaultValue?: string
  error?: string
}) {
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
      <textarea
        id={id}
        name={name}
        rows={3}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
    </div>
  )
}

function TextInput({
  id,
  name,
  label,
  type = 'text',
}: {
  id: string
  name: string
  label: string
  type?: string
}) {
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <input id={id} name={name} type={type} />
    </div>
  )
}
