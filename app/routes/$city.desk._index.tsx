import { json, type LoaderFunctionArgs, type LinksFunction, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { useFollowInApp } from '~/components/desk/follow-in-app'
import { mediumDays } from '~/utils/medium-date'
import { proposalTenant } from '~/http/edge.server'
import { readDeskInbox } from '~/operations/inbox/desk-inbox.server'
import { readThemeChoices } from '~/operations/inbox/inbox-filters.server'
import { readInboxQuery } from '~/http/inbox-query.server'
import { echoedValues } from '~/http/form-schemas'
import { CheckboxField, RefusedQueryNotice, SelectField, TextField } from '~/components/forms'
import { withCityRole } from '~/http/guards.server'
import { CITY_STAFF_ROLES } from '~/http/desk-request.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { tenantText } from '~/utils/tenant-text'
import deskStylesHref from '~/styles/desk.css'
import { refusal } from '~/http/errors.server'
import { deskPageMeta } from '~/utils/page-meta'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const query = new URL(request.url).searchParams
  // The membership, the inbox (count and page) and the filter's themes: one tenant transaction.
  const { staff, tenant, inbox, themes, fieldErrors, values } = await withCityRole(
    context,
    params.city,
    CITY_STAFF_ROLES,
    request,
    async (staff, tx) => {
      const tenant = await proposalTenant(context, staff.citySlug, staff.tenantId)
      const actor = { kind: 'staff' as const, userId: staff.user.id }
      // A refused filter is answered 400 at its field; the inbox is read without it, and says so.
      const { value: filters, fieldErrors, values } = readInboxQuery(query, tenant.config)
      const side = staff.role === 'department_staff' ? 'department' : 'desk'
      try {
        const [inbox, themes] = await Promise.all([
          readDeskInbox(tx, { tenant, actor, filters, locale, side }),
          staff.role === 'department_staff' ? [] : readThemeChoices(tx, tenant),
        ])
        // A theme id the filter does not offer (none of the city's): refused too, and only then the inbox read
        // again without it, in the same transaction — a page with every filter taken reads as before.
        if (filters.themeId && !themes.some((theme) => theme.id === filters.themeId)) {
          const refused = { ...fieldErrors, themeId: 'auth:validation.choose' }
          const rest = { ...filters, themeId: undefined }
          const again = await readDeskInbox(tx, { tenant, actor, filters: rest, locale, side })
          return { staff, tenant, inbox: again, themes, fieldErrors: refused, values: echoedValues(query) }
        }
        return { staff, tenant, inbox, themes, fieldErrors, values }
      } catch (error) {
        throw refusal(error)
      }
    },
  )
  const t = await getFixedT(locale)
  const { config } = tenant
  const text = (value: Parameters<typeof tenantText>[0]) => tenantText(value, locale, config.defaultLocale)
  return json(
    {
      title: t('desk:inbox.title'),
      cityName: text(config.identity.name),
      slug: config.slug,
      isDesk: staff.role !== 'department_staff',
      hasStageTargets: config.stageTargets.length > 0,
      total: inbox.total,
      page: inbox.page,
      pageCount: inbox.pageCount,
      // Only what a row shows: the loader's data is serialised, read back and embedded in the page again.
      rows: inbox.rows.map((row) => ({
        id: row.id,
        referenceCode: row.referenceCode,
        title: row.title,
        organisationName: row.organisationName,
        stepLabel: row.stepLabel,
        submittedAt: row.submittedAt?.toISOString() ?? null,
        daysAtStage: row.daysAtStage,
        /** The stage's target in days, when the proposal has waited past it. */
        pastTargetDays: row.pastTarget ? row.stageTargetDays : null,
        earlyAnswerDueAt: row.earlyAnswerDueAt?.toISOString() ?? null,
        overdue: row.overdue,
        unread: row.unread,
      })),
      states: [
        ...new Map(
          config.tracks.flatMap((track) => track.steps.map((step) => [step.id, text(step.label)] as const)),
        ),
      ].map(([id, label]) => ({ id, label })),
      tracks: config.tracks.map((track) => ({ id: track.id, label: text(track.label) })),
      departments: config.departments.map((department) => ({
        id: department.id,
        label: text(department.name),
      })),
      themes: themes.map((theme) => ({
        id: theme.id,
        label: (locale === 'en' && theme.titleEn) || theme.titleJa,
      })),
      fieldErrors,
      values,
    },
    { status: Object.keys(fieldErrors).length > 0 ? 400 : 200, headers: { 'Cache-Control': 'no-store' } },
  )
}

/** `wording` asked once per distinct value (within one render). */
function onceEach<T>(wording: (value: T) => string): (value: T) => string {
  const known = new Map<T, string>()
  return (value) => {
    let text = known.get(value)
    if (text === undefined) known.set(value, (text = wording(value)))
    return text
  }
}

/** The inputs the filter form shows as fields (the page number has none). */
const FILTER_FIELDS = [
  'q',
  'state',
  'track',
  'themeId',
  'department',
  'olderThanDays',
  'sort',
  'waitingOnly',
  'overdueOnly',
  'pastTargetOnly',
]

export default function DeskInbox() {
  const data = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const { t, i18n } = useTranslation('desk')
  const day = mediumDays(i18n.language)
  // The column names, once: each row repeats them as its cells' data-label (the narrow layout's captions).
  const column = {
    reference: t('inbox.reference'),
    proposal: t('inbox.proposal'),
    state: t('inbox.state'),
    submitted: t('inbox.submitted'),
    daysAtStage: t('inbox.daysAtStage'),
    due: t('inbox.due'),
    unread: t('inbox.unread'),
  }
  const preSubmission = t('inbox.preSubmission')
  const untitled = t('inbox.untitled')
  const overdue = t('inbox.overdue')
  // The rows' day counts repeat: each wording is asked of i18next once per page.
  const daysAtStage = onceEach((count: number) => t('inbox.days', { count }))
  const pastTarget = onceEach((days: number) => t('inbox.pastTarget', { days }))
  const followInApp = useFollowInApp()
  const value = (name: string) => searchParams.get(name) ?? ''
  const csvQuery = new URLSearchParams(searchParams)
  csvQuery.delete('page')
  const csvHref = `/${data.slug}/desk/inbox.csv${csvQuery.size ? `?${csvQuery}` : ''}`
  const pageHref = (page: number) => {
    const next = new URLSearchParams(searchParams)
    next.set('page', String(page))
    return `?${next}`
  }
  // The kit's fields, each showing what the address asks (and, refused, what it sent, with the message).
  const kit = { errors: data.fieldErrors, values: data.values }
  const select = (name: string, label: string, options: { id: string; label: string }[], any = true) => (
    <SelectField
      id={`filter-${name}`}
      name={name}
      label={label}
      emptyLabel={any ? t('inbox.any') : undefined}
      options={options.map((option) => ({ value: option.id, label: option.label }))}
      defaultValue={value(name)}
      {...kit}
    />
  )
  const box = (name: string, label: string) => (
    <CheckboxField
      id={`filter-${name}`}
      name={name}
      label={label}
      defaultChecked={value(name) === 'on'}
      {...kit}
    />
  )
  return (
    <section className="desk-page desk-inbox">
      <h1>{t('inbox.title')}</h1>
      {data.isDesk ? null : <p>{t('inbox.departmentIntro')}</p>}
      <RefusedQueryNotice errors={data.fieldErrors} fields={FILTER_FIELDS} />
      <Form method="get" className="desk-filters" aria-labelledby="filters-heading">
        <h2 id="filters-heading" className="visually-hidden">
          {t('inbox.filters')}
        </h2>
        <TextField
          id="filter-q"
          name="q"
          type="search"
          label={t('inbox.search')}
          defaultValue={value('q')}
          {...kit}
        />
        {select('state', t('inbox.state'), data.states)}
        {select('track', t('inbox.track'), data.tracks)}
        {data.themes.length > 0 ? select('themeId', t('inbox.theme'), data.themes) : null}
        {select('department', t('inbox.department'), data.departments)}
        <TextField
          id="filter-age"
          name="olderThanDays"
          type="number"
          min={1}
          label={t('inbox.olderThanDays')}
          defaultValue={value('olderThanDays')}
          {...kit}
        />
        {select(
          'sort',
          t('inbox.sort'),
          ['newest', 'oldest', 'due', 'updated'].map((id) => ({ id, label: t(`inbox.sorts.${id}`) })),
          false,
        )}
        {box('waitingOnly', t('inbox.waitingOnly'))}
        {box('overdueOnly', t('inbox.overdueOnly'))}
        {data.hasStageTargets ? box('pastTargetOnly', t('inbox.pastTargetOnly')) : null}
        <button type="submit" className="button button--primary">
          {t('inbox.apply')}
        </button>
      </Form>
      <p role="status">{t('inbox.count', { count: data.total })}</p>
      <p>
        <a href={csvHref} download>
          {t('export.inbox', { ns: 'dashboard' })}
        </a>
      </p>
      {data.rows.length > 0 ? (
        <div className="table-scroll inbox-table">
          <table>
            <caption>{t('inbox.caption', { city: data.cityName })}</caption>
            <thead>
              <tr>
                <th scope="col">{column.reference}</th>
                <th scope="col">{column.proposal}</th>
                <th scope="col">{column.state}</th>
                <th scope="col">{column.submitted}</th>
                <th scope="col">{column.daysAtStage}</th>
                <th scope="col">{column.due}</th>
                <th scope="col">{column.unread}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={row.id}>
                  <td className={row.referenceCode ? 'nowrap' : undefined} data-label={column.reference}>
                    {row.referenceCode ?? preSubmission}
                  </td>
                  <td className="cell--text inbox-table__proposal" data-label={column.proposal}>
                    <a href={`/${data.slug}/desk/proposals/${row.id}`} onClick={followInApp}>
                      {row.title || untitled}
                    </a>
                    <br />
                    <small>{row.organisationName}</small>
                  </td>
                  <td className="cell--text" data-label={column.state}>
                    {row.stepLabel}
                  </td>
                  <td className="nowrap" data-label={column.submitted}>
                    {row.submittedAt ? day(row.submittedAt) : '—'}
                  </td>
                  <td data-label={column.daysAtStage}>
                    <span className="nowrap">{daysAtStage(row.daysAtStage)}</span>
                    {row.pastTargetDays !== null ? (
                      <strong className="badge badge--alert"> {pastTarget(row.pastTargetDays)}</strong>
                    ) : null}
                  </td>
                  <td data-label={column.due}>
                    <span className="nowrap">{row.earlyAnswerDueAt ? day(row.earlyAnswerDueAt) : '—'}</span>
                    {row.overdue ? <strong className="badge badge--alert"> {overdue}</strong> : null}
                  </td>
                  <td data-label={column.unread}>
                    {row.unread > 0 ? <strong className="badge">{row.unread}</strong> : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : data.total > 0 ? (
        <p>
          {t('inbox.beyondLastPage', { page: data.page, pages: data.pageCount })}{' '}
          <Link to={pageHref(data.pageCount)}>{t('inbox.toLastPage')}</Link>
        </p>
      ) : (
        <p>{t('inbox.empty')}</p>
      )}
      {data.pageCount > 1 ? (
        <nav aria-label={t('inbox.paging')} className="pager">
          {data.page > 1 ? <Link to={pageHref(data.page - 1)}>{t('inbox.previous')}</Link> : null}
          <span>{t('inbox.page', { page: data.page, pages: data.pageCount })}</span>
          {data.page < data.pageCount ? <Link to={pageHref(data.page + 1)}>{t('inbox.next')}</Link> : null}
        </nav>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = deskPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
