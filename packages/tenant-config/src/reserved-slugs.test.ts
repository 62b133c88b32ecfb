import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseTenantSource } from './load'
import { formatProblem } from './problems'
import { repositoryRoot } from './repository'
import { RESERVED_SLUGS, topLevelRouteSegment } from './reserved-slugs'

describe('reserved city slugs', () => {
  it('reserve every top-level segment of app/routes and every folder of public/ (fails when a new route is not reserved)', async () => {
    const routeFiles = (await readdir(join(repositoryRoot, 'app/routes'))).filter(
      (name) => !name.startsWith('.') && !/\.test\.tsx?$/.test(name),
    )
    const segments = new Set(routeFiles.map(topLevelRouteSegment).filter((segment) => segment !== null))
    // The segment before a bracketed dot (cases[.]csv → cases.csv) is what a slug could collide with.
    const slugLike = [...segments].map((segment) => segment.split('.')[0]!)
    // A file of public/ (favicon.svg) cannot collide: a slug has no dot. A folder could.
    const publicFolders = (await readdir(join(repositoryRoot, 'public'))).filter(
      (name) => !name.includes('.'),
    )
    const missing = [...new Set([...slugLike, ...publicFolders, 'build'])].filter(
      (segment) => !RESERVED_SLUGS.includes(segment),
    )
    expect(missing, 'add these to RESERVED_SLUGS in reserved-slugs.ts').toEqual([])
    expect(slugLike).toEqual(expect.arrayContaining(['themes', 'cases', 'account', 'operator', 'proposals']))
  })

  it('reads a flat-route file name as Remix does', () => {
    expect(topLevelRouteSegment('sign-in.tsx')).toBe('sign-in')
    expect(topLevelRouteSegment('cases[.]csv.ts')).toBe('cases.csv')
    expect(topLevelRouteSegment('account._index.tsx')).toBe('account')
    expect(topLevelRouteSegment('proposals.$city.$proposalId_.disclosure.tsx')).toBe('proposals')
    expect(topLevelRouteSegment('settings_.alerts.tsx')).toBe('settings')
    expect(topLevelRouteSegment('$city.desk.tsx')).toBeNull()
    expect(topLevelRouteSegment('_index.tsx')).toBeNull()
    expect(topLevelRouteSegment('_auth.sign-in.tsx')).toBeNull()
  })

  it('a tenant file with a reserved slug is refused with its file and line', async () => {
    const source = (
      await readFile(join(repositoryRoot, 'e2e/fixtures/tenants/sample-town.yaml'), 'utf8')
    ).replace('slug: sample-town', 'slug: themes')
    const result = parseTenantSource(source, 'themes.yaml')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.map(formatProblem)).toContain(
      'themes.yaml:11 slug: "themes" is a page of the platform (/themes); expected a slug that is not one of: ' +
        RESERVED_SLUGS.join(', '),
    )
  })
})
