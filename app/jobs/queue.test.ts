import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../db/testing'
import { withTenant } from '../../db/tenant-context'
import { enqueueJob } from '../../db/queue/enqueue'
import { JOB_KINDS, JOB_NAMES } from '../../db/queue/kinds'
import { startTestWorker, until } from './testing'

let db: TestDatabase

beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db?.drop()
})

const system = { tenantId: null, userId: null, actor: 'system' } as const

async function jobs(name: string) {
  return db.adminSql<{ id: string; state: string; data: unknown }[]>`
    SELECT id, state::text, data FROM pgboss.job WHERE name = ${name} ORDER BY created_on`
}

describe('the job queue', () => {
  it('creates a queue per kind at start-up, with its retry policy', async () => {
    const queues = await db.adminSql<{ name: string; retry_limit: number; retry_backoff: boolean }[]>`
      SELECT name, retry_limit, retry_backoff FROM pgboss.queue`
    for (const name of JOB_NAMES) {
      const queue = queues.find((row) => row.name === name)
      expect(queue, name).toBeTruthy()
      expect(queue!.retry_limit).toBe(JOB_KINDS[name].policy.retryLimit)
    }
  })

  it('adds a job only when the transaction that enqueues it commits', async () => {
    await expect(
      withTenant(db.runtimeDb, system, async (tx) => {
        await enqueueJob(tx, 'throttle.sweep', {})
        throw new Error('roll back')
      }),
    ).rejects.toThrow('roll back')
    expect(await jobs('throttle.sweep')).toHaveLength(0)

    const id = await withTenant(db.runtimeDb, system, (tx) => enqueueJob(tx, 'throttle.sweep', {}))
    const rows = await jobs('throttle.sweep')
    expect(rows.map((row) => row.id)).toEqual([id])
    expect(rows[0]!.state).toBe('created')
  })

  it('keeps the payload an object whichever connection enqueues it: a tenant transaction or the owner (operator tasks)', async () => {
    const mailId = '6f1c1d7e-0000-4000-8000-000000000001'
    await withTenant(db.runtimeDb, system, (tx) => enqueueJob(tx, 'mail.dead', { mailId }))
    await db.ownerSql.begin((tx) => enqueueJob(tx, 'mail.dead', { mailId }))
    await enqueueJob(db.ownerSql, 'mail.dead', { mailId })
    const rows = await db.adminSql<{ kind: string; data: unknown }[]>`
      SELECT jsonb_typeof(data) AS kind, data FROM pgboss.job WHERE name = 'mail.dead' ORDER BY created_on`
    expect(rows).toEqual([0, 1, 2].map(() => ({ kind: 'object', data: { mailId } })))
  })

  it('refuses a payload its kind does not describe, before anything is written', async () => {
    await expect(
      withTenant(db.runtimeDb, system, (tx) =>
        enqueueJob(tx, 'sessions.sweep', { tenantId: 'x' } as unknown as Record<string, never>),
      ),
    ).rejects.toThrow()
    expect(await jobs('sessions.sweep')).toHaveLength(0)
  })

  it('gives the runtime role rows, not DDL: it cannot create or drop a queue', async () => {
    await expect(db.runtimeSql`SELECT pgboss.create_queue('intruder', '{}'::json)`).rejects.toThrow(
      /permission denied/,
    )
    await expect(db.runtimeSql.unsafe('DROP TABLE pgboss.job')).rejects.toThrow(/must be owner/)
  })

  it('runs a committed job once in a worker, through the runtime role, and schedules the cron kinds', async () => {
    await db.adminSql`
      INSERT INTO throttle_counters (key, hits, window_ends_at, updated_at)
      VALUES ('queue-test', 1, now() - interval '3 days', now() - interval '3 days')`
    const worker = await startTestWorker(db)
    try {
      const rows = await until(
        () => jobs('throttle.sweep'),
        (all) => all.every((row) => row.state === 'completed'),
      )
      expect(rows.map((row) => row.state)).toEqual(['completed'])
      const left = await db.adminSql`SELECT 1 FROM throttle_counters WHERE key = 'queue-test'`
      expect(left).toHaveLength(0)
      const schedules = await db.adminSql<{ name: string; cron: string }[]>`SELECT name, cron FROM pgboss.schedule`
      expect(schedules.map((row) => row.name).sort()).toEqual(
        JOB_NAMES.filter((name) => 'cron' in JOB_KINDS[name]).sort(),
      )
    } finally {
      await worker.stop()
    }
  })
})
