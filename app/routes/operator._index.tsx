import {
  json,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { localize, type TenantConfig } from '@desk/tenant-config'
import { stepOf } from '@desk/workflow'
import { ScrollingTable } from '~/components/scrolling-table'
import { FormNotice } from '~/components/forms'
import { OperatorAlert } from '~/components/operator/operator-alert'
import { listCityHealth } from '~/operations/operator/list-city-health.server'
import { listMailHealth } from '~/operations/operator/list-mail-health.server'
import { requireOperator } from '~/http/require-operator.server'
import { setCityStatus } from '~/operations/operator/set-city-status.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { actThenShow } from '~/http/edge.server'
import { hidden } from '~/http/form-schemas'
import { titleMeta } from '~/utils/page-meta'

/** A city's status change: a button (its value and the city are the page's). */
const StatusChangeSchema = z.object({
  intent: hidden.choice(['make_live', 'suspend', 'resume'] as const),
  slug: hidden.text(100),
})

/** A state's name as the city's tracks give it (the first track that has the step), else its id. */
function stepName(config: TenantConfig | undefined, state: string, locale: string): string {
  for (const track of config?.tracks ?? []) {
    const step = stepOf(track, state)
    if (step) return localize(step.label, locale, config!.defaultLocale)
  }
  return state
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const cities = await listCityHealth(context.db, context.tenants, operator)
  const mail = await listMailHealth(context.db, operator)
  const cityName = (slug: string) => {
    const city = cities.find((row) => row.slug === slug)
    return city ? (locale === 'en' ? city.nameEn : city.nameJa) : slug
  }
  return json({
    mail: mail.map((row) => ({ ...row, name: row.slug ? cityName(row.slug) : null })),
    title: t('operator:cities.heading'),
    cities: cities.map((city) => ({
      ...city,
      name: locale === 'en' ? city.nameEn : city.nameJa,
      proposalsByState: Object.entries(city.proposalsByState).map(([state, count]) => ({
        state,
        label: stepName(context.tenants.get(city.slug)?.config, state, locale),
        count,
      })),
    })),
    rejectedFiles: context.tenants.rejected(),
    locale,
  })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const operator = await requireOperator(request, context)
  return actThenShow(
    request,
    {
      schema: StatusChangeSchema,
      pageHref: (form) => `/operator?${new URLSearchParams({ changed: form.intent, city: form.slug })}`,
    },
    (form) =>
      setCityStatus(context.db, context.tenants, operator, {
        slug: form.slug,
        change: form.intent,
        ip: context.clientIp,
      }),
  )
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

type City = ReturnType<typeof useLoaderData<typeof loader>>['cities'][number]

function StatusButton({ city, intent, label }: { city: City; intent: string; label: string }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="slug" value={city.slug} />
      <button type="submit" name="intent" value={intent} className="button button--small">
        {label}
      </button>
    </Form>
  )
}

function CityActions({ city }: { city: City }) {
  const { t } = useTranslation('operator')
  return (
    <>
      <Link to={`/${city.slug}`}>
        {t(city.status === 'draft' ? 'cities.preview' : 'cities.portal', { city: city.name })}
      </Link>
      {city.status === 'draft' ? (
        <StatusButton city={city} intent="make_live" label={t('cities.makeLive')} />
      ) : null}
      {city.status === 'live' ? (
        <StatusButton city={city} intent="suspend" label={t('cities.suspend')} />
      ) : null}
      {city.status === 'suspended' ? (
        <StatusButton city={city} intent="resume" label={t('cities.resume')} />
      ) : null}
    </>
  )
}

/** Files that failed validation at the last reload: their cities keep serving the last good version. */
function RejectedFiles({ files }: { files: { file: string; problems: string[] }[] }) {
  const { t } = useTranslation('operator')
  return (
    <section className="form-alert" aria-labelledby="rejected-heading">
      <h2 id="rejected-heading">{t('cities.rejectedHeading')}</h2>
      <p>{t('cities.rejectedIntro')}</p>
      <ul>
        {files.map(({ file, problems }) => (
          <li key={file}>
            <code>{file}</code>
            <ul>
              {problems.map((problem) => (
                <li key={problem}>
                  <code>{problem}</code>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  )
}

function formatTime(iso: string, locale: string): string {
  return new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo' })
}

/** Mail waiting and mail given up, per city: counts only (the dead letters of the job queue, ADR 009). */
function MailHealth({
  rows,
  locale,
}: {
  rows: ReturnType<typeof useLoaderData<typeof loader>>['mail']
  locale: string
}) {
  const { t } = useTranslation('operator')
  return (
    <section aria-labelledby="mail-heading" className="operator-mail">
      <h2 id="mail-heading">{t('mail.heading')}</h2>
      <p>{t('mail.intro')}</p>
      {rows.length === 0 ? (
        <p>{t('mail.empty')}</p>
      ) : (
        <ScrollingTable
          caption={t('mail.caption')}
          columns={[
            t('mail.columns.city'),
            t('mail.columns.waiting'),
            t('mail.columns.dead'),
            t('mail.columns.oldestWaiting'),
          ]}
        >
          {rows.map((row) => (
            <tr key={row.slug ?? ''} data-mail-city={row.slug ?? ''}>
              <th scope="row">
                {row.name ?? t('mail.platform')} {row.slug ? <code>{row.slug}</code> : null}
              </th>
              <td>{row.waiting}</td>
              <td>{row.dead}</td>
              <td>{row.oldestWaitingAt ? formatTime(row.oldestWaitingAt, locale) : t('mail.none')}</td>
            </tr>
          ))}
        </ScrollingTable>
      )}
    </section>
  )
}

export default function OperatorCities() {
  const { cities, rejectedFiles, locale, mail } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t } = useTranslation('operator')
  const changed = searchParams.get('changed')
  const changedCity = cities.find((city) => city.slug === searchParams.get('city'))
  return (
    <section>
      <h1>{t('cities.heading')}</h1>
      <p>{t('cities.intro')}</p>
      {changed && changedCity ? (
        <FormNotice>{t(`cities.changed.${changed}`, { city: changedCity.name })}</FormNotice>
      ) : null}
      <OperatorAlert failure={failure} />
      {rejectedFiles.length > 0 ? <RejectedFiles files={rejectedFiles} /> : null}
      {cities.length === 0 ? (
        <p>{t('cities.empty')}</p>
      ) : (
        <div className="operator-cities">
          <ScrollingTable
            caption={t('cities.caption')}
            columns={[
              t('cities.columns.city'),
              t('cities.columns.status'),
              t('cities.columns.proposals'),
              t('cities.columns.staff'),
              t('cities.columns.lastActivity'),
              t('cities.columns.configuration'),
              t('cities.columns.actions'),
            ]}
          >
            {cities.map((city) => (
              <tr key={city.slug} data-city={city.slug}>
                <th scope="row">
                  {city.name} <code>{city.slug}</code>
                </th>
                <td>{t(`cities.status.${city.status}`)}</td>
                <td>
                  {city.proposals === 0 ? (
                    t('cities.noProposals')
                  ) : (
                    <>
                      <ul className="operator-counts">
                        {city.proposalsByState.map(({ state, label, count }) => (
                          <li key={state}>{t('cities.stateCount', { state: label, count })}</li>
                        ))}
                      </ul>
                      {t('cities.total', { count: city.proposals })}
                    </>
                  )}
                </td>
                <td>{city.staff}</td>
                <td>
                  {city.lastActivityAt
                    ? new Date(city.lastActivityAt).toLocaleString(locale === 'en' ? 'en-GB' : 'ja-JP', {
                        timeZone: 'Asia/Tokyo',
                      })
                    : t('cities.noActivity')}
                </td>
                <td>
                  {t(`cities.validation.${city.validation}`)}
                  <br />
                  {t('cities.revision', { revision: city.configRevision })}
                  <br />
                  <code>{t('cities.version', { version: city.configVersion.slice(0, 12) })}</code>
                </td>
                <td>
                  <div className="actions">
                    <CityActions city={city} />
                  </div>
                </td>
              </tr>
            ))}
          </ScrollingTable>
        </div>
      )}
      <MailHealth rows={mail} locale={locale} />
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
