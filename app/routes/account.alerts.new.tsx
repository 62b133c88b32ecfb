import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { FormAlert, SelectField, useValidatedForm } from '~/components/forms'
import { AlertConditions } from '~/components/alert-conditions'
import { portalLinks } from '~/components/portal/portal-links'
import { describeScope, saveSearch } from '~/operations/alerts/alerts.server'
import { ALERT_FREQUENCIES } from '~/operations/alerts/frequencies'
import { readAccountOverview } from '~/operations/accounts/accounts.server'
import {
  parseSearchScope,
  scopeQuery,
  SEARCH_KINDS,
  type SearchKind,
} from '~/operations/across-cities/search'
import { refusal } from '~/http/errors.server'
import { choice, hidden } from '~/http/form-schemas'
import { parseSubmission } from '~/http/form-validation.server'
import { requireUser } from '~/http/guards.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { titleMeta } from '~/utils/page-meta'

/**
 * Saving an alert (issue 22): where "この条件で通知を受け取る" on /themes and
 * /cases leads (through sign-in when needed). Shows the conditions in words,
 * asks which organisation and how often, and saves.
 */

const SaveAlertSchema = z.object({
  // The list and its conditions, as the page was opened.
  kind: hidden.choice(SEARCH_KINDS),
  query: hidden.text(4000),
  // One of the reader's organisations (the operation refuses any other).
  organisationId: z.string().uuid('auth:validation.choose').default(''),
  frequency: choice(ALERT_FREQUENCIES),
})

function kindOf(value: string | null): SearchKind {
  return value === 'cases' ? 'cases' : 'themes'
}

export const links = portalLinks

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
  const vocabulary = { taxonomy: context.taxonomy, cities: context.tenants.list() }
  try {
    const form = parseSubmission(await request.formData(), SaveAlertSchema)
    await saveSearch(context.db, {
      userId: user.id,
      organisationId: form.organisationId,
      kind: form.kind,
      scope: parseSearchScope(new URLSearchParams(form.query), vocabulary, form.kind),
      frequency: form.frequency,
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
  const { form, errors, alert } = useValidatedForm({ id: 'save-alert', schema: SaveAlertSchema, failure })
  const kind = t(`alerts.kinds.${data.kind}`)
  const listHref = `/${data.kind}${data.query ? `?${data.query}` : ''}`
  return (
    <section className="narrow">
      <h1>{data.title}</h1>
      <FormAlert
        {...alert}
        labels={{ organisationId: t('alerts.new.organisation'), frequency: t('alerts.frequency.label') }}
      />
      <p className="lead">{t('alerts.new.lead', { kind })}</p>
      <AlertConditions conditions={data.conditions} />
      {data.organisations.length === 0 ? (
        <p>{t('alerts.new.noOrganisation')}</p>
      ) : (
        <Form method="post" className="stack" {...form}>
          <input type="hidden" name="kind" value={data.kind} />
          <input type="hidden" name="query" value={data.query} />
          <SelectField
            name="organisationId"
            label={t('alerts.new.organisation')}
            options={data.organisations}
            errors={errors}
            required
          />
          <SelectField
            name="frequency"
            label={t('alerts.frequency.label')}
            options={ALERT_FREQUENCIES.map((value) => ({ value, label: t(`alerts.frequency.${value}`) }))}
            errors={errors}
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

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
