import path from 'node:path'
import {
  formatProblem,
  loadTenantDirectory,
  parseTenantSourceCached,
  type TenantConfig,
  type ValidatedTenantCache,
} from '@desk/tenant-config'
import { openValidatedCache, type ValidatedTenantCacheOnDisk } from '@desk/tenant-config/validated-cache'
import { sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../db/runtime'
import { asSystem } from '../../db/as-system'
import type { Logger } from './logger.server'

export type RegisteredTenant = {
  slug: string
  file: string
  config: TenantConfig
  /** sha256 of the file: part of every cache key for the city's pages. */
  version: string
  /** draft: only operators see its portal; suspended: the portal shows a notice and staff cannot work in it. */
  status: TenantStatus
}

export type TenantStatus = 'draft' | 'live' | 'suspended'

/**
 * The cities as the database has them: each one's status, and the tenant file
 * last applied by `tenants:apply` or the operator console (validated before it
 * was stored). An applied file takes precedence over `tenants/<slug>.yaml`.
 */
export type AppliedTenants = {
  /** Changes whenever a city is applied, suspended, resumed or made live. */
  stamp(): Promise<string>
  rows(): Promise<{ slug: string; status: TenantStatus; configFile: string | null; configSource: string | null }[]>
}

export type ReloadReport = { loaded: string[]; rejected: { file: string; problems: string[] }[] }

export type TenantRegistry = {
  get(slug: string): RegisteredTenant | undefined
  has(slug: string): boolean
  /**
   * The live cities: what visitors are offered (the platform home, "cities you
   * can propose to"). Draft and suspended cities still resolve through `get`
   * (operator preview, the suspension notice, invitations) but are not listed.
   */
  list(): RegisteredTenant[]
  /** Re-reads every file; an invalid file keeps its last good configuration serving. */
  reload(): Promise<ReloadReport>
  /** The files (in `tenants/` or applied) the last reload rejected, with their problems: the console shows them. */
  rejected(): ReloadReport['rejected']
  close(): Promise<void>
}

/** The database's side, read as `system` through the registry's definer functions (migration 0008). */
export function appliedTenantsIn(db: RuntimeDb): AppliedTenants {
  type Row = { slug: string; status: TenantStatus; config_file: string | null; config_source: string | null }
  return {
    stamp: async () =>
      (await asSystem(db, (tx) => tx.execute<{ stamp: string }>(sql`select tenant_registry_stamp() as stamp`)))[0]!.stamp,
    rows: async () =>
      [
        ...(await asSystem(db, (tx) =>
          tx.execute<Row>(sql`select slug, status, config_file, config_source from applied_tenant_configs()`),
        )),
      ].map((row) => ({ slug: row.slug, status: row.status, configFile: row.config_file, configSource: row.config_source })),
  }
}

/**
 * All cities' configurations, validated at start. In development the folder
 * is watched; in every mode the database's applied files and statuses are
 * polled, so a city applied by `tenants:apply` or the console (or suspended)
 * takes effect in every running server without a restart.
 *
 * With `cacheDirectory`, texts this code validated before (in any process:
 * an earlier start, another server of the fleet) are taken from the
 * validated-file cache there (docs/decisions/012-validated-tenant-file-cache.md),
 * so a start with unchanged files does not check 1,000 files again; after
 * the start's load, entries it did not use and no load used for a day go.
 */
export async function createTenantRegistry(options: {
  directory: string
  logger: Logger
  watch: boolean
  /** Without it (tests of the folder alone) every file is live. */
  applied?: AppliedTenants
  /** How often a running server looks for applied changes; a city goes live without a restart. */
  pollMs?: number
  /** The validated-file cache's folder (TENANT_CACHE_DIR); without it every start checks every file. */
  cacheDirectory?: string
}): Promise<TenantRegistry> {
  const directory = path.resolve(options.directory)
  const onDisk = options.cacheDirectory ? await openCacheOrNone(options.cacheDirectory, options.logger) : undefined
  // What the start validates is written to the cache after it, so a cold start (the first after a deployment)
  // is ready once its files are checked, not after writing them too (~63 MB, ~1.3 s of CPU for 1,000 files).
  let writtenAfterStart: [string, TenantConfig][] | undefined = []
  let byFile = new Map<string, RegisteredTenant>()
  let bySlug = new Map<string, RegisteredTenant>()
  let lastRejected: ReloadReport['rejected'] = []

  async function reload(): Promise<ReloadReport> {
    // A text this registry already serves was validated by this process: every applied change
    // reloads every file and applied file on the event loop, so only changed texts are checked again.
    // Others this code may have validated in an earlier start or another process (on disk).
    const served = new Map([...byFile.values(), ...bySlug.values()].map((tenant) => [tenant.version, tenant.config]))
    const validatedBefore: ValidatedTenantCache = {
      get: async (version) => served.get(version) ?? (await onDisk?.get(version)),
      set: async (version, config) => {
        if (writtenAfterStart) writtenAfterStart.push([version, config])
        else await onDisk?.set(version, config)
      },
    }
    const { tenants, problems } = await loadTenantDirectory(directory, { cache: validatedBefore })
    const next = new Map<string, RegisteredTenant>()
    for (const tenant of tenants) {
      next.set(tenant.file, {
        slug: tenant.config.slug,
        file: tenant.file,
        config: tenant.config,
        version: tenant.contentVersion,
        status: 'live',
      })
    }
    const problemsByFile = new Map<string, typeof problems>()
    for (const problem of problems) problemsByFile.set(problem.file, [...(problemsByFile.get(problem.file) ?? []), problem])
    const rejected = [...problemsByFile].map(([file, fileProblems]) => {
      const lastGood = byFile.get(file)
      // A file that became invalid keeps serving its last good version.
      if (lastGood && !next.has(file)) next.set(file, lastGood)
      const formatted = fileProblems.map(formatProblem)
      options.logger.error({ file, problems: formatted, keptLastGood: Boolean(lastGood) }, 'tenant file rejected')
      return { file, problems: formatted }
    })
    byFile = next
    const fromFiles = new Map([...next.values()].map((tenant) => [tenant.slug, tenant]))
    bySlug = options.applied ? await withApplied(fromFiles, options.applied, rejected, validatedBefore) : fromFiles
    lastRejected = rejected
    return { loaded: [...bySlug.keys()], rejected }
  }

  /** Applied files and statuses over the folder's; a stored file that no longer parses keeps its last good version. */
  async function withApplied(
    fromFiles: Map<string, RegisteredTenant>,
    applied: AppliedTenants,
    rejected: ReloadReport['rejected'],
    validatedBefore: ValidatedTenantCache,
  ): Promise<Map<string, RegisteredTenant>> {
    const result = new Map(fromFiles)
    for (const row of await applied.rows()) {
      let tenant = result.get(row.slug)
      if (row.configSource) {
        const file = row.configFile ?? `${row.slug}.yaml`
        const parsed = await parseTenantSourceCached(row.configSource, file, validatedBefore)
        if (parsed.ok) {
          const { config, contentVersion } = parsed.tenant
          tenant = { slug: row.slug, file, config, version: contentVersion, status: row.status }
        } else {
          tenant = bySlug.get(row.slug) ?? tenant
          const problems = parsed.problems.map(formatProblem)
          options.logger.error({ file, problems, keptLastGood: Boolean(tenant) }, 'applied tenant file rejected')
          rejected.push({ file, problems })
        }
      }
      if (tenant) result.set(row.slug, { ...tenant, status: row.status })
    }
    return result
  }

  await reload()
  const startsEntries = writtenAfterStart
  writtenAfterStart = undefined
  // In the background, as nothing waits for it: the start's entries, then the prune (after the start's whole
  // load, so what it used is known).
  const afterStart = (async () => {
    if (!onDisk) return
    for (const [version, config] of startsEntries) await onDisk.set(version, config)
    options.logger.debug(await onDisk.prune(), 'validated tenant file cache written and pruned')
  })().catch((error: unknown) => options.logger.warn({ err: error }, 'validated tenant file cache not pruned'))

  let lastStamp = options.applied ? await options.applied.stamp() : ''
  // The poll under way, so close() can wait for it: a poll still querying when its caller
  // ends the pool (or drops the database) fails as an unhandled rejection inside postgres.js.
  let polling: Promise<void> = Promise.resolve()
  const poller =
    options.applied &&
    setInterval(() => {
      polling = (async () => {
        const stamp = await options.applied!.stamp()
        if (stamp === lastStamp) return
        lastStamp = stamp
        const { loaded } = await reload()
        options.logger.info({ loaded }, 'applied tenants reloaded')
      })().catch((error: unknown) => options.logger.warn({ err: error }, 'applied tenants poll failed'))
    }, options.pollMs ?? 2000)
  if (poller) poller.unref()

  let stopWatching = async () => {}
  if (options.watch) {
    const chokidar = await import('chokidar')
    const watcher = chokidar.watch(directory, { ignoreInitial: true })
    watcher.on('all', () => {
      void reload().then(({ loaded }) => options.logger.info({ loaded }, 'tenant files reloaded'))
    })
    stopWatching = () => watcher.close()
  }

  return {
    get: (slug) => bySlug.get(slug),
    has: (slug) => bySlug.has(slug),
    list: () =>
      [...bySlug.values()].filter((tenant) => tenant.status === 'live').sort((a, b) => a.slug.localeCompare(b.slug)),
    reload,
    rejected: () => lastRejected,
    close: async () => {
      if (poller) clearInterval(poller)
      await polling
      await afterStart
      await stopWatching()
    },
  }
}

/** The validated-file cache, or none when it cannot be opened: a cache that cannot be used only makes the start cold. */
async function openCacheOrNone(directory: string, logger: Logger): Promise<ValidatedTenantCacheOnDisk | undefined> {
  try {
    return await openValidatedCache(path.resolve(directory))
  } catch (error) {
    logger.warn({ err: error, directory }, 'validated tenant file cache unavailable; every file is checked')
    return undefined
  }
}
