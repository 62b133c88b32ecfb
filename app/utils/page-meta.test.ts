import { readdirSync } from 'node:fs'
import type { MetaFunction, TypedResponse } from '@remix-run/node'
import { describe, expect, it } from 'vitest'
import { resources } from '~/i18n'
import {
  cityPageMeta,
  deskPageMeta,
  errorPageTitle,
  rootMeta,
  secretLinkPageMeta,
  titleMeta,
} from './page-meta'

/** What Remix hands an error boundary for a thrown `new Response(…, { status })`. */
function thrown(status: number) {
  return { status, statusText: '', internal: false, data: '' }
}

const root = (locale: 'ja' | 'en') => ({ id: 'root', data: { locale, user: null } })
const cityLayout = { id: 'routes/$city', data: { logoText: '小松市 公民連携デスク' } }

describe('page titles on an error page', () => {
  const rules = { titleMeta, deskPageMeta, secretLinkPageMeta, cityPageMeta, rootMeta }

  it.each(Object.entries(rules))('%s names the failure and the site, in the reader’s language', (_, rule) => {
    expect(rule({ data: undefined, error: thrown(403), matches: [root('ja')] })[0]).toEqual({
      title: 'このページを表示する権限がありません | 公民連携デスク・プラットフォーム',
    })
    expect(rule({ data: undefined, error: thrown(404), matches: [root('en')] })[0]).toEqual({
      title: 'Page not found | Public-Private Partnership Desk Platform',
    })
  })

  it('below a city, names the city’s desk', () => {
    expect(
      deskPageMeta({ data: undefined, error: thrown(403), matches: [root('ja'), cityLayout] })[0],
    ).toEqual({
      title: 'このページを表示する権限がありません | 小松市 公民連携デスク',
    })
  })

  it('a refused request (400, 422) and a failure (500, a thrown bug) get their own words, never an empty title', () => {
    for (const locale of ['ja', 'en'] as const) {
      const { errors, platform } = resources[locale].common
      const titleOf = (error: unknown) => errorPageTitle(error, [root(locale)])
      expect(titleOf(thrown(400))).toBe(`${errors.status['400'].title} | ${platform.name}`)
      expect(titleOf(thrown(422))).toBe(`${errors.status['422'].title} | ${platform.name}`)
      expect(titleOf(thrown(500))).toBe(`${errors.unexpected.title} | ${platform.name}`)
      expect(titleOf(new Error('a bug'))).toBe(`${errors.unexpected.title} | ${platform.name}`)
    }
  })

  it('an error wins over data left from before (an action that threw)', () => {
    expect(titleMeta({ data: { title: 'ログイン' }, error: thrown(429), matches: [root('ja')] })[0]).toEqual({
      title: '試行回数が多すぎます | 公民連携デスク・プラットフォーム',
    })
  })

  it('without the root’s data, in the default language', () => {
    expect(titleMeta({ data: undefined, error: thrown(404), matches: [] })[0]).toEqual({
      title: 'ページが見つかりません | 公民連携デスク・プラットフォーム',
    })
  })
})

describe('page titles with data', () => {
  it('keep each kind of page’s rule', () => {
    const matches = [root('ja'), cityLayout]
    expect(titleMeta({ data: { title: 'ログイン' }, matches })).toEqual([{ title: 'ログイン' }])
    expect(deskPageMeta({ data: { title: '受付箱', cityName: '小松市' }, matches })).toEqual([
      { title: '受付箱 | 小松市' },
    ])
    expect(cityPageMeta({ data: { title: '連携事例' }, matches })).toEqual([
      { title: '連携事例 | 小松市 公民連携デスク' },
    ])
    expect(secretLinkPageMeta({ data: { title: '招待' }, matches })).toEqual([
      { title: '招待' },
      { name: 'referrer', content: 'no-referrer' },
    ])
    expect(rootMeta({ data: { locale: 'en', user: null }, matches: [root('en')] })).toEqual([
      { title: 'Public-Private Partnership Desk Platform' },
    ])
  })
})

describe('the rules’ types (checked by pnpm typecheck)', () => {
  it('take the loader’s data: a route whose loader gives no `title` cannot use titleMeta', () => {
    type UntitledLoader = () => Promise<TypedResponse<{ heading: string }>>
    type DeskLoader = () => Promise<TypedResponse<{ title: string; cityName: string }>>
    // @ts-expect-error the loader's data has no `title`
    const untitled: MetaFunction<UntitledLoader> = titleMeta
    const desk: MetaFunction<DeskLoader> = deskPageMeta
    expect([untitled, desk]).toEqual([titleMeta, deskPageMeta])
  })
})

/** Every route module's meta, run as Remix runs it on an error page: the title is never empty. */
const routeModules = [
  '../root.tsx',
  ...readdirSync(new URL('../routes', import.meta.url))
    .filter((file) => file.endsWith('.tsx'))
    .map((file) => `../routes/${file}`),
]

type RouteModule = { meta?: (args: object) => Record<string, unknown>[] }

describe('every route’s title on an error page', () => {
  it.each(routeModules)('%s', async (path) => {
    const { meta }: RouteModule = await import(path)
    if (!meta) return // the nearest route above with a meta (at least the root's) gives the title
    for (const status of [400, 403, 404, 422, 500]) {
      const descriptors = meta({
        data: undefined,
        error: thrown(status),
        params: {},
        location: { pathname: '/', search: '', hash: '', state: null, key: 'default' },
        matches: [root('ja'), cityLayout],
      })
      const title = descriptors.find((descriptor) => 'title' in descriptor)?.title
      expect(title, `${path} on a ${status}`).toMatch(/\S+ \| \S+/)
    }
  })
})
