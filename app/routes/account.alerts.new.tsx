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
import { z } from 'zod'
import { FormAlert, SelectField } from '~/components/forms'
import { AlertConditions } from '~/components/alert-conditions'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import portalStylesHref from '~/styles/portal.css'
import { ALERT_FREQUENCIES, describeScope, saveSearch } from '~/operations/alerts/alerts.server'
import { readAccountOverview } from '~/operations/accounts/accounts.server'
import {
  parseSearchScope,
  scopeQuery,
  SEARCH_KINDS,
  type SearchKind,
} from '~/operations/across-cities/search'
import { refusal } from '~/http/errors.server'
import { invalidForm, parseForm } from '~/http/form-validation.server'
import { requireUser } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'

/**
 * Saving an alert (issue 22): where "この条件で通知を受け取る" on /themes and
 * /cases leads (through sign-in when needed). Shows the conditions in words,
 * asks which organisation and how often, and saves.
 */

const SaveAlertSchema = z.object({
  kind: z.enum(SEARCH_KINDS),
  query: z.string().max(4000),
  organisationId: z.string().uuid('auth:validation.required'),
  frequency: z.enum(ALERT_FREQUENCIES),
})

function kindOf(value: string | null): SearchKind {
  return value === 'cases' ? 'cases' : 'themes'
}

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: portalStylesHref }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context)
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const params = new URL(request.url).searchParams
  const kind = kindOf(params.get('kind'))
  const vocabulary = { taxonomy: context.taxonomy, cities: context.tenants.list() }
  const scope = parseSearchScope(params, vocabulary, kind)
  const overview = await readAccountOverview(context.db, user.id)
  return json({
    title: t('common:alerts.new.title'),
    kind,
    query: scopeQuery(scope).toString(),
    conditions: describeScope(scope, vocabulary, locale, t),
    organisations: overview.organisations.map((organisation) => ({
      value: organisation.id,
      label: organisation.name,
    })),
  })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context)
  const form = parseForm(SaveAlertSchema, await request.formData())
  if (!form.ok) return invalidForm(form.fieldErrors)
  const vocabulary = { taxonomy: context.taxonomy, cities: context.tenants.list() }
  try {
    await saveSearch(context.db, {
      userId: user.id,
      organisationId: form.data.organisationId,
      kind: form.data.kind,
      scope: parseSearchScope(new URLSearchParams(form.data.query), vocabulary, form.data.kind),
      frequency: form.data.frequency,
    })
  } catch (error) {
    return refusal(error)
  }
  return redirect('/account/alerts?done=saved')
}

export default function NewAlert() {
  const data = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const { t } = useTranslation()
  const kind = t(`alerts.kinds.${data.kind}`)
  const listHref = `/${data.kind}${data.query ? `?${data.query}` : ''}`
  return (
    <section className="narrow">
      <h1>{data.title}</h1>
      <FormAlert failure={failure} />
      <p className="lead">{t('alerts.new.lead', { kind })}</p>
      <AlertConditions conditions={data.conditions} />
      {data.organisations.length === 0 ? (
        <p>{t('alerts.new.noOrganisation')}</p>
      ) : (
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="kind" value={data.kind} />
          <input type="hidden" name="query" value={data.query} />
          <SelectField
            name="organisationId"
            label={t('alerts.new.organisation')}
            options={data.organisations}
            errors={failure?.fieldErrors}
            required
          />
          <SelectField
            name="frequency"
            label={t('alerts.frequency.label')}
            options={ALERT_FREQUENCY_OPTIONS.map((value) => ({
              value,
              label: t(`alerts.frequency.${value}`),
            }))}
            errors={failure?.fieldErrors}
            required
          />
          <button type="submit" className="button button--primary">
            {t('alerts.new.save')}
          </button>
        </Form>
      )}
      <p>
        <Link to={listHref}>{t('alerts.new.back')}</Link>
      </p>
    </section>
  )
}

const ALERT_FREQUENCY_OPTIONS = ['immediate', 'daily'] as const

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? '' }]

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
