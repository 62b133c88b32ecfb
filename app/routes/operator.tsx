import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import { NavLink, Outlet, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { requireOperator, sessionHasSecondFactor } from '~/http/require-operator.server'
import { getFixedT } from '~/utils/i18n.server'
import { getLocale } from '~/utils/locale.server'
import operatorStylesHref from '~/styles/operator.css'
import { titleMeta } from '~/utils/page-meta'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: operatorStylesHref }]

/** The console's frame; each page checks the second factor itself (the TOTP step lives here too). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context, { secondFactor: 'pending' })
  const t = await getFixedT(await getLocale(request))
  return json({
    email: operator.user.email,
    // Before the second factor there is nowhere else to go: no console links.
    verified: await sessionHasSecondFactor(context),
    title: t('operator:console.title'),
  })
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export default function OperatorLayout() {
  const { email, verified } = useLoaderData<typeof loader>()
  const { t } = useTranslation('operator')
  return (
    <div className="operator">
      <p className="operator__who">{t('console.signedInAs', { email })}</p>
      {verified ? (
        <nav aria-label={t('console.navLabel')} className="operator-nav">
          <ul>
            <li>
              <NavLink to="/operator" end>
                {t('console.cities')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/operator/apply">{t('console.apply')}</NavLink>
            </li>
            <li>
              <NavLink to="/operator/accounts">{t('console.accounts')}</NavLink>
            </li>
          </ul>
        </nav>
      ) : null}
      <Outlet />
    </div>
  )
}

export const meta: MetaFunction<typeof loader> = titleMeta

export { GeneralErrorBoundary as ErrorBoundary } from '~/components/error-boundary'
