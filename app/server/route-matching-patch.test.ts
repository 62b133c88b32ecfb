import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * patches/@remix-run__router@1.23.3.patch (docs/decisions/013-route-matching-memo.md) keeps the ranked
 * branches of a route tree and each path's compiled pattern in the router's CommonJS build, the one the
 * server loads, and skips the branches whose segments a path cannot fit. Its matches must be exactly the
 * unpatched build's (the ESM one, which the browser bundles) for this app's own routes and odd variants of
 * them, asked again and again of the same tree, as the server does.
 */
const require = createRequire(import.meta.url)
const serverRuntime = path.dirname(require.resolve('@remix-run/server-runtime'))
const fromServer = createRequire(path.join(serverRuntime, 'index.js'))
type Route = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: Route[] }
type Match = { route: Route; params: Record<string, string | undefined>; pathname: string; pathnameBase: string }
/** The router's API used here (`@remix-run/router` is Remix's dependency, not ours: no types from it). */
type Router = { matchRoutes: (routes: Route[], location: string) => Match[] | null }

const patched: Router = fromServer('@remix-run/router')
const upstream: Router = await import(
  path.join(path.dirname(fromServer.resolve('@remix-run/router')), 'router.js')
)

/** The app's route tree, as Remix builds it from app/routes (flat routes), under the root route. */
function appRoutes(): Route[] {
  const dev = createRequire(require.resolve('@remix-run/dev'))
  const { flatRoutes } = dev('./config/flat-routes.js') as {
    flatRoutes: (dir: string, ignored: string[]) => Record<string, Route & { parentId?: string }>
  }
  const manifest = flatRoutes(path.resolve('app'), ['**/.*', '**/*.test.{ts,tsx}'])
  const childrenOf = (parentId: string): Route[] =>
    Object.values(manifest)
      .filter((route) => (route.parentId ?? 'root') === parentId)
      .map(({ id, path: routePath, index, caseSensitive }) => ({
        id,
        path: routePath,
        index,
        caseSensitive,
        children: childrenOf(id),
      }))
  return [{ id: 'root', path: '', children: childrenOf('root') }]
}

/** Every route's full path with its parameters filled, and addresses that match nothing or oddly. */
function addresses(routes: Route[], parent = ''): string[] {
  return routes.flatMap((route) => {
    const full = [parent, route.path ?? ''].filter(Boolean).join('/')
    const filled = '/' + full.replace(/:[\w-]+/g, 'x-1').replace(/\*$/, 'a/b%20c')
    return [
      filled,
      `${filled}/`,
      `${filled}//`,
      filled.toUpperCase(),
      `${filled}/extra`,
      filled.replace(/\/[^/]*$/, ''),
      filled.replace('/', '//'),
      filled.replace(/s/g, 'ſ').replace(/k/g, '\u212a'),
      ...addresses(route.children ?? [], full),
    ]
  })
}

const described = (matches: ReturnType<Router['matchRoutes']>) =>
  matches?.map((match) => [match.route.id, match.params, match.pathname, match.pathnameBase]) ?? null

describe('the route-matching patch', () => {
  const routes = appRoutes()
  const urls = [
    ...new Set([
      ...addresses(routes),
      '/',
      '',
      '///',
      '/no/such/page',
      '/%E5%B0%8F%E6%9D%BE/desk',
      '/x-1/desk%2Fproposals',
      '/x-1//desk',
      '//double',
      '/a/../b',
    ]),
  ]

  it('matches every address of the app as the unpatched router does, again and again on the same tree', () => {
    expect(urls.length).toBeGreaterThan(100)
    for (let round = 0; round < 3; round++)
      for (const url of urls)
        expect(described(patched.matchRoutes(routes, url)), url).toEqual(
          described(upstream.matchRoutes(routes, url)),
        )
  })

  it('tries only the branches whose segments a path can fit', () => {
    // matchPath runs each tried route's pattern with String.prototype.match: counted for one match of each build.
    const patternsTried = (router: Router, url: string) => {
      const match = String.prototype.match
      let calls = 0
      String.prototype.match = function (this: string, ...args: Parameters<typeof match>) {
        calls += 1
        return match.apply(this, args)
      } as typeof match
      try {
        router.matchRoutes(routes, url)
      } finally {
        String.prototype.match = match
      }
      return calls
    }
    for (const url of ['/account', '/x-1/desk', '/no/such/page']) {
      patternsTried(patched, url) // the tree's branches ranked and their filters made, outside the count
      expect(patternsTried(patched, url), url).toBeLessThan(patternsTried(upstream, url) / 4)
    }
  })

  it('flattens and ranks a tree once, not on every match', () => {
    let reads = 0
    const counted = new Proxy(appRoutes(), {
      get(target, property, receiver) {
        if (property === 'forEach') reads += 1
        return Reflect.get(target, property, receiver)
      },
    })
    patched.matchRoutes(counted, '/no/such/page')
    const afterFirst = reads
    patched.matchRoutes(counted, '/no/such/page')
    patched.matchRoutes(counted, '/')
    expect(afterFirst).toBeGreaterThan(0)
    expect(reads).toBe(afterFirst)
  })
})
