import { createCookie } from '@remix-run/node'
import { defaultLocale, isLocale, type Locale } from '~/i18n'

/** Remembers the visitor's language choice for a year. */
export const localeCookie = createCookie('lng', {
  path: '/',
  sameSite: 'lax',
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
})

/** The cookie's choice, else Japanese: the portals are Japanese by default. */
export async function getLocale(request: Request): Promise<Locale> {
  return localeOfCookieHeader(request.headers.get('Cookie'))
}

/** The same from a raw Cookie header (middleware that has no Fetch Request). */
export async function localeOfCookieHeader(cookieHeader: string | null | undefined): Promise<Locale> {
  const stored: unknown = await localeCookie.parse(cookieHeader ?? null)
  return isLocale(stored) ? stored : defaultLocale
}
