import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { MAX_TEXT_LENGTH } from '@desk/workflow'
import {
  answerTo,
  CheckboxGroup,
  FileField,
  FormAlert,
  SelectField,
  TextField,
  useValidatedForm,
  type ActionFailure,
} from '~/components/forms'
import { afterDecisionIssues } from '~/http/after-decision-issues.server'
import { CaseDetail } from '~/components/portal/case-detail'
import { actOnUploadForm } from '~/http/upload-form.server'
import {
  addCaseImage,
  asPublishedCase,
  CASE_IMAGE_LIMITS,
  publishCase,
  readCaseForDesk,
  removeCaseImage,
  saveCase,
  withdrawCase,
} from '~/operations/cases/cases.server'
import { actThenShow, proposalTenant } from '~/http/edge.server'
import { fields, hidden, intents } from '~/http/form-schemas'
import { parseSubmission } from '~/http/form-validation.server'
import { requireCityRole } from '~/http/guards.server'
import { readForDeskStaff } from '~/http/desk-request.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { caseDetail } from '~/http/portal/content-views'
import { publishedContentChanged } from '~/operations/portal/published-content.server'
import deskStylesHref from '~/styles/desk.css'
import afterStylesHref from '~/styles/after.css'
import { refusal } from '~/http/errors.server'
import { pageTitle } from '~/utils/page-meta'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: deskStylesHref },
  { rel: 'stylesheet', href: afterStylesHref },
]

/**
 * Writing one public case: the desk's text in both languages, the partners as
 * they agreed to be named, period, fields, method, images; a preview rendered
 * by the portal's own component from the same data; publish and withdraw.
 * Every change to a published case reaches the portal at once (its content
 * version is checked again).
 */

const roles = ['desk_admin', 'desk_staff'] as const

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return readForDeskStaff(
    request,
    context,
    params.city,
    async ({ db, staff, locale, tenant, actor, text }) => {
      const { config } = tenant
      try {
        const view = await readCaseForDesk(db, { tenant, actor, caseId: params.caseId ?? '' })
        const row = view.case
        const imageBase = `/${staff.citySlug}/desk/cases/${row.id}/images`
        const heading = `${(await getFixedT(locale))('after:cases.edit')}: ${row.titleJa}`
        return json(
          {
            slug: staff.citySlug,
            heading,
            documentTitle: `${heading} | ${text(config.identity.name)}`,
            case: {
              ...row,
              publishedAt: row.publishedAt?.toISOString() ?? null,
              withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
              createdAt: row.createdAt.toISOString(),
              updatedAt: row.updatedAt.toISOString(),
            },
            proposal: view.proposal,
            images: view.images,
            preview: caseDetail(
              asPublishedCase(row),
              { config, text, locale },
              view.images.map((image) => ({
                src: `${imageBase}/${image.id}`,
                alt: locale === 'en' && image.altEn ? image.altEn : image.altJa,
              })),
            ),
            imageBase,
            methods: config.collaborationMethods.map((method) => ({
              value: method.id,
              label: text(method.label),
            })),
            kinds: config.agreementKinds.map((kind) => ({ value: kind.id, label: text(kind.label) })),
            fields: config.fieldsOfActivity.map((field) => ({ value: field.id, label: text(field.label) })),
          },
          { headers: { 'Cache-Control': 'no-store' } },
        )
      } catch (error) {
        throw refusal(error)
      }
    },
    roles,
  )
}

/** The case page's messages: keys of `after:cases.errors.*`, as the case operations word theirs. */
const caseError = (key: 'required' | 'tooLong' | 'unknownChoice' | 'unknownField' | 'altRequired') =>
  `after:cases.errors.${key}`
const caseText = (max: number) => z.string().trim().max(max, caseError('tooLong')).default('')
const caseRequired = (max: number, message: string) =>
  z.string().trim().min(1, message).max(max, caseError('tooLong')).default('')

/** An image's descriptions (the file itself is read by the upload receiver). */
const CaseImageSchema = z.object({ altJa: caseRequired(300, caseError('altRequired')), altEn: caseText(300) })

/** The case's text and facts (choices from the tenant file), publishing, withdrawing, removing an image. */
function caseFormSchema(offered: {
  methods: readonly string[]
  kinds: readonly string[]
  fields: readonly string[]
}) {
  const choice = (ids: readonly string[], message: string) =>
    z
      .string()
      .refine((id) => ids.includes(id), message)
      .optional()
  const fieldIds = offered.fields
  return intents([
    z.object({
      intent: z.literal('save'),
      titleJa: caseRequired(200, caseError('required')),
      titleEn: caseText(200),
      summaryJa: caseText(MAX_TEXT_LENGTH),
      summaryEn: caseText(MAX_TEXT_LENGTH),
      resultsJa: caseText(MAX_TEXT_LENGTH),
      resultsEn: caseText(MAX_TEXT_LENGTH),
      partnerName: caseText(500),
      collaborationMethod: choice(offered.methods, caseError('unknownChoice')),
      agreementKind: choice(offered.kinds, caseError('unknownChoice')),
      fields: z
        .array(z.string())
        .refine((chosen) => chosen.every((id) => fieldIds.includes(id)), caseError('unknownField'))
        .default([]),
      startedOn: fields.date,
      endedOn: fields.date,
    }),
    z.object({ intent: z.literal('publish') }),
    z.object({ intent: z.literal('withdraw') }),
    z.object({ intent: z.literal('remove-image'), imageId: hidden.id }),
  ])
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireCityRole(context, params.city, roles, request)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
  const target = {
    tenant,
    actor: { kind: 'staff' as const, userId: staff.user.id },
    caseId: params.caseId ?? '',
  }
  const pageHref = `/${staff.citySlug}/desk/cases/${target.caseId}?done=saved`
  if (request.headers.get('Content-Type')?.startsWith('multipart/form-data')) {
    const failure = await actOnUploadForm(
      request,
      context,
      {
        tenantId: tenant.id,
        limits: { image: CASE_IMAGE_LIMITS },
        locale,
        fileLabel: () => t('after:cases.image'),
        wordIssue: await afterDecisionIssues(),
      },
      (form, filesFor) =>
        addCaseImage(context.db, {
          ...target,
          ...parseSubmission(form, CaseImageSchema),
          file: filesFor('image')[0],
        }),
    )
    if (failure) return failure
    publishedContentChanged(staff.citySlug)
    return redirect(pageHref)
  }
  // The portal's pages, feeds and exports are keyed by the content version: it looks again after any change.
  const schema = caseFormSchema({
    methods: tenant.config.collaborationMethods.map((method) => method.id),
    kinds: tenant.config.agreementKinds.map((kind) => kind.id),
    fields: tenant.config.fieldsOfActivity.map((field) => field.id),
  })
  const wordIssue = await afterDecisionIssues()
  const response = await actThenShow(request, { schema, pageHref, wordIssue }, (form) => {
    switch (form.intent) {
      case 'publish':
        return publishCase(context.db, target)
      case 'withdraw':
        return withdrawCase(context.db, target)
      case 'remove-image':
        return removeCaseImage(context.db, { ...target, imageId: form.imageId })
      case 'save': {
        const { intent: _intent, ...input } = form
        return saveCase(context.db, {
          ...target,
          input: {
            ...input,
            collaborationMethod: input.collaborationMethod ?? null,
            agreementKind: input.agreementKind ?? null,
            startedOn: input.startedOn ?? null,
            endedOn: input.endedOn ?? null,
          },
        })
      }
    }
  })
  if (response.status === 302) publishedContentChanged(staff.citySlug)
  return response
}

export default function DeskCase() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<ActionFailure>()
  const { t } = useTranslation('after')
  const { methods, kinds, fields: fieldChoices } = data
  const schema = useMemo(() => {
    const ids = (options: { value: string }[]) => options.map((option) => option.value)
    return caseFormSchema({ methods: ids(methods), kinds: ids(kinds), fields: ids(fieldChoices) })
  }, [methods, kinds, fieldChoices])
  const edit = useValidatedForm({ id: 'case-form', schema, failure: answerTo(failure, 'save', 'publish') })
  const image = useValidatedForm({
    id: 'image-form',
    schema: CaseImageSchema,
    failure: answerTo(failure, 'image'),
  })
  // Publishing sends no answers: the form shows the saved case with the publishing refusal's errors.
  const shown = { errors: edit.errors, values: answerTo(failure, 'save')?.values }
  const row = data.case
  return (
    <section className="desk-page">
      <p>
        <Link to={`/${data.slug}/desk/cases`}>{t('cases.back')}</Link>
      </p>
      <h1>{data.heading}</h1>
      <dl className="facts">
        <div>
          <dt>{t('cases.status')}</dt>
          <dd>{t(`cases.statuses.${row.status}`)}</dd>
        </div>
        {data.proposal ? (
          <div>
            <dt>{t('cases.fromProposal')}</dt>
            <dd>
              <Link to={`/${data.slug}/desk/proposals/${data.proposal.id}`}>
                {data.proposal.referenceCode} {data.proposal.title}
              </Link>
            </dd>
          </div>
        ) : null}
        {row.status === 'published' ? (
          <div>
            <dt>{t('cases.portalPage')}</dt>
            <dd>
              <a href={`/${data.slug}/cases/${row.id}`}>{t('cases.openOnPortal')}</a>
            </dd>
          </div>
        ) : null}
      </dl>
      {/* Each refused field says why beside it (the operations' issues are mapped to after:errors.*). */}
      <FormAlert failure={failure} errors={{}} />

      <Form method="post" className="stack card" aria-labelledby="case-form-heading" {...edit.form}>
        <h2 id="case-form-heading">{t('cases.edit')}</h2>
        <input type="hidden" name="intent" value="save" />
        <TextField
          id="titleJa"
          name="titleJa"
          label={t('cases.titleJa')}
          defaultValue={row.titleJa}
          {...shown}
          required
        />
        <TextField
          id="titleEn"
          name="titleEn"
          label={t('cases.titleEn')}
          defaultValue={row.titleEn}
          {...shown}
        />
        <TextField
          rows={4}
          id="summaryJa"
          name="summaryJa"
          label={t('cases.summaryJa')}
          defaultValue={row.summaryJa}
          {...shown}
        />
        <TextField
          rows={4}
          id="summaryEn"
          name="summaryEn"
          label={t('cases.summaryEn')}
          defaultValue={row.summaryEn}
          {...shown}
        />
        <TextField
          rows={4}
          id="resultsJa"
          name="resultsJa"
          label={t('cases.resultsJa')}
          defaultValue={row.resultsJa}
          {...shown}
        />
        <TextField
          rows={4}
          id="resultsEn"
          name="resultsEn"
          label={t('cases.resultsEn')}
          defaultValue={row.resultsEn}
          {...shown}
        />
        <TextField
          id="partnerName"
          name="partnerName"
          label={t('cases.partnerName')}
          hint={t('cases.partnerHint')}
          defaultValue={row.partnerName}
          {...shown}
        />
        <SelectField
          id="collaborationMethod"
          name="collaborationMethod"
          label={t('cases.method')}
          emptyLabel={t('cases.notSet')}
          options={data.methods}
          defaultValue={row.collaborationMethod ?? ''}
          {...shown}
        />
        <SelectField
          id="agreementKind"
          name="agreementKind"
          label={t('cases.agreementKind')}
          emptyLabel={t('cases.notSet')}
          options={data.kinds}
          defaultValue={row.agreementKind ?? ''}
          {...shown}
        />
        <CheckboxGroup
          name="fields"
          label={t('cases.fields')}
          options={data.fields}
          defaultValue={row.fields}
          {...shown}
        />
        <TextField
          id="startedOn"
          name="startedOn"
          type="date"
          label={t('cases.startedOn')}
          defaultValue={row.startedOn ?? ''}
          {...shown}
        />
        <TextField
          id="endedOn"
          name="endedOn"
          type="date"
          label={t('cases.endedOn')}
          defaultValue={row.endedOn ?? ''}
          {...shown}
        />
        <button type="submit" className="button">
          {t('cases.save')}
        </button>
      </Form>

      <section aria-labelledby="images-heading">
        <h2 id="images-heading">{t('cases.images')}</h2>
        {data.images.length === 0 ? (
          <p>{t('cases.noImages')}</p>
        ) : (
          <ul className="plain-list">
            {data.images.map((image) => (
              <li key={image.id}>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove-image" />
                  <input type="hidden" name="imageId" value={image.id} />
                  {image.altJa}{' '}
                  <button type="submit" className="button button--small">
                    {t('cases.removeImage', { alt: image.altJa })}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
        <Form
          method="post"
          encType="multipart/form-data"
          className="stack card"
          aria-label={t('cases.addImage')}
          {...image.form}
        >
          <input type="hidden" name="intent" value="image" />
          <FileField
            id="image"
            name="image"
            accept="image/png,image/jpeg"
            label={t('cases.image')}
            errors={image.errors}
          />
          <TextField
            id="altJa"
            name="altJa"
            label={t('cases.altJa')}
            errors={image.errors}
            values={image.values}
          />
          <TextField
            id="altEn"
            name="altEn"
            label={t('cases.altEn')}
            errors={image.errors}
            values={image.values}
          />
          <button type="submit" className="button">
            {t('cases.addImage')}
          </button>
        </Form>
      </section>

      <section aria-labelledby="preview-heading" className="case-preview">
        <h2 id="preview-heading">{t('cases.preview')}</h2>
        <p>{t('cases.previewIntro')}</p>
        <article className="card">
          <CaseDetail data={data.preview} headingLevel={2} />
        </article>
      </section>

      <div className="button-row">
        {row.status !== 'published' ? (
          <Form method="post">
            <input type="hidden" name="intent" value="publish" />
            <button type="submit" className="button button--primary">
              {row.status === 'draft' ? t('cases.publish') : t('cases.republish')}
            </button>
          </Form>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="withdraw" />
            <button type="submit" className="button">
              {t('cases.withdraw')}
            </button>
          </Form>
        )}
      </div>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = (args) => [pageTitle(args, (data) => data.documentTitle)]

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
