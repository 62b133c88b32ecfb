import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { FormAlert, FormNotice } from '~/components/forms'
import { portalLinks } from '~/components/portal/portal-links'
import {
  changeAlertFrequency,
  deleteSavedSearch,
  describeScope,
  listSavedSearches,
  savedScope,
} from '~/operations/alerts/alerts.server'
import { ALERT_FREQUENCIES } from '~/operations/alerts/frequencies'
import { scopeQuery } from '~/operations/across-cities/search'
import { refusal } from '~/http/errors.server'
import { hidden, intents } from '~/http/form-schemas'
import { parseSubmission } from '~/http/form-validation.server'
import { requireUser } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { titleMeta } from '~/utils/page-meta'
import { mediumDate } from '~/utils/medium-date'

/** The account's alerts (issue 22): every saved search with its conditions; change how often, or delete. */

// Every value here is set by the page (the frequency is a select of the two there are).
const AlertActionSchema = intents([
  z.object({
    intent: z.literal('frequency'),
    savedSearchId: hidden.id,
    frequency: hidden.choice(ALERT_FREQUENCIES),
  }),
  z.object({ intent: z.literal('delete'), savedSearchId: hidden.id }),
])

export const links = portalLinks

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const vocabulary = { taxonomy: context.taxonomy, cities: context.tenants.list() }
  const searches = await listSavedSearches(context.db, user.id)
  return json({
    title: t('common:alerts.settings.title'),
    alerts: searches.map((search) => {
      const scope = savedScope(search.query, vocabulary, search.kind)
      return {
        id: search.id,
        kind: search.kind,
        organisation: search.organisationName,
        frequency: search.frequency,
        created: search.createdAt.toISOString(),
        conditions: scope ? describeScope(scope, vocabulary, locale, t) : [],
        // The list it watches, with the same conditions.
        listHref: `/${search.kind}${scope ? `?${scopeQuery(scope)}` : ''}`,
      }
    }),
  })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  try {
    const form = parseSubmission(await request.formData(), AlertActionSchema)
    if (form.intent === 'frequency') {
      await changeAlertFrequency(context.db, { userId: user.id, ...form })
      return redirect('/account/alerts?done=changed')
    }
    await deleteSavedSearch(context.db, { userId: user.id, savedSearchId: form.savedSearchId })
    return redirect('/account/alerts?done=deleted')
  } catch (error) {
    return refusal(error)
  }
}

const DONE = ['saved', 'changed', 'deleted'] as const

export default function AccountAlerts() {
  const { alerts } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { t, i18n } = useTranslation()
  const done = DONE.find((value) => value === searchParams.get('done'))
  const date = mediumDate(i18n.language)
  return (
    <section className="narrow">
      <h1>{t('alerts.settings.title')}</h1>
      {done ? <FormNotice>{t(`alerts.settings.${done}`)}</FormNotice> : null}
      <FormAlert failure={failure} />
      <p className="lead">{t('alerts.settings.lead')}</p>
      {alerts.length === 0 ? <p>{t('alerts.settings.none')}</p> : null}
      <ul className="card-list alert-list">
        {alerts.map((alert) => {
          const kind = t(`alerts.kinds.${alert.kind}`)
          const headingId = `alert-${alert.id}`
          return (
            <li key={alert.id} className="card" aria-labelledby={headingId}>
              <h2 id={headingId} className="card__title">
                <Link to={alert.listHref}>
                  {t('alerts.settings.heading', { kind, organisation: alert.organisation })}
                </Link>
              </h2>
              <dl className="facts">
                <div>
                  <dt>{t('alerts.settings.conditions')}</dt>
                  <dd>
                    {alert.conditions.length > 0
                      ? alert.conditions.map((part) => `${part.label}: ${part.value}`).join(' / ')
                      : t('alerts.everything')}
                  </dd>
                </div>
                <div>
                  <dt>{t('alerts.settings.created')}</dt>
                  <dd>
                    <time dateTime={alert.created}>{date.format(new Date(alert.created))}</time>
                  </dd>
                </div>
              </dl>
              <Form method="post" className="alert-frequency">
                <input type="hidden" name="intent" value="frequency" />
                <input type="hidden" name="savedSearchId" value={alert.id} />
                <label htmlFor={`frequency-${alert.id}`}>{t('alerts.frequency.label')}</label>
                <select id={`frequency-${alert.id}`} name="frequency" defaultValue={alert.frequency}>
                  {ALERT_FREQUENCIES.map((frequency) => (
                    <option key={frequency} value={frequency}>
                      {t(`alerts.frequency.${frequency}`)}
                    </option>
                  ))}
                </select>
                <button type="submit" className="button">
                  {t('alerts.settings.change')}
                </button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="savedSearchId" value={alert.id} />
                <button type="submit" className="button">
                  {t('alerts.settings.delete')}
                  <span className="visually-hidden">
                    {t('alerts.settings.deleteFor', { kind, organisation: alert.organisation })}
                  </span>
                </button>
              </Form>
            </li>
          )
        })}
      </ul>
      <p className="account-links">
        <Link to="/themes">{t('alerts.settings.findThemes')}</Link>
        <Link to="/cases">{t('alerts.settings.findCases')}</Link>
      </p>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
