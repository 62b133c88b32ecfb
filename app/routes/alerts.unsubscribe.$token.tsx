import {
  json,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { FormNotice } from '~/components/forms'
import { AlertConditions } from '~/components/alert-conditions'
import { portalLinks } from '~/components/portal/portal-links'
import {
  describeScope,
  savedScope,
  savedSearchForToken,
  unsubscribeWithToken,
} from '~/operations/alerts/alerts.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import { pageTitle } from '~/utils/page-meta'

/**
 * The unsubscribe link of every alert mail (issue 22): the token in the
 * address is the whole authority, so it works without signing in. Opening
 * the link (GET) changes nothing — mail scanners open links — it shows what
 * stops and one button; that POST, or a mail client's RFC 8058 one-click
 * POST (List-Unsubscribe=One-Click), deletes the saved search.
 */

export const links = portalLinks

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await getLocale(request)
  const t = await getFixedT(locale)
  const search = await savedSearchForToken(context.db, params.token ?? '')
  const vocabulary = { taxonomy: context.taxonomy, cities: context.tenants.list() }
  const scope = search ? savedScope(search.query, vocabulary, search.kind) : null
  return json(
    {
      title: t('common:alerts.unsubscribe.title'),
      found: search
        ? { kind: search.kind, conditions: scope ? describeScope(scope, vocabulary, locale, t) : [] }
        : null,
    },
    { headers: { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } },
  )
}

export async function action({ params, context }: ActionFunctionArgs) {
  const stopped = await unsubscribeWithToken(context.db, params.token ?? '')
  return json({ stopped }, { headers: { 'Cache-Control': 'no-store' } })
}

export default function Unsubscribe() {
  const { found } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useTranslation()
  return (
    <section className="narrow">
      <h1>{t('alerts.unsubscribe.title')}</h1>
      {result?.stopped ? (
        <FormNotice>{t('alerts.unsubscribe.done')}</FormNotice>
      ) : !found || result ? (
        <p>{t('alerts.unsubscribe.gone')}</p>
      ) : (
        <>
          <p className="lead">{t('alerts.unsubscribe.lead', { kind: t(`alerts.kinds.${found.kind}`) })}</p>
          <AlertConditions conditions={found.conditions} />
          <Form method="post">
            <button type="submit" className="button button--primary">
              {t('alerts.unsubscribe.button')}
            </button>
          </Form>
        </>
      )}
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = (args) => [
  pageTitle(args, (data) => data.title),
  { name: 'robots', content: 'noindex' },
]

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
