import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useMemo, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { AfterDecisionPage } from './page'
import { Facts, useAfterDecisionForm } from './parts'
import {
  CheckboxField,
  CheckboxGroup,
  Fields,
  FileField,
  TextField,
  type ActionFailure,
} from '~/components/forms'
import { experimentFormSchema, ReportFormSchema } from '~/http/after-decision-forms'
import type { loadExperiment } from '~/http/after-decision-pages.server'
import type { ChecklistItemView, ExperimentPageView } from '~/http/after-decision-views.server'

/**
 * A demonstration experiment as both sides see it: the checklist from the
 * tenant file (steps, then the proposer's duties), the permits, the city's
 * offers, period and attendance, the cost rule and the report. Each side gets
 * the forms for what it writes; everything shown is shared.
 */

/** The experiment page of either side: its frame, and its forms checked with the action's schema. */
export function ExperimentPage({ side }: { side: 'city' | 'proposer' }) {
  const data = useLoaderData<typeof loadExperiment>()
  const failure = useActionData<ActionFailure>()
  const { t } = useTranslation('after')
  const { items, offers } = data.experiment
  const schema = useMemo(
    () =>
      experimentFormSchema({
        itemKeys: items.map((item) => item.key),
        offerIds: offers.map((offer) => offer.id),
      }),
    [items, offers],
  )
  return (
    <AfterDecisionPage
      backHref={data.base}
      backLabel={t('agreement.back')}
      heading={data.heading}
      intro={t('experiment.intro')}
      failure={failure}
      schema={schema}
    >
      <ExperimentRecord view={data.experiment} side={side} isDesk={data.isDesk} />
    </AfterDecisionPage>
  )
}

/** The whole experiment page body; `side` decides which forms are offered. */
function ExperimentRecord({
  view,
  side,
  isDesk,
}: {
  view: ExperimentPageView
  side: 'city' | 'proposer'
  /** Desk roles (not department staff): they record the receipt. */
  isDesk: boolean
}) {
  const { t } = useTranslation('after')
  const steps = view.items.filter((item) => item.kind === 'step')
  const duties = view.items.filter((item) => item.kind === 'duty')
  return (
    <>
      {view.next ? <p>{t('experiment.next', { transition: view.next })}</p> : null}
      <section aria-labelledby="steps-heading">
        <h2 id="steps-heading">{t('experiment.steps')}</h2>
        <Checklist items={steps} />
      </section>
      <section aria-labelledby="duties-heading">
        <h2 id="duties-heading">{t('experiment.duties')}</h2>
        <Checklist items={duties} />
      </section>
      {view.keepsPermits ? <Permits view={view} /> : null}
      <CityPart view={view} side={side} />
      <CostRule view={view} side={side} />
      <Report view={view} side={side} isDesk={isDesk} />
    </>
  )
}

function Checklist({ items }: { items: ChecklistItemView[] }) {
  const { t } = useTranslation('after')
  return (
    <ol className="plain-list checklist">
      {items.map((item) => {
        const id = item.key.replace(':', '-')
        return (
          <li key={item.key} className={`card checklist__item checklist__item--${item.progress}`}>
            <h3 id={`${id}-heading`}>
              {item.label}{' '}
              <span className={`badge${item.progress === 'current' ? ' badge--note' : ''}`}>
                {t(`experiment.progress.${item.progress}`)}
              </span>
            </h3>
            {item.description ? <p>{item.description}</p> : null}
            <Facts
              facts={[
                [t('experiment.owner'), [item.ownerLabel, item.ownerName].filter(Boolean).join(' — ')],
                [t('experiment.dueOn'), item.dueOn],
                [t('experiment.doneOn'), item.doneOn],
                [t('experiment.note'), item.note ? <span className="pre-wrap">{item.note}</span> : null],
                [t('experiment.updatedBy'), item.updatedBy],
              ]}
            />
            {item.editable ? <ChecklistItemForm item={item} id={id} /> : null}
          </li>
        )
      })}
    </ol>
  )
}

/** An item's owner, due date, completion and note; refused, it stays open with what was sent. */
function ChecklistItemForm({ item, id }: { item: ChecklistItemView; id: string }) {
  const { t } = useTranslation('after')
  const { form, errors, values } = useAfterDecisionForm(`${id}-form`, { intent: 'item', itemKey: item.key })
  const fieldProps = { errors, values }
  return (
    <details className="checklist__edit" open={values ? true : undefined}>
      <summary>{t('experiment.update', { item: item.label })}</summary>
      <Form method="post" className="stack" aria-labelledby={`${id}-heading`} {...form}>
        <input type="hidden" name="intent" value="item" />
        <input type="hidden" name="itemKey" value={item.key} />
        <TextField
          id={`${id}-owner`}
          name="ownerName"
          label={t('experiment.ownerName')}
          defaultValue={item.ownerName}
          {...fieldProps}
        />
        <TextField
          id={`${id}-due`}
          name="dueOn"
          type="date"
          label={t('experiment.dueOn')}
          defaultValue={item.dueOn ?? undefined}
          {...fieldProps}
        />
        {item.recordedWith ? (
          <p>
            <a href={`#${item.recordedWith}-heading`}>{t(`experiment.recordedWith.${item.recordedWith}`)}</a>
          </p>
        ) : (
          <>
            <CheckboxField
              id={`${id}-done`}
              name="done"
              label={t('experiment.done')}
              defaultChecked={item.doneOn !== null}
              {...fieldProps}
            />
            <TextField
              id={`${id}-done-on`}
              name="doneOn"
              type="date"
              label={t('experiment.doneOn')}
              hint={t('experiment.doneHint')}
              defaultValue={item.doneOn ?? undefined}
              {...fieldProps}
            />
          </>
        )}
        <TextField
          id={`${id}-note`}
          name="note"
          label={t('experiment.note')}
          defaultValue={item.note}
          rows={3}
          {...fieldProps}
        />
        <button type="submit" className="button">
          {item.moves ? t('experiment.saveAndMove', { transition: item.moves }) : t('experiment.save')}
        </button>
      </Form>
    </details>
  )
}

function Permits({ view }: { view: ExperimentPageView }) {
  const { t } = useTranslation('after')
  const permit = useAfterDecisionForm('permit-form', { intent: 'permit' })
  return (
    <section aria-labelledby="permits-heading">
      <h2 id="permits-heading">{t('experiment.permits')}</h2>
      {view.permits.length === 0 ? (
        <p>{t('experiment.noPermits')}</p>
      ) : (
        <div className="table-scroll">
          <table className="wide-table">
            <caption className="visually-hidden">{t('experiment.permits')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('experiment.permitKind')}</th>
                <th scope="col">{t('experiment.permitIssuer')}</th>
                <th scope="col">{t('experiment.permitReference')}</th>
                <th scope="col">{t('experiment.permitIssuedOn')}</th>
                <th scope="col">{t('experiment.permitValidUntil')}</th>
              </tr>
            </thead>
            <tbody>
              {view.permits.map((permit) => (
                <tr key={permit.id}>
                  <th scope="row">{permit.kind}</th>
                  <td>{permit.issuedBy}</td>
                  <td>{permit.reference}</td>
                  <td>{permit.issuedOn}</td>
                  <td>{permit.validUntil ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details className="card" open={permit.values ? true : undefined}>
        <summary id="permit-form-heading">{t('experiment.recordPermit')}</summary>
        <Form method="post" className="stack" aria-labelledby="permit-form-heading" {...permit.form}>
          <input type="hidden" name="intent" value="permit" />
          <Fields
            prefix="permit"
            errorOf={(name) => permit.errors[name]}
            values={permit.values}
            fields={[
              { name: 'kind', label: t('experiment.permitKind'), required: true },
              { name: 'issuedBy', label: t('experiment.permitIssuer'), required: true },
              { name: 'reference', label: t('experiment.permitReference'), required: true },
              { name: 'issuedOn', label: t('experiment.permitIssuedOn'), type: 'date', required: true },
              { name: 'validUntil', label: t('experiment.permitValidUntil'), type: 'date' },
            ]}
          />
          <button type="submit" className="button">
            {t('experiment.recordPermit')}
          </button>
        </Form>
      </details>
    </section>
  )
}

/** The city's offers that apply, the period and the attendance: a form for the city, facts for the proposer. */
function CityPart({ view, side }: { view: ExperimentPageView; side: 'city' | 'proposer' }) {
  const { t } = useTranslation('after')
  const details = useAfterDecisionForm('details-form', { intent: 'details' })
  const applied = view.offers.filter((offer) => offer.applies)
  const facts: [string, ReactNode][] = [
    [
      t('experiment.period'),
      view.periodFrom || view.periodUntil ? `${view.periodFrom ?? ''} – ${view.periodUntil ?? ''}` : null,
    ],
    [t('experiment.attendedOn'), view.attendedOn],
    [t('experiment.attendedBy'), view.attendedBy],
  ]
  if (side === 'proposer') {
    return (
      <section aria-labelledby="offers-heading">
        <h2 id="offers-heading">{t('experiment.offers')}</h2>
        {applied.length === 0 ? (
          <p>{t('experiment.noOffers')}</p>
        ) : (
          <ul>
            {applied.map((offer) => (
              <li key={offer.id}>{offer.label}</li>
            ))}
          </ul>
        )}
        <Facts facts={facts} />
      </section>
    )
  }
  return (
    <section aria-labelledby="offers-heading">
      <h2 id="offers-heading">{t('experiment.offers')}</h2>
      <Facts facts={facts} />
      <Form method="post" className="stack card" aria-labelledby="offers-heading" {...details.form}>
        <input type="hidden" name="intent" value="details" />
        <CheckboxGroup
          id="details-offers"
          name="offers"
          label={t('experiment.offersLegend')}
          options={view.offers.map((offer) => ({ value: offer.id, label: offer.label }))}
          defaultValue={applied.map((offer) => offer.id)}
          errors={details.errors}
          values={details.values}
        />
        <Fields
          prefix="details"
          errorOf={(name) => details.errors[name]}
          values={details.values}
          fields={[
            { name: 'periodFrom', label: t('experiment.periodFrom'), type: 'date', value: view.periodFrom },
            {
              name: 'periodUntil',
              label: t('experiment.periodUntil'),
              type: 'date',
              value: view.periodUntil,
            },
            { name: 'attendedOn', label: t('experiment.attendedOn'), type: 'date', value: view.attendedOn },
            { name: 'attendedBy', label: t('experiment.attendedBy'), value: view.attendedBy },
          ]}
        />
        <button type="submit" className="button">
          {t('experiment.saveDetails')}
        </button>
      </Form>
    </section>
  )
}

function CostRule({ view, side }: { view: ExperimentPageView; side: 'city' | 'proposer' }) {
  const { t } = useTranslation('after')
  const acknowledge = useAfterDecisionForm('acknowledge-form', { intent: 'acknowledge' })
  return (
    <section aria-labelledby="cost-heading">
      <h2 id="cost-heading">{t('experiment.costRule')}</h2>
      <p className="pre-wrap">{view.costRule}</p>
      {view.acknowledgement ? (
        <p>
          <strong>{t('experiment.acknowledged', view.acknowledgement)}</strong>
        </p>
      ) : side === 'proposer' ? (
        <Form method="post" className="stack card" aria-labelledby="cost-heading" {...acknowledge.form}>
          <input type="hidden" name="intent" value="acknowledge" />
          <CheckboxField
            name="acknowledged"
            label={t('experiment.acknowledge')}
            required
            errors={acknowledge.errors}
          />
          <button type="submit" className="button">
            {t('experiment.acknowledgeButton')}
          </button>
        </Form>
      ) : (
        <p>{t('experiment.notAcknowledged')}</p>
      )}
    </section>
  )
}

function Report({
  view,
  side,
  isDesk,
}: {
  view: ExperimentPageView
  side: 'city' | 'proposer'
  isDesk: boolean
}) {
  const { t } = useTranslation('after')
  const upload = useAfterDecisionForm('report-form', { intent: 'report' }, ReportFormSchema)
  const receipt = useAfterDecisionForm('receipt-form', { intent: 'receipt' })
  const { report } = view
  return (
    <section aria-labelledby="report-heading">
      <h2 id="report-heading">{t('experiment.report')}</h2>
      {view.reportRequirement ? <p>{view.reportRequirement}</p> : null}
      {report ? (
        <p>
          <a href={report.href} download>
            {report.name}
          </a>
          {report.submittedAt ? ` — ${t('experiment.submittedAt', { at: report.submittedAt })}` : ''}
        </p>
      ) : (
        <p>{t('experiment.noReport')}</p>
      )}
      {view.reportReceivedOn ? (
        <p>
          <strong>{t('experiment.received', { date: view.reportReceivedOn })}</strong>
        </p>
      ) : side === 'proposer' ? (
        <Form
          method="post"
          encType="multipart/form-data"
          className="stack card"
          aria-labelledby="report-heading"
          {...upload.form}
        >
          <input type="hidden" name="intent" value="report" />
          <FileField
            id="report-file"
            name="report"
            accept=".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg"
            label={t('experiment.reportFile')}
            hint={t('experiment.reportHint')}
            errors={upload.errors}
            required
          />
          <button type="submit" className="button">
            {t('experiment.submitReport')}
          </button>
        </Form>
      ) : report && isDesk ? (
        <Form method="post" className="stack card" aria-labelledby="report-heading" {...receipt.form}>
          <input type="hidden" name="intent" value="receipt" />
          <TextField
            id="received-on"
            name="receivedOn"
            type="date"
            label={t('experiment.receivedOn')}
            error={receipt.errors.receivedOn ?? receipt.errors.report}
            values={receipt.values}
            required
          />
          <TextField
            id="receipt-note"
            name="note"
            label={t('experiment.receiptNote')}
            errors={receipt.errors}
            values={receipt.values}
            rows={2}
          />
          <button type="submit" className="button button--primary">
            {view.receiptMoves
              ? t('experiment.recordReceiptAndMove', { transition: view.receiptMoves })
              : t('experiment.recordReceipt')}
          </button>
        </Form>
      ) : report ? (
        <p>{t('experiment.deskOnly')}</p>
      ) : null}
    </section>
  )
}

/**
 * On the proposer's proposal page at the report step: what is theirs to do
 * now, with the way to the report's upload on the experiment page.
 */
export function ReportHandOff({ href, requirement }: { href: string; requirement: string | null }) {
  const { t } = useTranslation('after')
  return (
    <section aria-labelledby="report-hand-off-heading" className="card">
      <h2 id="report-hand-off-heading">{t('experiment.handOff.heading')}</h2>
      <p>{requirement ?? t('experiment.handOff.body')}</p>
      <p>
        <Link to={`${href}#report-heading`} className="button button--primary">
          {t('experiment.submitReport')}
        </Link>
      </p>
    </section>
  )
}
