import path from 'node:path'
import { formatProblem, loadTenantDirectory, type TenantConfig } from '@desk/tenant-config'
import type { Logger } from './logger.server'

export type RegisteredTenant = {
  slug: string
  file: string
  config: TenantConfig
  /** sha256 of the file: part of every cache key for the city's pages. */
  version: string
}

export type ReloadReport = { loaded: string[]; rejected: { file: string; problems: string[] }[] }

export type TenantRegistry = {
  get(slug: string): RegisteredTenant | undefined
  has(slug: string): boolean
  list(): RegisteredTenant[]
  /** Re-reads every file; an invalid file keeps its last good configuration serving. */
  reload(): Promise<ReloadReport>
  close(): Promise<void>
}

/**
 * All cities' configurations, validated at start. In development the folder
 * is watched and changes apply without a restart; in production `reload()` is
 * called by the operator's command.
 */
export async function createTenantRegistry(options: {
  directory: string
  logger: Logger
  watch: boolean
}): Promise<TenantRegistry> {
  const directory = path.resolve(options.directory)
  let byFile = new Map<string, RegisteredTenant>()
  let bySlug = new Map<string, RegisteredTenant>()

  async function reload(): Promise<ReloadReport> {
    const { tenants, problems } = await loadTenantDirectory(directory)
    const next = new Map<string, RegisteredTenant>()
    for (const tenant of tenants) {
      next.set(tenant.file, {
        slug: tenant.config.slug,
        file: tenant.file,
        config: tenant.config,
        version: tenant.contentVersion,
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
    bySlug = new Map([...next.values()].map((tenant) => [tenant.slug, tenant]))
    return { loaded: [...bySlug.keys()], rejected }
  }

  await reload()

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
    list: () => [...bySlug.values()].sort((a, b) => a.slug.localeCompare(b.slug)),
    reload,
    close: () => stopWatching(),
  }
}
