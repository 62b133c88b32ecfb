import {
  json,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { formatList } from '@desk/tenant-config'
import { Pager } from '~/components/pager'
import { ScrollingTable } from '~/components/scrolling-table'
import { PageQuerySchema } from '~/utils/paging'
import { listKnowHow, markGoodPractice, unmarkGoodPractice } from '~/operations/know-how/know-how.server'
import { deskStaffRequest, readForDeskStaff } from '~/http/desk-request.server'
import { actThenShow } from '~/http/edge.server'
import { fields as formFields, knowHowMarkSchema } from '~/http/form-schemas'
import { readQuery } from '~/http/form-validation.server'
import { safeRedirectPath } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import deskStylesHref from '~/styles/desk.css'
import { refusal } from '~/http/errors.server'
import { deskPageMeta } from '~/utils/page-meta'
import { KnowHowToggle } from '~/components/desk/know-how-toggle'
import { RefusedQueryNotice, SelectField, TextField, type ActionFailure } from '~/components/forms'
import { mediumDate } from '~/utils/medium-date'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

/** The search form's query: words, one of the city's fields, the page; anything else is refused at its input. */
function knowHowQuerySchema(fieldIds: readonly string[]) {
  return z.object({
    q: z.string().trim().max(200, 'auth:validation.tooLong').optional(),
    field: formFields.oneOf(fieldIds).optional(),
    page: PageQuerySchema,
  })
}
const SEARCH_FIELDS = ['q', 'field'] as const

/**
 * The city's know-how: internal notes marked as good practice, searchable.
 * City staff only (department staff see those on their department's
 * proposals); the marks are made from the notes on a proposal's page, whose
 * toggle posts here.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return readForDeskStaff(request, context, params.city, async ({ db, locale, tenant, actor, text }) => {
    const t = await getFixedT(locale)
    const { config } = tenant
    // A refused input is answered 400 at its field; the list is the search without it, and says so.
    const {
      value: query,
      fieldErrors,
      values,
    } = readQuery(
      new URL(request.url).searchParams,
      knowHowQuerySchema(config.fieldsOfActivity.map((field) => field.id)),
    )
    const { rows, total, page, pageCount } = await listKnowHow(db, {
      tenant,
      actor,
      q: query.q || undefined,
      field: query.field,
      ip: context.clientIp,
      page: query.page ?? 1,
    }).catch((error: unknown) => {
      throw refusal(error)
    })
    return json(
      {
        title: t('dashboard:knowHow.title'),
        cityName: text(config.identity.name),
        slug: config.slug,
        fields: config.fieldsOfActivity.map((field) => ({ id: field.id, label: text(field.label) })),
        rows: rows.map((row) => ({ ...row, markedAt: row.markedAt.toISOString() })),
        total,
        page,
        pageCount,
        search: { q: query.q ?? '', field: query.field ?? '' },
        fieldErrors,
        values,
      },
      { status: Object.keys(fieldErrors).length > 0 ? 400 : 200, headers: { 'Cache-Control': 'no-store' } },
    )
  })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { tenant, actor } = await deskStaffRequest(request, context, params.city)
  return actThenShow(
    request,
    {
      schema: knowHowMarkSchema(tenant.config.fieldsOfActivity.map((field) => field.id)),
      pageHref: (form) => safeRedirectPath(form.redirectTo, `/${tenant.config.slug}/desk/know-how`),
    },
    (form) =>
      form.intent === 'unmark'
        ? unmarkGoodPractice(context.db, { tenant, actor, noteId: form.noteId })
        : markGoodPractice(context.db, {
            tenant,
            actor,
            noteId: form.noteId,
            title: form.title,
            fields: form.fields,
          }),
  )
}

export default function KnowHow() {
  const data = useLoaderData<typeof loader>()
  const refused = useActionData<ActionFailure>()
  const { t, i18n } = useTranslation('dashboard')
  const date = mediumDate(i18n.language)
  const fieldLabel = (id: string) => data.fields.find((field) => field.id === id)?.label ?? id
  return (
    <section className="desk-page know-how">
      <h1>{t('knowHow.title')}</h1>
      <p>{t('knowHow.intro')}</p>
      {refused ? <RefusedMark refused={refused} slug={data.slug} fields={data.fields} /> : null}
      <RefusedQueryNotice errors={data.fieldErrors} fields={SEARCH_FIELDS} />
      <Form method="get" className="desk-filters" aria-labelledby="know-how-search-heading">
        <h2 id="know-how-search-heading" className="visually-hidden">
          {t('knowHow.apply')}
        </h2>
        <TextField
          id="know-how-q"
          name="q"
          type="search"
          label={t('knowHow.search')}
          defaultValue={data.search.q}
          errors={data.fieldErrors}
          values={data.values}
        />
        <SelectField
          id="know-how-field"
          name="field"
          label={t('knowHow.field')}
          emptyLabel={t('knowHow.any')}
          options={data.fields.map((field) => ({ value: field.id, label: field.label }))}
          defaultValue={data.search.field}
          errors={data.fieldErrors}
          values={data.values}
        />
        <button type="submit" className="button button--primary">
          {t('knowHow.apply')}
        </button>
      </Form>
      <p role="status">{t('knowHow.count', { count: data.total })}</p>
      {data.rows.length > 0 ? (
        <ScrollingTable
          caption={t('knowHow.caption')}
          columns={[
            t('knowHow.columns.lesson'),
            t('knowHow.columns.proposal'),
            t('knowHow.columns.fields'),
            t('knowHow.columns.markedBy'),
            t('knowHow.columns.markedAt'),
          ]}
        >
          {data.rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">
                {row.title || t('knowHow.untitled')}
                <p className="pre-wrap know-how__note">{row.noteBody}</p>
              </th>
              <td>
                {row.referenceCode ? `${row.referenceCode} ` : ''}
                <Link to={`/${data.slug}/desk/proposals/${row.proposalId}`}>{row.proposalTitle}</Link>
              </td>
              <td>{formatList(row.fields.map(fieldLabel), i18n.language) || '—'}</td>
              <td>{row.markedByName || '—'}</td>
              <td>
                <time dateTime={row.markedAt}>{date.format(new Date(row.markedAt))}</time>
              </td>
            </tr>
          ))}
        </ScrollingTable>
      ) : (
        <p>{t('knowHow.empty')}</p>
      )}
      <Pager page={data.page} pageCount={data.pageCount} />
    </section>
  )
}

/**
 * A mark refused without JavaScript (the toggle under a note posts here from the proposal's page): the
 * toggle again, open, with the refusal and what was written, and the way back to the proposal.
 */
function RefusedMark({
  refused,
  slug,
  fields,
}: {
  refused: ActionFailure
  slug: string
  fields: { id: string; label: string }[]
}) {
  const { t } = useTranslation('dashboard')
  const sent = (name: string) => {
    const value = refused.values?.[name]
    return typeof value === 'string' ? value : ''
  }
  // The way back came with the post: only a page of this desk is offered.
  const backTo = sent('redirectTo').startsWith(`/${slug}/desk/`) ? sent('redirectTo') : `/${slug}/desk`
  return (
    <section className="card stack" aria-labelledby="know-how-refused-heading">
      <h2 id="know-how-refused-heading">{t('knowHow.refused.heading')}</h2>
      <KnowHowToggle
        slug={slug}
        noteId={sent('noteId')}
        mark={undefined}
        fields={fields}
        backTo={backTo}
        refused={refused}
      />
      <p>
        <Link to={backTo}>{t('knowHow.refused.back')}</Link>
      </p>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = deskPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
