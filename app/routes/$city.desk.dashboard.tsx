import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { BarChart, FigureTableView, type Bar } from '~/components/desk/bar-chart'
import {
  figureTables,
  formatDays,
  formatRate,
  tableLabels,
  type FigureTableId,
  type GroupFigures,
} from '~/operations/dashboard/dashboard-figures'
import { getDeskDashboard } from '~/operations/dashboard/desk-dashboard.server'
import { dashboardOf } from '~/http/dashboard-request.server'
import { readForDeskStaff } from '~/http/desk-request.server'
import type { TFunction } from 'i18next'
import {
  hasNoAgreementOutcome,
  isPlatformDefaultTarget,
  numberFormat,
  platformDefaultEntries,
  type TenantConfig,
} from '@desk/tenant-config'
import { getFixedT } from '~/utils/i18n.server'
import { tenantText } from '~/utils/tenant-text'
import deskStylesHref from '~/styles/desk.css'
import { refusal } from '~/http/errors.server'
import { deskPageMeta } from '~/utils/page-meta'
import { SelectField, TextField } from '~/components/forms'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: deskStylesHref }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return readForDeskStaff(request, context, params.city, async (desk) => {
    const { db, isDesk, locale, tenant, actor, filters, problem, names, cityName, fieldErrors, values } =
      dashboardOf(desk, request)
    const t = await getFixedT(locale)
    const figures = await getDeskDashboard(db, { tenant, actor, filters }).catch((error: unknown) => {
      throw refusal(error)
    })
    return json(
      {
        title: t('dashboard:title'),
        cityName,
        slug: tenant.config.slug,
        isDesk,
        earlyAnswerTargetDays: tenant.config.earlyAnswerTargetDays,
        platformDefaults: isDesk ? platformDefaultValues(tenant.config, locale, t) : [],
        problem: problem ?? null,
        figures,
        names,
        fieldErrors,
        values,
      },
      // A refused filter is a refused form: 400, the message at its field; the default period is shown, and said.
      { status: Object.keys(fieldErrors).length > 0 ? 400 : 200, headers: { 'Cache-Control': 'no-store' } },
    )
  })
}

/**
 * The values the tenant file marks as platform defaults (list items by their
 * label), the no-agreement outcome where the platform words it, and the stage
 * targets the guideline does not state: the desk is asked to confirm each, as
 * none is the guideline's word.
 */
function platformDefaultValues(config: TenantConfig, locale: string, t: TFunction) {
  const entries = platformDefaultEntries(config).map((entry) => ({
    path: entry.path,
    value: entry.label ? tenantText(entry.label, locale, config.defaultLocale) : entry.value,
    count: entry.count,
  }))
  if (!config.noAgreement && hasNoAgreementOutcome(config))
    entries.push({ path: 'noAgreement', value: t('after:outcome.noAgreement'), count: null })
  for (const target of config.stageTargets.filter(isPlatformDefaultTarget))
    entries.push({
      path: `stageTargets: ${target.track}.${target.step}`,
      value: String(target.days),
      count: null,
    })
  return entries
}

export default function DeskDashboard() {
  const data = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('dashboard')
  const locale = i18n.language
  const { figures, names } = data
  const labels = tableLabels(names, (key, options) => t(key, options), locale)
  const tables = figureTables(figures, labels)
  const query = new URLSearchParams({
    from: figures.period.from,
    to: figures.period.to,
    ...(figures.track ? { track: figures.track } : {}),
  })
  const csvHref = (table: string) => `/${data.slug}/desk/dashboard.csv?${query}&table=${table}`
  const days = (value: number | null) =>
    value === null ? t('summary.none') : t('summary.days', { value: formatDays(value, locale) })
  const countBar = (label: string, value: number): Bar => ({
    label,
    value,
    display: numberFormat(locale).format(value),
  })
  const groupsOf = (kind: 'track' | 'department') =>
    (kind === 'track' ? figures.byTrack : figures.byDepartment).map((group) => ({
      label: kind === 'track' ? labels.trackLabel(group.key ?? '') : labels.departmentLabel(group.key),
      group,
    }))
  const rateBars = (groups: { label: string; group: GroupFigures }[]) =>
    groups
      .filter(({ group }) => group.acceptanceRate !== null)
      .map(({ label, group }) => ({
        label,
        value: group.acceptanceRate!,
        display: formatRate(group.acceptanceRate, locale),
      }))
  const decisionBars = (groups: { label: string; group: GroupFigures }[]) =>
    groups
      .filter(({ group }) => group.leadTimes.decision.medianDays !== null)
      .map(({ label, group }) => ({
        label,
        value: group.leadTimes.decision.medianDays!,
        display: days(group.leadTimes.decision.medianDays),
      }))
  const charts: Record<FigureTableId, { caption: string; bars: Bar[] }> = {
    states: {
      caption: t('charts.states'),
      bars: figures.byState.map((row) => ({
        ...countBar(labels.stateLabel(row.track, row.state), row.count),
        detail: figures.track ? undefined : labels.trackLabel(row.track),
      })),
    },
    months: {
      caption: t('charts.months'),
      bars: figures.byMonth.map((row) => countBar(row.month, row.count)),
    },
    'outcomes-by-track': { caption: t('charts.acceptanceByTrack'), bars: rateBars(groupsOf('track')) },
    'outcomes-by-department': {
      caption: t('charts.acceptanceByDepartment'),
      bars: rateBars(groupsOf('department')),
    },
    'lead-times-by-track': { caption: t('charts.decisionByTrack'), bars: decisionBars(groupsOf('track')) },
    'lead-times-by-department': {
      caption: t('charts.decisionByDepartment'),
      bars: decisionBars(groupsOf('department')),
    },
  }
  const total = figures.total
  return (
    <section className="desk-page desk-dashboard">
      <h1>{t('title')}</h1>
      <p>{data.isDesk ? t('intro') : `${t('intro')} ${t('departmentIntro')}`}</p>
      {data.problem ? (
        <div className="form-alert" role="alert">
          {t(`problems.${data.problem}`)}
        </div>
      ) : null}
      <Form method="get" className="desk-filters" aria-labelledby="dashboard-filters-heading">
        <h2 id="dashboard-filters-heading" className="visually-hidden">
          {t('filters.heading')}
        </h2>
        {(['from', 'to'] as const).map((name) => (
          <TextField
            key={name}
            id={`dashboard-${name}`}
            name={name}
            type="month"
            pattern="[0-9]{4}-[0-9]{2}"
            placeholder="YYYY-MM"
            label={t(`filters.${name}`)}
            hint={t('filters.monthHint')}
            defaultValue={figures.period[name]}
            errors={data.fieldErrors}
            values={data.values}
          />
        ))}
        <SelectField
          id="dashboard-track"
          name="track"
          label={t('filters.track')}
          emptyLabel={t('filters.any')}
          options={names.tracks.map((track) => ({ value: track.id, label: track.label }))}
          defaultValue={figures.track ?? ''}
          errors={data.fieldErrors}
          values={data.values}
        />
        <button type="submit" className="button button--primary">
          {t('filters.apply')}
        </button>
      </Form>
      <p role="status">{t('period', figures.period)}</p>

      <section aria-labelledby="summary-heading" className="dashboard-section">
        <h2 id="summary-heading">{t('summary.heading')}</h2>
        <dl className="key-figures">
          <div>
            <dt>{t('summary.submitted')}</dt>
            <dd>{numberFormat(locale).format(total.submitted)}</dd>
          </div>
          <div>
            <dt>{t('summary.acceptanceRate')}</dt>
            <dd>
              {formatRate(total.acceptanceRate, locale)}
              <small>
                {t('summary.acceptanceDetail', { accepted: total.accepted, refused: total.refused })}
              </small>
            </dd>
          </div>
          <div>
            <dt>{t('summary.overdueOpen')}</dt>
            <dd>
              {numberFormat(locale).format(total.overdueOpen)}
              <small>{t('summary.overdueDetail', { days: data.earlyAnswerTargetDays })}</small>
            </dd>
          </div>
          {(['firstAnswer', 'decision', 'agreement'] as const).map((milestone) => (
            <div key={milestone}>
              <dt>{t(`summary.${milestone}`)}</dt>
              <dd>{days(total.leadTimes[milestone].medianDays)}</dd>
            </div>
          ))}
        </dl>
      </section>

      {tables.map((table) => (
        <section key={table.id} aria-labelledby={`heading-${table.id}`} className="dashboard-section">
          <h2 id={`heading-${table.id}`}>{table.caption}</h2>
          {table.id.endsWith('by-department') ? <p>{t('tables.departmentNote')}</p> : null}
          {/* Narrow tables sit beside their chart on wide screens; wide ones go below it. */}
          <div className={table.head.length <= 3 ? 'figure-pair figure-pair--side' : 'figure-pair'}>
            <BarChart caption={charts[table.id].caption} bars={charts[table.id].bars} />
            <FigureTableView
              table={table}
              downloadHref={csvHref(table.id)}
              downloadLabel={t('export.table', { table: table.caption })}
            />
          </div>
        </section>
      ))}

      {figures.stageWaits.length > 0 ? (
        <section aria-labelledby="stage-waits-heading" className="dashboard-section">
          <h2 id="stage-waits-heading">{t('stageWaits.heading')}</h2>
          <p>{t('stageWaits.lead')}</p>
          <div className="table-scroll card-table">
            <table>
              <caption className="visually-hidden">{t('stageWaits.heading')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('columns.state')}</th>
                  <th scope="col">{t('columns.track')}</th>
                  <th scope="col">{t('stageWaits.open')}</th>
                  <th scope="col">{t('stageWaits.median')}</th>
                  <th scope="col">{t('stageWaits.longest')}</th>
                  <th scope="col">{t('stageWaits.target')}</th>
                  <th scope="col">{t('stageWaits.pastTarget')}</th>
                </tr>
              </thead>
              <tbody>
                {figures.stageWaits.map((stage) => (
                  <tr key={`${stage.track}:${stage.state}`}>
                    <th scope="row">{labels.stateLabel(stage.track, stage.state)}</th>
                    <td data-label={t('columns.track')}>{labels.trackLabel(stage.track)}</td>
                    <td data-label={t('stageWaits.open')}>{numberFormat(locale).format(stage.open)}</td>
                    <td className="nowrap" data-label={t('stageWaits.median')}>
                      {days(stage.medianDays)}
                    </td>
                    <td className="nowrap" data-label={t('stageWaits.longest')}>
                      {days(stage.longestDays)}
                    </td>
                    <td data-label={t('stageWaits.target')}>
                      {stage.targetDays === null ? (
                        t('stageWaits.noTarget')
                      ) : (
                        <>
                          {t('summary.days', { value: formatDays(stage.targetDays, locale) })}
                          {stage.targetIsPlatformDefault ? (
                            <>
                              <br />
                              <small>{t('stageWaits.platformDefault')}</small>
                            </>
                          ) : null}
                        </>
                      )}
                    </td>
                    <td data-label={t('stageWaits.pastTarget')}>
                      {stage.pastTarget > 0 ? (
                        <strong className="badge badge--alert">
                          {numberFormat(locale).format(stage.pastTarget)}
                        </strong>
                      ) : (
                        numberFormat(locale).format(stage.pastTarget)
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.isDesk ? (
            <p>
              <a href={`/${data.slug}/desk?pastTargetOnly=on`}>{t('stageWaits.toInbox')}</a>
            </p>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="definitions-heading" className="dashboard-section">
        <h2 id="definitions-heading">{t('definitions.heading')}</h2>
        <ul>
          {(
            ['submitted', 'firstAnswer', 'decision', 'agreement', 'acceptance', 'overdue', 'scope'] as const
          ).map((item) => (
            <li key={item}>{t(`definitions.${item}`, { days: data.earlyAnswerTargetDays })}</li>
          ))}
        </ul>
      </section>
      {data.platformDefaults.length > 0 ? (
        <section aria-labelledby="platform-defaults-heading" className="dashboard-section">
          <h2 id="platform-defaults-heading">{t('platformDefaults.title')}</h2>
          <p>{t('platformDefaults.lead')}</p>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('platformDefaults.path')}</th>
                  <th scope="col">{t('platformDefaults.value')}</th>
                </tr>
              </thead>
              <tbody>
                {data.platformDefaults.map((entry) => (
                  <tr key={entry.path}>
                    <th scope="row">
                      <code>{entry.path}</code>
                    </th>
                    <td>
                      {entry.value ??
                        (entry.count !== null ? t('platformDefaults.items', { count: entry.count }) : '—')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = deskPageMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
