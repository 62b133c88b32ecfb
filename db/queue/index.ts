import PgBoss from 'pg-boss'
import type postgres from 'postgres'
import { JOB_KINDS, JOB_NAMES } from './kinds'
import { quoteIdentifier } from '../embedded'
import { RUNTIME_ROLE } from '../roles'

/**
 * The job queue's own schema (pg-boss 10, docs/decisions/009-job-queue.md).
 * It is installed and its queues created by the owner at start-up, like a
 * migration: creating a queue is DDL (pg-boss keeps a partition per queue).
 * The runtime role then gets exactly what enqueuing and working need — rows in
 * the queue's tables, no DDL, no function that creates or drops a queue. The
 * queue's tables hold ids and scheduling, never a city's content, and are not
 * tenant tables: on Citus they stay local to the coordinator (docs/scaling.md).
 */
export const QUEUE_SCHEMA = 'pgboss'

/** pg-boss's internal queue that turns cron schedules into jobs. */
const CRON_QUEUE = '__pgboss__send-it'

type SqlValue = string | number | boolean | null | Date | Record<string, unknown> | unknown[]

/**
 * pg-boss's `Db` over a postgres.js (or drizzle) executor: parameters keep
 * their order, and a statement list without parameters runs as one simple
 * query (pg-boss's `BEGIN; …; COMMIT;` plans). Objects (a job's payload) go
 * as JSON text through drizzle, whose postgres.js client passes json
 * parameters through as they are; a plain postgres.js connection
 * (`objects: 'driver'`) serialises a json parameter itself, so it gets the
 * object — given JSON text it would store a JSON string (a payload no worker
 * could read).
 */
export function pgBossDb(
  run: (text: string, values: SqlValue[]) => Promise<readonly unknown[]>,
  runSimple?: (text: string) => Promise<readonly unknown[]>,
  options: { objects: 'json-text' | 'driver' } = { objects: 'json-text' },
): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      if (values.length === 0 && runSimple) return { rows: [...(await runSimple(text))] }
      const params = values.map((value): SqlValue => {
        if (value === undefined || value === null) return null
        if (value instanceof Date || typeof value !== 'object') return value as SqlValue
        return options.objects === 'driver' ? (value as SqlValue) : JSON.stringify(value)
      })
      return { rows: [...(await run(text, params))] }
    },
  }
}

/**
 * Installs or upgrades pg-boss's schema, creates every queue of JOB_KINDS (and
 * updates their retry policy), and grants the runtime role its rows. `sql` is
 * the migration connection, already acting as the owner role and holding the
 * migration lock.
 */
export async function installJobQueue(sql: postgres.Sql): Promise<void> {
  const db = pgBossDb(
    (text, values) => sql.unsafe(text, values as postgres.ParameterOrJSON<never>[]),
    (text) => sql.unsafe(text).simple(),
  )
  const boss = new PgBoss({ db, schema: QUEUE_SCHEMA, supervise: false, schedule: false, migrate: true })
  boss.on('error', () => {})
  await boss.start()
  try {
    const existing = new Set((await boss.getQueues()).map((queue) => queue.name))
    const wanted = new Map<string, PgBoss.Queue>([[CRON_QUEUE, { name: CRON_QUEUE }]])
    for (const name of JOB_NAMES) {
      const { policy } = JOB_KINDS[name]
      const deadLetter = 'deadLetter' in policy ? (policy.deadLetter as string) : undefined
      if (deadLetter && !wanted.has(deadLetter)) wanted.set(deadLetter, { name: deadLetter })
      wanted.set(name, { name, policy: 'standard', ...policy })
    }
    // Dead-letter queues first: a queue may only name one that exists.
    const ordered = [...wanted.values()].filter((queue) => !queue.deadLetter)
    ordered.push(...[...wanted.values()].filter((queue) => queue.deadLetter))
    for (const queue of ordered) {
      if (existing.has(queue.name)) await boss.updateQueue(queue.name, queue)
      else await boss.createQueue(queue.name, queue)
    }
  } finally {
    await boss.stop({ graceful: false, wait: true })
  }
  const schema = quoteIdentifier(QUEUE_SCHEMA)
  const runtime = quoteIdentifier(RUNTIME_ROLE)
  await sql.unsafe(`GRANT USAGE ON SCHEMA ${schema} TO ${runtime}`)
  await sql.unsafe(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${runtime}`)
  // create_queue / delete_queue are DDL; only the owner creates queues (above).
  await sql.unsafe(`REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} FROM PUBLIC`)
}
