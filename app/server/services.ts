import type { Env } from '../utils/env.server'
import type { Logger } from '../utils/logger.server'
import { appliedTenantsIn, createTenantRegistry, type TenantRegistry } from '../utils/tenant-registry.server'
import type { DatabaseUrls } from '../../db/bootstrap'
import { migrationsCurrent } from '../../db/setup'
import { closeRuntimeDb, createRuntimeDb, type RuntimeDb } from '../../db/runtime'
import { isDatabaseUnavailable } from '../../db/tenant-context'
import { createAuth, type Auth, type SessionInfo, type SessionUser } from '../utils/auth.server'
import { unavailableAsResponse } from './error-pages'
import { createOperatorTasks, type OperatorTasks } from '../../db/operator/tasks'
import { startJobWorker, type JobWorker } from '../jobs/worker.server'
import type { Taxonomy } from '@desk/tenant-config'
import { loadPlatformTaxonomy } from '../utils/taxonomy.server'
import { fileStoreFor, type FileStore } from '../../db/file-storage/index.server'

/** Long-lived services shared by every request, built once at start-up. */
export type AppServices = Awaited<ReturnType<typeof createAppServices>>

declare module '@remix-run/node' {
  interface AppLoadContext {
    env: Env
    /** The request's logger: every line carries the request id. */
    log: Logger
    requestId: string
    cspNonce: string
    tenants: TenantRegistry
    /** The platform taxonomy of fields (tenants/platform/taxonomy.yaml): the cross-city pages' vocabulary. */
    taxonomy: Taxonomy
    /** The runtime role's pool. Tenant data is reached only through withTenant. */
    db: RuntimeDb
    readiness: () => Promise<Readiness>
    /** Sessions (app/utils/auth.server.ts): start one at sign-in, end them at sign-out. */
    auth: Auth
    /** The request's session and user, validated once by the session middleware; null when signed out. */
    session: SessionInfo | null
    user: SessionUser | null
    /** The client's address (Express `req.ip`), for throttling and audit. */
    clientIp: string | null
    /** Owner-side onboarding for the operator console (routes reach it only behind `requireOperator`). */
    operatorTasks: OperatorTasks
    /** Uploaded files, on disk or in PostgreSQL (FILE_STORAGE): every read and write of one goes through it. */
    files: FileStore
  }
}

export type Readiness = { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> }

export async function createAppServices(options: {
  env: Env
  logger: Logger
  database: DatabaseUrls
  /** Work the job queue in this process (default: env.RUN_JOB_WORKER). */
  runJobWorker?: boolean
}) {
  const { env, logger, database } = options
  const db = createRuntimeDb(database.runtimeUrl, {
    max: env.DATABASE_POOL_SIZE,
    acquireTimeoutMs: env.DATABASE_POOL_TIMEOUT_MS,
    mapUnavailable: (error) => {
      // An operator's mistake (servers that disagree on the runtime password), not a passing outage: say it loudly.
      if (isDatabaseUnavailable(error) && error.reason === 'login_refused')
        logger.error({ reason: error.message }, 'database login refused')
      return unavailableAsResponse(error)
    },
  })
  const auth = createAuth({ db, production: env.NODE_ENV === 'production' })
  const files = fileStoreFor(env, db)
  const tenants = await createTenantRegistry({
    directory: env.TENANTS_DIR,
    logger,
    watch: env.NODE_ENV === 'development',
    applied: appliedTenantsIn(db),
    cacheDirectory: env.TENANT_CACHE_DIR || undefined,
  })
  const operatorTasks = createOperatorTasks({ adminUrl: database.adminUrl, tenantsDir: env.TENANTS_DIR })
  const jobWorker: JobWorker | null =
    (options.runJobWorker ?? env.RUN_JOB_WORKER)
      ? await startJobWorker({
          runtimeUrl: database.runtimeUrl,
          services: { db, env, auth, tenants, files, log: logger },
          pollingIntervalSeconds: env.JOB_POLL_SECONDS ?? (env.NODE_ENV === 'production' ? 2 : 0.5),
          maintenanceIntervalSeconds: env.JOB_MAINTENANCE_SECONDS,
        })
      : null
  const taxonomy = await loadPlatformTaxonomy(env.TENANTS_DIR)

  async function readiness(): Promise<Readiness> {
    const checks: Readiness['checks'] = {}
    try {
      await db.$client`SELECT 1`
      checks.database = { ok: true }
    } catch (error) {
      checks.database = { ok: false, detail: error instanceof Error ? error.message : String(error) }
    }
    checks.tenants =
      tenants.list().length > 0 ? { ok: true } : { ok: false, detail: 'no valid tenant file loaded' }
    try {
      const current = await migrationsCurrent(db.$client)
      checks.migrations = current
        ? { ok: true }
        : { ok: false, detail: 'the database lacks migrations this build ships' }
    } catch (error) {
      checks.migrations = { ok: false, detail: error instanceof Error ? error.message : String(error) }
    }
    return { ready: Object.values(checks).every((check) => check.ok), checks }
  }

  return {
    tenants,
    db,
    auth,
    loadContextFor(locals: Record<string, unknown>) {
      const requestId = String(locals.requestId ?? '')
      return {
        env,
        log: logger.child({ requestId }),
        requestId,
        cspNonce: String(locals.cspNonce ?? ''),
        tenants,
        taxonomy,
        db,
        readiness,
        auth,
        session: (locals.session as SessionInfo | undefined) ?? null,
        user: (locals.user as SessionUser | undefined) ?? null,
        clientIp: (locals.clientIp as string | null | undefined) ?? null,
        operatorTasks,
        files,
      }
    },
    async close() {
      await jobWorker?.stop()
      await tenants.close()
      await operatorTasks.close()
      await closeRuntimeDb(db)
    },
  }
}
