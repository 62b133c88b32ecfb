import PgBoss from 'pg-boss'
import type postgres from 'postgres'
import { sql, type SQL } from 'drizzle-orm'
import type { TenantTx } from '../tenant-context'
import { pgBossDb, QUEUE_SCHEMA } from './index'
import { JOB_KINDS, type JobName, type JobPayload } from './kinds'

export type EnqueueOptions = {
  /** Not before this time. */
  startAfter?: Date
  /** pg-boss's singleton key: on a queue whose policy keys jobs, a second job with the same key is not added. */
  singletonKey?: string
}

/**
 * Used only for its job-building logic: every send below goes through the
 * caller's transaction (`db` option), never through a connection of its own.
 */
const planner = new PgBoss({
  schema: QUEUE_SCHEMA,
  db: { executeSql: () => Promise.reject(new Error('enqueueJob sends through the caller transaction')) },
})

/** pg-boss's `$1…$n` statement as drizzle SQL, so it runs inside a drizzle transaction. */
function asDrizzle(text: string, values: readonly unknown[]): SQL {
  const chunks: SQL[] = []
  let last = 0
  for (const match of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, match.index)), sql`${values[Number(match[1]) - 1]}`)
    last = match.index + match[0].length
  }
  chunks.push(sql.raw(text.slice(last)))
  return sql.join(chunks)
}

/**
 * The caller's transaction: a tenant transaction (withTenant) for everything a
 * request does, or the owner's postgres.js transaction for operator tasks.
 */
export type JobTransaction = TenantTx | postgres.TransactionSql | postgres.Sql

/**
 * Adds a job in the caller's transaction (the transactional outbox): it exists
 * only if that transaction commits, and then a worker runs it. The payload is
 * checked against the kind's schema first; a wrong payload is a bug and throws.
 * Returns the job's id, or null when `singletonKey` found a job already waiting
 * (on queues whose policy keys jobs: short, singleton, stately).
 */
export async function enqueueJob<N extends JobName>(
  tx: JobTransaction,
  name: N,
  payload: JobPayload<N>,
  options: EnqueueOptions = {},
): Promise<string | null> {
  const data = JOB_KINDS[name].payload.parse(payload) as object
  const db =
    'unsafe' in tx
      ? pgBossDb((text, values) => tx.unsafe(text, values as postgres.ParameterOrJSON<never>[]), undefined, {
          objects: 'driver',
        })
      : pgBossDb((text, values) => tx.execute(asDrizzle(text, values)))
  return planner.send(name, data, { ...options, db })
}
