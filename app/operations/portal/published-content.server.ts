import type { AppLoadContext } from '@remix-run/node'
import { eq } from 'drizzle-orm'
import { tenants } from '../../../db/schema'
import { publishedCasesFingerprint } from './cases.server'
import { asPublic } from '../../utils/portal/db.server'
import { contentHash } from '../../utils/portal/http-cache'
import { openThemesFingerprint } from './themes.server'

/**
 * What the public can see of a city in the database — its open themes and
 * published cases — summed up as a version. Together with the tenant file's
 * version it keys every portal cache, so a change to either shows up as new
 * pages without anyone invalidating anything.
 *
 * Checking costs one small query, so the result is reused for a few seconds:
 * a theme opened by the desk appears on the portal within that time, or at
 * once when the desk calls `publishedContentChanged`.
 */
export const PUBLISHED_CONTENT_RECHECK_MS = 5_000

export type PublishedContent = {
  /** The city's row in the platform `tenants` table; null while it has none (e.g. not yet onboarded). */
  tenantId: string | null
  version: string
}

type Snapshot = PublishedContent & { checkedAt: number }

/**
 * One set of snapshots per process, kept on `globalThis`: the Express entry
 * (build/server.js, whose render cache keys on the version) and the Remix
 * build (build/index.js, whose desk routes call `publishedContentChanged`)
 * each bundle their own copy of this module, and both must see one version.
 */
type State = {
  snapshots: Map<string, Snapshot>
  pending: Map<string, Promise<Snapshot>>
  /** Every live city's public content at once (the cross-city pages): the platform_content_stamp. */
  platform?: { version: string; checkedAt: number } | Promise<string>
}
const STATE_KEY = Symbol.for('desk.portal.publishedContent')
const shared = globalThis as typeof globalThis & { [STATE_KEY]?: State }
const { snapshots, pending } = (shared[STATE_KEY] ??= { snapshots: new Map(), pending: new Map() })

async function readSnapshot(context: AppLoadContext, slug: string): Promise<Snapshot> {
  const checkedAt = Date.now()
  const [tenant] = await asPublic(context, null, (tx) =>
    tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug)),
  )
  if (!tenant) return { tenantId: null, version: 'none', checkedAt }
  const fingerprints = await asPublic(context, tenant.id, async (tx) => [
    await openThemesFingerprint(tx),
    await publishedCasesFingerprint(tx),
  ])
  return { tenantId: tenant.id, version: contentHash(tenant.id, ...fingerprints), checkedAt }
}

export async function publishedContent(context: AppLoadContext, slug: string): Promise<PublishedContent> {
  const snapshot = snapshots.get(slug)
  if (snapshot && Date.now() - snapshot.checkedAt < PUBLISHED_CONTENT_RECHECK_MS) return snapshot
  let reading = pending.get(slug)
  if (!reading) {
    reading = readSnapshot(context, slug)
      .then((fresh) => {
        snapshots.set(slug, fresh)
        return fresh
      })
      .finally(() => pending.delete(slug))
    pending.set(slug, reading)
  }
  return reading
}

const state = shared[STATE_KEY]!

/** The cross-city pages' content version, read with `read` at most every few seconds (and at once after a change). */
export async function platformContentVersion(read: () => Promise<string>): Promise<string> {
  const current = state.platform
  if (current instanceof Promise) return current
  if (current && Date.now() - current.checkedAt < PUBLISHED_CONTENT_RECHECK_MS) return current.version
  const checkedAt = Date.now()
  const reading = read().then(
    (version) => {
      if (state.platform === reading) state.platform = { version, checkedAt }
      return version
    },
    (error: unknown) => {
      if (state.platform === reading) state.platform = undefined
      throw error
    },
  )
  state.platform = reading
  return reading
}

/** For the desk side: after opening, closing or editing a theme or publishing a case, check again now. */
export function publishedContentChanged(slug: string): void {
  snapshots.delete(slug)
  state.platform = undefined
}
