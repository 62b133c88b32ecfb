import { Form } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { disclosureDecisions } from '../../../db/schema/after-decision-values'
import { Facts, useFieldError } from './parts'
import { Fields, TextField } from '~/components/forms'
import type { DisclosureRequestPageView } from '~/http/after-decision-views.server'

/**
 * 情報公開 requests touching a proposal, for both sides: the documents with
 * the proposer's opinion and the city's decision. The proposer answers while
 * a request is open; the desk records requests and decides them. Who asked is
 * only ever in the city's view (`internal`).
 */

type Errors = Record<string, string>

export function DisclosureRequests({
  requests,
  side,
  isDesk,
  errors,
}: {
  requests: DisclosureRequestPageView[]
  side: 'city' | 'proposer'
  isDesk: boolean
  errors: Errors
}) {
  const { t } = useTranslation('after')
  if (requests.length === 0) return <p>{t('disclosure.none')}</p>
  return (
    <div className="stack disclosure-requests">
      {requests.map((request) => {
        const heading = `request-${request.id}-heading`
        return (
          <section key={request.id} className="card" aria-labelledby={heading}>
            <h2 id={heading}>
              {t('disclosure.request', { date: request.receivedOn })}{' '}
              <span className="badge">{t(`disclosure.statuses.${request.status}`)}</span>
            </h2>
            <Facts
              facts={[
                [t('disclosure.opinionDueOn'), request.opinionDueOn],
                [t('disclosure.requester'), request.internal?.requesterDescription],
                [
                  t('disclosure.internalNote'),
                  request.internal?.internalNote ? (
                    <span className="pre-wrap">{request.internal.internalNote}</span>
                  ) : null,
                ],
                [
                  t('disclosure.opinion'),
                  request.opinion ? <span className="pre-wrap">{request.opinion}</span> : null,
                ],
                [
                  t('disclosure.status'),
                  request.opinionAt ? t('disclosure.opinionGiven', { at: request.opinionAt }) : null,
                ],
              ]}
            />
            <DocumentTable request={request} />
            {side === 'proposer' && request.status !== 'decided' ? (
              <OpinionForm request={request} errors={errors} />
            ) : null}
            {side === 'city' && isDesk ? <DecisionForm request={request} errors={errors} /> : null}
          </section>
        )
      })}
    </div>
  )
}

function DocumentTable({ request }: { request: DisclosureRequestPageView }) {
  const { t } = useTranslation('after')
  return (
    <div className="table-scroll">
      <table className="wide-table">
        <caption className="visually-hidden">{t('disclosure.documentsHeading')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('disclosure.documentsHeading')}</th>
            <th scope="col">{t('disclosure.proposerOpinion')}</th>
            <th scope="col">{t('disclosure.decision')}</th>
          </tr>
        </thead>
        <tbody>
          {request.documents.map((document) => (
            <tr key={document.id}>
              <th scope="row">{document.title}</th>
              <td className="pre-wrap">{document.proposerOpinion || '—'}</td>
              <td>
                {document.decision
                  ? t(`disclosure.decisions.${document.decision}`)
                  : t('disclosure.undecided')}
                {document.decisionReason ? <p className="pre-wrap">{document.decisionReason}</p> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function OpinionForm({ request, errors }: { request: DisclosureRequestPageView; errors: Errors }) {
  const fieldError = useFieldError(errors)
  const { t } = useTranslation('after')
  const heading = `opinion-${request.id}-heading`
  return (
    <Form method="post" className="stack" aria-labelledby={heading}>
      <h3 id={heading}>{t('disclosure.yourOpinion')}</h3>
      <input type="hidden" name="intent" value="opinion" />
      <input type="hidden" name="requestId" value={request.id} />
      {request.documents.map((document, index) => (
        <TextField
          key={document.id}
          id={`opinion-${request.id}-${index}`}
          name={`document.${document.id}`}
          label={t('disclosure.opinionOn', { title: document.title })}
          defaultValue={document.proposerOpinion}
          rows={3}
        />
      ))}
      <TextField
        id={`opinion-${request.id}`}
        name="opinion"
        label={t('disclosure.opinion')}
        defaultValue={request.opinion}
        error={fieldError('opinion')}
        rows={3}
      />
      <button type="submit" className="button button--primary">
        {t('disclosure.giveOpinion')}
      </button>
    </Form>
  )
}

function DecisionForm({ request, errors }: { request: DisclosureRequestPageView; errors: Errors }) {
  const fieldError = useFieldError(errors)
  const { t } = useTranslation('after')
  const heading = `decision-${request.id}-heading`
  return (
    <Form method="post" className="stack" aria-labelledby={heading}>
      <h3 id={heading}>{t('disclosure.decide')}</h3>
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="requestId" value={request.id} />
      {request.documents.map((document, index) => {
        const id = `decision-${request.id}-${index}`
        const error = fieldError(`${document.id}.reason`) ?? fieldError(`${document.id}.decision`)
        return (
          <fieldset key={document.id} className="field">
            <legend className="field__label">{t('disclosure.decisionFor', { title: document.title })}</legend>
            <select
              id={id}
              name={`decision.${document.id}`}
              defaultValue={document.decision ?? ''}
              aria-label={t('disclosure.decisionFor', { title: document.title })}
            >
              <option value="">{t('disclosure.undecided')}</option>
              {disclosureDecisions.map((decision) => (
                <option key={decision} value={decision}>
                  {t(`disclosure.decisions.${decision}`)}
                </option>
              ))}
            </select>
            <TextField
              id={`${id}-reason`}
              name={`reason.${document.id}`}
              label={t('disclosure.reasonFor', { title: document.title })}
              defaultValue={document.decisionReason}
              error={error}
              rows={2}
            />
          </fieldset>
        )
      })}
      <button type="submit" className="button">
        {t('disclosure.decide')}
      </button>
    </Form>
  )
}

/** The desk's form for a new request: the question is posted to the thread as the city's message. */
export function NewDisclosureRequest({ errors, today }: { errors: Errors; today: string }) {
  const { t } = useTranslation('after')
  const fieldError = useFieldError(errors)
  return (
    <details className="card" open={Object.keys(errors).some((key) => key.startsWith('request.'))}>
      <summary id="new-request-heading">{t('disclosure.new')}</summary>
      <Form method="post" className="stack" aria-labelledby="new-request-heading">
        <input type="hidden" name="intent" value="request" />
        <Fields
          prefix="request"
          errorOf={(name) => fieldError(`request.${name}`)}
          fields={[
            {
              name: 'receivedOn',
              label: t('disclosure.receivedOn'),
              type: 'date',
              value: today,
              required: true,
            },
            { name: 'opinionDueOn', label: t('disclosure.opinionDueOn'), type: 'date' },
            { name: 'requesterDescription', label: t('disclosure.requester'), rows: 2, required: true },
            { name: 'documents', label: t('disclosure.documents'), rows: 3, required: true },
            {
              name: 'question',
              label: t('disclosure.question'),
              rows: 5,
              value: t('disclosure.questionDefault'),
              required: true,
            },
            { name: 'internalNote', label: t('disclosure.internalNote'), rows: 2 },
          ]}
        />
        <button type="submit" className="button button--primary">
          {t('disclosure.record')}
        </button>
      </Form>
    </details>
  )
}
