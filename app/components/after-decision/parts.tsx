import type { AgreementOutcomeView } from '~/operations/agreements/agreement-outcome'
import { Form, Link } from '@remix-run/react'
import { createContext, useContext, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { z, type ZodTypeAny } from 'zod'
import { answerOf, SelectField, TextField, useValidatedForm, type ActionFailure } from '~/components/forms'
import type { AgreementSummaryView, MilestoneView, NoteView } from '~/http/after-decision-views.server'
import { dateFormat } from '@desk/tenant-config'

/**
 * The pieces the pages after the decision share: their forms on the one
 * field kit (~/components/forms), the agreement summary, milestones and
 * progress notes (the last three are shown to the desk and to the proposer alike).
 */

/** The page's action answer and its forms' schema, for each form of the page (`useAfterDecisionForm`). */
export const AfterDecisionForms = createContext<{ failure?: ActionFailure; schema?: ZodTypeAny }>({})

/**
 * One form of a page after the decision, through the one field kit: checked
 * in the browser with the page's schema (the action's), and the action's
 * refusal shown at the form it answers — the one whose hidden values (`sent`:
 * its intent, the id of what it changes) the refused post carried. Spread
 * `form` on the `<Form>`; `errors` and `values` go to its fields. A form
 * the page's schema does not read (a multipart post) brings its own.
 */
export function useAfterDecisionForm(id: string, sent: Record<string, string>, ownSchema?: ZodTypeAny) {
  const { failure, schema = z.any() } = useContext(AfterDecisionForms)
  return useValidatedForm({ id, schema: ownSchema ?? schema, failure: answerOf(failure, sent) })
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
export function ProgressNotes({ notes, milestones }: { notes: NoteView[]; milestones: MilestoneView[] }) {
  const { t, i18n } = useTranslation('after')
  const post = useAfterDecisionForm('post-note', { intent: 'note' })
  const when = dateFormat(i18n.language, {
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
      <Form method="post" className="stack" aria-labelledby="post-note-heading" {...post.form}>
        <h3 id="post-note-heading">{t('implementation.post')}</h3>
        <input type="hidden" name="intent" value="note" />
        <SelectField
          id="note-milestone"
          name="milestoneId"
          label={t('implementation.onMilestone')}
          emptyLabel={t('implementation.general')}
          options={milestones.map((milestone) => ({ value: milestone.id, label: milestone.title }))}
          errors={post.errors}
          values={post.values}
        />
        <TextField
          rows={4}
          id="note-body"
          name="body"
          label={t('implementation.noteBody')}
          errors={post.errors}
          values={post.values}
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
