import type postgres from 'postgres'
import type { TestDatabase } from '../../db/testing'
import { createAuth } from '../utils/auth.server'
import { parseEnv } from '../utils/env.server'
import { createLogger } from '../utils/logger.server'
import type { TenantRegistry } from '../utils/tenant-registry.server'
import { startJobWorker } from './worker.server'
import { fileStoreFor } from '../../db/file-storage/index.server'

/** Test helpers for the job queue: a worker on a test database, and waiting for the queue to settle. */

export function startTestWorker(
  db: TestDatabase,
  options: { env?: Record<string, string>; tenants?: TenantRegistry; scheduleCheckSeconds?: number } = {},
) {
  const env = parseEnv({ NODE_ENV: 'test', ...options.env })
  return startJobWorker({
    runtimeUrl: db.runtimeUrl,
    services: {
      db: db.runtimeDb,
      env,
      auth: createAuth({ db: db.runtimeDb, production: false }),
      tenants: options.tenants ?? ({ get: () => undefined } as unknown as TenantRegistry),
      files: fileStoreFor(env, db.runtimeDb),
      log: createLogger('silent'),
    },
    pollingIntervalSeconds: 0.5,
    maintenanceIntervalSeconds: 1,
    scheduleCheckSeconds: options.scheduleCheckSeconds,
  })
}

/** Polls `probe` until `done` holds (or the time is up), and returns its last value. */
export async function until<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await probe()
    if (done(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Jobs of `name` by state (the admin connection reads the queue's tables). */
export async function jobStates(adminSql: postgres.Sql, name: string): Promise<Record<string, number>> {
  const rows = await adminSql<{ state: string; n: number }[]>`
    SELECT state::text, count(*)::int AS n FROM pgboss.job WHERE name = ${name} GROUP BY state`
  return Object.fromEntries(rows.map((row) => [row.state, row.n]))
}

/** Waits until no job of `name` waits, retries or runs. */
export async function settle(
  adminSql: postgres.Sql,
  name: string,
  ms = 20_000,
): Promise<Record<string, number>> {
  return until(
    () => jobStates(adminSql, name),
    (states) => !states.created && !states.retry && !states.active,
    ms,
  )
}
