import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { json } from '@remix-run/node'
import {
  Form,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteLoaderData,
} from '@remix-run/react'
import tokensHref from '@digital-go-jp/design-tokens/dist/tokens.css'
import { useTranslation } from 'react-i18next'
import { useEffect } from 'react'
import { GeneralErrorBoundary } from './components/error-boundary'
import { defaultLocale, isLocale, type Locale } from './i18n'
import appStylesHref from './styles/app.css'
import formStylesHref from './styles/forms.css'
import { getLocale } from './utils/locale.server'
import { rootMeta } from './utils/page-meta'
import { useNonce } from './utils/nonce-provider'

export const links: LinksFunction = () => [
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  { rel: 'stylesheet', href: tokensHref },
  { rel: 'stylesheet', href: appStylesHref },
  { rel: 'stylesheet', href: formStylesHref },
]

/** The platform's name, or an error page's title when no route below says more (an unknown address). */
export const meta: MetaFunction<typeof loader> = rootMeta

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json({
    locale: await getLocale(request),
    user: context.user ? { displayName: context.user.displayName } : null,
  })
}

/** Sign-in, or who is signed in and sign-out (a POST: no state change on GET). */
function AccountNav({ user }: { user: { displayName: string } | null }) {
  const { t } = useTranslation('auth')
  return (
    <nav className="account-nav" aria-label={t('header.label')}>
      {user ? (
        <>
          <Link to="/account" className="account-nav__user">
            {t('header.signedInAs', { name: user.displayName })}
          </Link>
          <Link to="/proposals">{t('proposals:mine.title')}</Link>
          <Form method="post" action="/sign-out">
            <button type="submit" className="button button--small">
              {t('header.signOut')}
            </button>
          </Form>
        </>
      ) : (
        <>
          <Link to="/sign-in">{t('header.signIn')}</Link>
          <Link to="/sign-up">{t('header.signUp')}</Link>
        </>
      )}
    </nav>
  )
}

function LanguageSwitch({ locale }: { locale: Locale }) {
  const { t } = useTranslation()
  const location = useLocation()
  const other: Locale = locale === 'ja' ? 'en' : 'ja'
  return (
    <Form method="post" action="/locale" className="language-switch">
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button type="submit" name="locale" value={other} lang={other}>
        {t(`language.switchTo.${other}`)}
      </button>
    </Form>
  )
}

function Document({
  locale,
  user,
  children,
}: {
  locale: Locale
  user: { displayName: string } | null
  children: React.ReactNode
}) {
  const nonce = useNonce()
  const { t, i18n } = useTranslation()
  // Keep the client translator on the server's language after a switch.
  useEffect(() => {
    if (i18n.language !== locale) void i18n.changeLanguage(locale)
  }, [i18n, locale])
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t('layout.skipToContent')}
        </a>
        <header className="site-header">
          <div className="site-header__inner">
            <Link to="/" className="site-header__brand">
              {t('platform.name')}
            </Link>
            <div className="site-header__tools">
              <AccountNav user={user} />
              <LanguageSwitch locale={locale} />
            </div>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>{t('platform.footer')}</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  const { locale, user } = useLoaderData<typeof loader>()
  return (
    <Document locale={locale} user={user}>
      <Outlet />
    </Document>
  )
}

export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>('root')
  // Without the root's data (an unknown address), the language the server's translator was set to from the cookie:
  // the page's lang then matches its text, and the browser hydrates in that language.
  const { i18n } = useTranslation()
  const locale = data?.locale ?? (isLocale(i18n.language) ? i18n.language : defaultLocale)
  return (
    <Document locale={locale} user={data?.user ?? null}>
      <GeneralErrorBoundary />
    </Document>
  )
}
