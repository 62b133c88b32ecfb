import type { AgreementOutcomeView } from '~/operations/agreements/agreement-outcome'
import { Form, Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { SelectField, TextField } from '~/components/forms'
import type { AgreementSummaryView, MilestoneView, NoteView } from '~/http/after-decision-views.server'

/**
 * The pieces the pages after the decision share: the messages of refused
 * fields, the agreement summary, milestones and progress notes (the last
 * three are shown to the desk and to the proposer alike). Fields come from
 * the one field kit, ~/components/forms.
 */

/** Which message (after:errors.*) a refused field of the pages after the decision gets. */
const fieldMessages: Record<string, string> = {
  dueOn: 'date',
  doneOn: 'date',
  issuedOn: 'date',
  validUntil: 'date',
  periodFrom: 'date',
  attendedOn: 'date',
  receivedOn: 'date',
  opinionDueOn: 'date',
  periodUntil: 'periodUntil',
  kind: 'required',
  issuedBy: 'required',
  reference: 'required',
  requesterDescription: 'required',
  question: 'required',
  ownerName: 'tooLong',
  attendedBy: 'tooLong',
  internalNote: 'tooLong',
  note: 'note',
  documents: 'documents',
  opinion: 'opinion',
  reason: 'reason',
  offers: 'offers',
  departmentKey: 'department',
}

/**
 * The message beside a refused field, in the reader's language: by the
 * field's name (the last part of its error key, `<form>.<field>`), else a
 * general one. A file refused on upload keeps its message (already localized).
 */
export function useFieldError(errors: Record<string, string>) {
  const { t } = useTranslation('after')
  return (key: string): string | undefined => {
    const refusal = Object.entries(errors).find(([path]) => path === key || path.startsWith(`${key}.`))
    if (!refusal) return undefined
    const field = key.split('.').pop() ?? key
    if (field === 'report') return refusal[1]
    return t(`errors.${fieldMessages[field] ?? 'invalid'}`)
  }
}

/**
 * A refused field's message in the reader's language, for operations whose
 * issue messages are keys of `after:*` (cases, agreements): a key is
 * translated; a file refused on receipt (a `passThrough` field) already comes
 * in the reader's language; anything else reads as the general message.
 */
export function useKeyedFieldError(errors: Record<string, string>, passThrough: readonly string[] = []) {
  const { t, i18n } = useTranslation('after')
  return (field: string): string | undefined => {
    const message =
      errors[field] ?? Object.entries(errors).find(([path]) => path.startsWith(`${field}.`))?.[1]
    if (!message) return undefined
    if (i18n.exists(message, { ns: 'after' })) return t(message as 'errors.invalid')
    return passThrough.includes(field) ? message : t('errors.invalid')
  }
}

/** A decided proposal's outcome as to an agreement; the platform's default wording is said to be the platform's. */
export function AgreementOutcomeText({ outcome }: { outcome: AgreementOutcomeView }) {
  const { t } = useTranslation('after')
  return (
    <>
      {outcome.label}
      {outcome.platformWording ? (
        <small className="platform-wording">{t('outcome.platformWording')}</small>
      ) : null}
    </>
  )
}

export function AgreementSummary({ agreement }: { agreement: AgreementSummaryView }) {
  const { t } = useTranslation('after')
  const from = agreement.validFrom ?? agreement.concludedOn
  const facts: [string, ReactNode][] = [
    [t('agreement.method'), agreement.methodLabel],
    [t('agreement.arrangement'), agreement.arrangementLabel],
    [t('outcome.term'), agreement.outcome ? <AgreementOutcomeText outcome={agreement.outcome} /> : null],
    [t('agreement.partiesTerm'), agreement.parties.join(t('agreement.partiesSeparator'))],
    [t('agreement.concludedOn'), agreement.concludedOn],
    [
      t('agreement.term'),
      from || agreement.validUntil
        ? t('agreement.termValue', {
            from: from ?? '',
            until: agreement.validUntil ?? t('agreement.openEnded'),
          })
        : null,
    ],
    [t('agreement.note'), agreement.note ? <span className="pre-wrap">{agreement.note}</span> : null],
    [
      t('agreement.downloadDocument'),
      agreement.document ? (
        <a href={agreement.document.href} download>
          {agreement.document.name}
        </a>
      ) : null,
    ],
  ]
  return <Facts facts={facts} />
}

/** Terms and their values as a definition list; a term without a value is left out. */
export function Facts({ facts }: { facts: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {facts
        .filter(([, value]) => value)
        .map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  )
}

/** The milestones as a table; `statusControl` lets the city change each one's status in place. */
export function MilestoneTable({
  milestones,
  statusControl,
}: {
  milestones: MilestoneView[]
  statusControl?: (milestone: MilestoneView) => ReactNode
}) {
  const { t } = useTranslation('after')
  if (milestones.length === 0) return <p>{t('implementation.noMilestones')}</p>
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{t('implementation.milestones')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('implementation.milestone')}</th>
            <th scope="col">{t('implementation.dueOn')}</th>
            <th scope="col">{t('implementation.owner')}</th>
            <th scope="col">{t('implementation.status')}</th>
          </tr>
        </thead>
        <tbody>
          {milestones.map((milestone) => (
            <tr key={milestone.id}>
              <th scope="row" className="cell--text">
                {milestone.title}
              </th>
              <td className="nowrap">{milestone.dueOn}</td>
              <td className="cell--text">{milestone.ownerLabel}</td>
              <td className="nowrap">
                {statusControl ? statusControl(milestone) : t(`implementation.statuses.${milestone.status}`)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Progress notes of both sides, oldest first, and the form to post one. */
export function ProgressNotes({
  notes,
  milestones,
  error,
}: {
  notes: NoteView[]
  milestones: MilestoneView[]
  error?: string
}) {
  const { t, i18n } = useTranslation('after')
  const when = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Tokyo',
  })
  return (
    <section aria-labelledby="notes-heading">
      <h2 id="notes-heading">{t('implementation.notes')}</h2>
      {notes.length === 0 ? (
        <p>{t('implementation.noNotes')}</p>
      ) : (
        <ol className="plain-list">
          {notes.map((note) => (
            <li key={note.id} className="card">
              <p>
                <strong>{t(`implementation.sides.${note.side}`)}</strong>
                {note.authorName ? ` ${note.authorName}` : ''} —{' '}
                <time dateTime={note.at}>{when.format(new Date(note.at))}</time>
                {note.milestoneTitle ? ` — ${note.milestoneTitle}` : ''}
              </p>
              <p className="pre-wrap">{note.body}</p>
            </li>
          ))}
        </ol>
      )}
      <Form method="post" className="stack" aria-labelledby="post-note-heading">
        <h3 id="post-note-heading">{t('implementation.post')}</h3>
        <input type="hidden" name="intent" value="note" />
        <SelectField
          id="note-milestone"
          name="milestoneId"
          label={t('implementation.onMilestone')}
          emptyLabel={t('implementation.general')}
          options={milestones.map((milestone) => ({ value: milestone.id, label: milestone.title }))}
        />
        <TextField
          rows={4}
          id="note-body"
          name="body"
          label={t('implementation.noteBody')}
          error={error}
          required
        />
        <button type="submit" className="button">
          {t('implementation.post')}
        </button>
      </Form>
    </section>
  )
}

/** Links from a proposal's main page to its pages after the decision (shown once a method is chosen). */
export function AfterDecisionNav({ links }: { links: { href: string; label: string }[] }) {
  const { t } = useTranslation('after')
  if (links.length === 0) return null
  return (
    <nav aria-labelledby="after-decision-heading" className="card">
      <h2 id="after-decision-heading">{t('nav.heading')}</h2>
      <ul className="plain-list">
        {links.map((link) => (
          <li key={link.href}>
            <Link to={link.href}>{link.label}</Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}

/** What a proposal has after its decision: which of the pages below apply to it. */
export type AfterDecisionScope = {
  decided: boolean
  /** On the city's demonstration-experiment track. */
  experiment: boolean
  /** Disclosure requests may touch it (desk: any submitted proposal; proposer: once one has). */
  disclosure: boolean
}

function scopedLinks(
  base: string,
  scope: AfterDecisionScope,
  label: (page: 'agreement' | 'implementation' | 'experiment' | 'disclosure') => string,
) {
  return [
    ...(scope.decided
      ? [
          { href: `${base}/agreement`, label: label('agreement') },
          { href: `${base}/implementation`, label: label('implementation') },
        ]
      : []),
    ...(scope.decided && scope.experiment
      ? [{ href: `${base}/experiment`, label: label('experiment') }]
      : []),
    ...(scope.disclosure ? [{ href: `${base}/disclosure`, label: label('disclosure') }] : []),
  ]
}

/** The desk's links: agreement, implementation, the experiment, disclosure requests, and (desk roles) the cases. */
export function DeskAfterDecisionNav({
  slug,
  proposalId,
  isDesk,
  scope,
}: {
  slug: string
  proposalId: string
  isDesk: boolean
  scope: AfterDecisionScope
}) {
  const { t } = useTranslation('after')
  return (
    <AfterDecisionNav
      links={[
        ...scopedLinks(`/${slug}/desk/proposals/${proposalId}`, scope, (page) => t(`nav.${page}`)),
        ...(isDesk && scope.decided ? [{ href: `/${slug}/desk/cases`, label: t('nav.cases') }] : []),
      ]}
    />
  )
}

/** The proposer's links: agreement and implementation (one page), the experiment, disclosure requests. */
export function ProposerAfterDecisionNav({
  slug,
  proposalId,
  scope,
}: {
  slug: string
  proposalId: string
  scope: AfterDecisionScope
}) {
  const { t } = useTranslation('after')
  const links = scopedLinks(`/proposals/${slug}/${proposalId}`, scope, (page) =>
    page === 'implementation' ? t('proposer.link') : t(`nav.${page}`),
  ).filter((link) => !link.href.endsWith('/agreement'))
  return <AfterDecisionNav links={links} />
}

/** A history entry's label: the track's transition, or one of the events logged beside the workflow. */
export function useEventLabel() {
  const { t } = useTranslation('after')
  return (entry: { transition: string; transitionLabel: string }) =>
    t(`events.${entry.transition}`, { defaultValue: entry.transitionLabel })
}
