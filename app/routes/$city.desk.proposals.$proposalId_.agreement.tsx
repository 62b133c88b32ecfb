import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { useMemo } from 'react'
import { z } from 'zod'
import { MAX_TEXT_LENGTH } from '@desk/workflow'
import { AgreementOutcomeText, AgreementSummary } from '~/components/after-decision/parts'
import {
  FileField,
  FormAlert,
  SelectField,
  TextField,
  useValidatedForm,
  type ActionFailure,
} from '~/components/forms'
import { afterDecisionMeta } from '~/components/after-decision/page'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { readAgreement, recordAgreement } from '~/operations/agreements/agreements.server'
import { actOnUploadForm } from '~/http/upload-form.server'
import { afterDecisionIssues } from '~/http/after-decision-issues.server'
import { proposalTenant } from '~/http/edge.server'
import { fields, hidden } from '~/http/form-schemas'
import { parseSubmission } from '~/http/form-validation.server'
import { afterDecisionNaming } from '~/http/after-decision-views.server'
import { requireCityRole } from '~/http/guards.server'
import { readForDeskStaff } from '~/http/desk-request.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import deskStylesHref from '~/styles/desk.css'
import { refusal } from '~/http/errors.server'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

/**
 * The agreement of a decided proposal: the desk records the kind (from the
 * method chosen at the decision), parties, date, term and the signed
 * document — or the collaboration without an agreement, or the public call it
 * went to. Where the track's next step requires agreement details, recording
 * them takes it. Department staff read it.
 */

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return readForDeskStaff(request, context, params.city, async ({ db, staff, locale, tenant, actor }) => {
    const naming = afterDecisionNaming(tenant, locale, await getFixedT(locale))
    try {
      const view = await readAgreement(db, { tenant, actor, proposalId: params.proposalId ?? '' })
      const { proposal } = view
      const concluding = view.concludingTransition
      return json(
        {
          slug: staff.citySlug,
          isDesk: staff.role !== 'department_staff',
          proposal: { id: proposal.id, title: proposal.title, version: proposal.version },
          ...naming.pageTitles('agreement.title', proposal.title),
          methodLabel: naming.methodLabel(proposal.collaborationMethod),
          outcome: naming.outcome(proposal.collaborationMethod),
          arrangement: view.arrangement?.arrangement ?? null,
          kinds: (view.arrangement?.agreementKinds ?? []).map((kind) => ({
            value: kind,
            label: naming.kindLabel(kind) ?? kind,
          })),
          agreement: view.agreement
            ? {
                ...view.agreement,
                summary: naming.agreementView(
                  proposal.collaborationMethod,
                  view.agreement,
                  (id) => `/${staff.citySlug}/desk/attachments/${id}`,
                ),
              }
            : null,
          concludingLabel: concluding ? naming.text(concluding.label) : null,
        },
        { headers: { 'Cache-Control': 'no-store' } },
      )
    } catch (error) {
      throw refusal(error)
    }
  })
}

/** The agreement's record (its document is read by the upload receiver); the kind is one of the city's. */
function agreementSchema(kindIds: readonly string[]) {
  const longText = fields.optionalText(MAX_TEXT_LENGTH)
  return z.object({
    version: hidden.version,
    agreementKind: fields.oneOf(kindIds).optional(),
    parties: longText,
    concludedOn: fields.date,
    validFrom: fields.date,
    validUntil: fields.date,
    note: longText,
  })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireCityRole(context, params.city, ['desk_admin', 'desk_staff'], request)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
  const proposalId = params.proposalId ?? ''
  const failure = await actOnUploadForm(
    request,
    context,
    {
      tenantId: tenant.id,
      limits: {
        document: {
          allowedMimeTypes: tenant.config.attachments.allowedMimeTypes,
          maxBytes: tenant.config.attachments.maxBytes,
          maxFiles: 1,
        },
      },
      locale,
      fileLabel: () => t('after:agreement.document'),
      wordIssue: await afterDecisionIssues(),
    },
    (formData, filesFor) => {
      const { version, parties, ...form } = parseSubmission(
        formData,
        agreementSchema(tenant.config.agreementKinds.map((kind) => kind.id)),
      )
      return recordAgreement(context.db, {
        tenant,
        actor: { kind: 'staff', userId: staff.user.id },
        proposalId,
        input: {
          ...form,
          parties: (parties ?? '')
            .split('\n')
            .map((party) => party.trim())
            .filter(Boolean),
        },
        document: filesFor('document')[0],
        expectedVersion: version,
      })
    },
  )
  if (failure) return failure
  return redirect(`/${staff.citySlug}/desk/proposals/${proposalId}/agreement?done=saved`)
}

export default function DeskAgreement() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<ActionFailure>()
  const { t } = useTranslation('after')
  const { kinds } = data
  const schema = useMemo(() => agreementSchema(kinds.map((kind) => kind.value)), [kinds])
  const record = useValidatedForm({ id: 'agreement-form', schema, failure })
  const shown = { errors: record.errors, values: record.values }
  const { agreement, arrangement } = data
  return (
    <section className="desk-page">
      <p>
        <Link to={`/${data.slug}/desk/proposals/${data.proposal.id}`}>{t('agreement.back')}</Link>
      </p>
      <h1>{data.heading}</h1>
      {/* Each refused field says why beside it (the operations' issues are worded by afterDecisionIssues). */}
      <FormAlert failure={failure} errors={{}} />
      {!arrangement ? (
        <p>{t('agreement.noDecision')}</p>
      ) : (
        <>
          <section aria-labelledby="recorded-heading">
            <h2 id="recorded-heading">{t('agreement.recorded')}</h2>
            {agreement ? (
              <AgreementSummary agreement={agreement.summary} />
            ) : (
              <p>{t('agreement.notRecorded')}</p>
            )}
          </section>
          {data.isDesk ? (
            <Form
              method="post"
              encType="multipart/form-data"
              className="stack card"
              aria-labelledby="record-heading"
              {...record.form}
            >
              <h2 id="record-heading">{t('agreement.form')}</h2>
              <input type="hidden" name="version" value={data.proposal.version} />
              <p>
                {t('agreement.method')}: {data.methodLabel} — {t(`arrangement.${arrangement}`)}
                {data.outcome && arrangement === 'no_agreement' ? (
                  <>
                    {' '}
                    ({t('outcome.term')}: <AgreementOutcomeText outcome={data.outcome} />)
                  </>
                ) : null}
              </p>
              {arrangement === 'agreement' ? (
                <SelectField
                  id="agreementKind"
                  name="agreementKind"
                  label={t('agreement.kind')}
                  options={data.kinds}
                  defaultValue={agreement?.agreementKind ?? undefined}
                  error={record.errors.agreementKind ?? record.errors.kind}
                  values={record.values}
                />
              ) : null}
              <TextField
                id="parties"
                name="parties"
                label={t('agreement.parties')}
                defaultValue={agreement?.parties.join('\n')}
                {...shown}
                rows={3}
              />
              {arrangement !== 'no_agreement' ? (
                <TextField
                  id="concludedOn"
                  name="concludedOn"
                  type="date"
                  label={t(arrangement === 'agreement' ? 'agreement.concludedOn' : 'agreement.handedOn')}
                  defaultValue={agreement?.concludedOn ?? undefined}
                  {...shown}
                />
              ) : null}
              {arrangement !== 'public_call' ? (
                <>
                  <TextField
                    id="validFrom"
                    name="validFrom"
                    type="date"
                    label={t(arrangement === 'agreement' ? 'agreement.validFrom' : 'agreement.periodFrom')}
                    defaultValue={agreement?.validFrom ?? undefined}
                    {...shown}
                  />
                  <TextField
                    id="validUntil"
                    name="validUntil"
                    type="date"
                    label={t(arrangement === 'agreement' ? 'agreement.validUntil' : 'agreement.periodUntil')}
                    defaultValue={agreement?.validUntil ?? undefined}
                    {...shown}
                  />
                </>
              ) : null}
              <TextField
                id="note"
                name="note"
                label={t(arrangement === 'public_call' ? 'agreement.callNote' : 'agreement.note')}
                defaultValue={agreement?.note}
                {...shown}
                rows={3}
              />
              {arrangement === 'agreement' ? (
                <FileField
                  id="document"
                  name="document"
                  accept=".pdf,.docx,.png,.jpg,.jpeg"
                  label={t(agreement?.document ? 'agreement.documentReplace' : 'agreement.document')}
                  hint={t('agreement.documentHint')}
                  {...shown}
                />
              ) : null}
              <button type="submit" className="button button--primary">
                {data.concludingLabel
                  ? t('agreement.saveAndConclude', { transition: data.concludingLabel })
                  : t('agreement.save')}
              </button>
            </Form>
          ) : (
            <p>{t('agreement.deskOnly')}</p>
          )}
        </>
      )}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = afterDecisionMeta

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
