import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { disclosureDecisions } from '../../../db/schema/after-decision-values'
import { AfterDecisionPage } from './page'
import { Facts, useAfterDecisionForm } from './parts'
import { Fields, TextField, type ActionFailure } from '~/components/forms'
import { DisclosureFormSchema } from '~/http/after-decision-forms'
import type { loadDisclosure } from '~/http/after-decision-pages.server'
import type { DisclosureRequestPageView } from '~/http/after-decision-views.server'

/**
 * 情報公開 requests touching a proposal, for both sides: the documents with
 * the proposer's opinion and the city's decision. The proposer answers while
 * a request is open; the desk records requests and decides them. Who asked is
 * only ever in the city's view (`internal`).
 */

/** The disclosure page of either side: the desk records requests; each side answers its part. */
export function DisclosurePage({ side }: { side: 'city' | 'proposer' }) {
  const data = useLoaderData<typeof loadDisclosure>()
  const failure = useActionData<ActionFailure>()
  const { t } = useTranslation('after')
  return (
    <AfterDecisionPage
      backHref={data.base}
      backLabel={t('agreement.back')}
      heading={data.heading}
      intro={t('disclosure.intro')}
      failure={failure}
      schema={DisclosureFormSchema}
    >
      {side === 'proposer' ? null : data.isDesk ? (
        <NewDisclosureRequest today={data.today} />
      ) : (
        <p>{t('disclosure.deskOnly')}</p>
      )}
      <DisclosureRequests requests={data.requests} side={side} isDesk={data.isDesk} />
    </AfterDecisionPage>
  )
}

function DisclosureRequests({
  requests,
  side,
  isDesk,
}: {
  requests: DisclosureRequestPageView[]
  side: 'city' | 'proposer'
  isDesk: boolean
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
            {side === 'proposer' && request.status !== 'decided' ? <OpinionForm request={request} /> : null}
            {side === 'city' && isDesk ? <DecisionForm request={request} /> : null}
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

function OpinionForm({ request }: { request: DisclosureRequestPageView }) {
  const { t } = useTranslation('after')
  const heading = `opinion-${request.id}-heading`
  const opinion = useAfterDecisionForm(`opinion-${request.id}-form`, {
    intent: 'opinion',
    requestId: request.id,
  })
  return (
    <Form method="post" className="stack" aria-labelledby={heading} {...opinion.form}>
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
          errors={opinion.errors}
          values={opinion.values}
          rows={3}
        />
      ))}
      <TextField
        id={`opinion-${request.id}`}
        name="opinion"
        label={t('disclosure.opinion')}
        defaultValue={request.opinion}
        errors={opinion.errors}
        values={opinion.values}
        rows={3}
      />
      <button type="submit" className="button button--primary">
        {t('disclosure.giveOpinion')}
      </button>
    </Form>
  )
}

function DecisionForm({ request }: { request: DisclosureRequestPageView }) {
  const { t } = useTranslation('after')
  const heading = `decision-${request.id}-heading`
  const decide = useAfterDecisionForm(`decision-${request.id}-form`, {
    intent: 'decide',
    requestId: request.id,
  })
  // The operation names a document's refusal by the document (`<id>.reason`), the form by the input (`reason.<id>`).
  const errorOf = (documentId: string) =>
    ['reason', 'decision']
      .flatMap((field) => [decide.errors[`${field}.${documentId}`], decide.errors[`${documentId}.${field}`]])
      .find(Boolean)
  return (
    <Form method="post" className="stack" aria-labelledby={heading} {...decide.form}>
      <h3 id={heading}>{t('disclosure.decide')}</h3>
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="requestId" value={request.id} />
      {request.documents.map((document, index) => {
        const id = `decision-${request.id}-${index}`
        return (
          <fieldset key={document.id} className="field">
            <legend className="field__label">{t('disclosure.decisionFor', { title: document.title })}</legend>
            <select
              id={id}
              name={`decision.${document.id}`}
              defaultValue={sentOr(decide.values, `decision.${document.id}`, document.decision ?? '')}
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
              error={errorOf(document.id)}
              values={decide.values}
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
function NewDisclosureRequest({ today }: { today: string }) {
  const { t } = useTranslation('after')
  const record = useAfterDecisionForm('request-form', { intent: 'request' })
  return (
    <details className="card" open={record.values ? true : undefined}>
      <summary id="new-request-heading">{t('disclosure.new')}</summary>
      <Form method="post" className="stack" aria-labelledby="new-request-heading" {...record.form}>
        <input type="hidden" name="intent" value="request" />
        <Fields
          prefix="request"
          errorOf={(name) => record.errors[name]}
          values={record.values}
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

/** What a refused post sent for a select outside the kit, else its value as saved. */
function sentOr(values: Record<string, string | string[]> | undefined, name: string, saved: string) {
  const sent = values?.[name]
  return typeof sent === 'string' ? sent : saved
}
