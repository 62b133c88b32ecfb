import { describe, expect, it, vi } from 'vitest'
import type { Locale } from '~/i18n'
import { resources } from '~/i18n'
import { renderToHtml } from '~/test/form-refusal'
import { localeCookie } from '~/utils/locale.server'

/**
 * The language switch's post (every page's header): the language goes into
 * the cookie and the reader goes back to the page, a path on this site only.
 * A post of a language the platform does not offer is refused as every form
 * is (the server kit), and the refusal is the 400 error page with its title,
 * in the reader's language: never a bare English text.
 */

// The error page outside a Remix router: the route's error is the one the action threw.
const page = vi.hoisted(() => ({ error: undefined as unknown }))
vi.mock('@remix-run/react', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  useRouteError: () => page.error,
}))

const localeRoute = await import('./locale')

async function post(fields: Record<string, string>, locale: Locale = 'ja') {
  return localeRoute.action({
    request: new Request('http://localhost/locale', {
      method: 'POST',
      headers: { Cookie: await localeCookie.serialize(locale) },
      body: new URLSearchParams(fields),
    }),
    context: {} as never,
    params: {},
  })
}

/** What the action threw, as Remix hands it to the route's error boundary (an error response). */
async function thrownBy(answer: Promise<unknown>) {
  const thrown = await answer.then(
    () => expect.unreachable('the post was not refused'),
    (error: unknown) => error,
  )
  expect(thrown).toBeInstanceOf(Response)
  const response = thrown as Response
  // The language stays the reader's: nothing is remembered from a refused post.
  expect(response.headers.get('Set-Cookie')).toBeNull()
  return {
    status: response.status,
    statusText: response.statusText,
    internal: false,
    data: await response.text(),
  }
}

describe('the language switch', () => {
  it('keeps the chosen language and goes back to the page, its query kept', async () => {
    const response = (await post({ locale: 'en', redirectTo: '/komatsu/themes?page=2' })) as Response
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/komatsu/themes?page=2')
    expect(await localeCookie.parse(response.headers.get('Set-Cookie'))).toBe('en')
  })

  it.each([
    'https://evil.example/phish',
    '//evil.example/phish',
    '/\\evil.example',
    '/\t/evil.example',
    'javascript:alert(1)',
    '',
  ])('goes home, never elsewhere, for redirectTo %j', async (redirectTo) => {
    const response = (await post({ locale: 'ja', redirectTo }, 'en')) as Response
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/')
    expect(await localeCookie.parse(response.headers.get('Set-Cookie'))).toBe('ja')
  })

  it('goes home when the post names no page', async () => {
    const response = (await post({ locale: 'en' })) as Response
    expect(response.headers.get('Location')).toBe('/')
  })

  it.each([['ja'], ['en']] as const)(
    'refuses a language it does not offer with the 400 page in the reader’s language (%s), cookie unchanged',
    async (locale) => {
      const error = await thrownBy(post({ locale: 'xx', redirectTo: '/themes' }, locale))
      expect(error.status).toBe(400)
      expect(error.data).not.toContain('Unsupported language')

      // The page: the route's error boundary with the worded 400, and its title.
      page.error = error
      expect(localeRoute.ErrorBoundary).toBeDefined()
      const html = await renderToHtml(<localeRoute.ErrorBoundary />, locale)
      const { title, body } = resources[locale].common.errors.status['400']
      expect(html).toContain(`<h1>${title}</h1>`)
      expect(html).toContain(body)
      const meta = localeRoute.meta({ data: undefined, error, matches: [{ id: 'root', data: { locale } }] })
      expect(meta).toEqual([{ title: `${title} | ${resources[locale].common.platform.name}` }])
    },
  )

  it('refuses a post without a language the same way', async () => {
    const error = await thrownBy(post({ redirectTo: '/' }))
    expect(error.status).toBe(400)
  })
})
