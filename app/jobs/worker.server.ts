import PgBoss from 'pg-boss'
import { QUEUE_SCHEMA } from '../../db/queue'
import { JOB_HANDLERS, type JobContext, type JobHandler } from './handlers.server'
import { JOB_KINDS, JOB_NAMES, type JobName } from '../../db/queue/kinds'

export type JobWorkerOptions = {
  /** The runtime role's URL: the worker owns nothing and runs no DDL (queues are created at start-up). */
  runtimeUrl: string
  services: Omit<JobContext, 'job' | 'log'> & { log: JobContext['log'] }
  /** How often an idle worker asks for work (pg-boss polls; 0.5 s is its minimum). */
  pollingIntervalSeconds: number
  /** How often expired attempts (a worker that died mid-job) are failed over to a retry. */
  maintenanceIntervalSeconds: number
  /** How often the schedules are checked and a due one's job sent (pg-boss: 30 s and 5 s unless given; 1–45). */
  scheduleCheckSeconds?: number
}

export type JobWorker = { stop: () => Promise<void> }

/**
 * Starts working every queue of kinds.ts and registers the scheduled ones. Any
 * number of workers (in app servers or `pnpm worker` processes) may run on one
 * database: a job is taken with `FOR UPDATE SKIP LOCKED` and moved to `active`
 * in the same statement, so one worker gets it; cron schedules fire once a
 * minute slot across all of them (pg-boss's timekeeper).
 */
export async function startJobWorker(options: JobWorkerOptions): Promise<JobWorker> {
  const { services } = options
  const log = services.log.child({ component: 'jobs' })
  const boss = new PgBoss({
    connectionString: options.runtimeUrl,
    schema: QUEUE_SCHEMA,
    application_name: 'desk-worker',
    max: 4,
    migrate: false,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    ...(options.scheduleCheckSeconds
      ? {
          cronMonitorIntervalSeconds: options.scheduleCheckSeconds,
          cronWorkerIntervalSeconds: options.scheduleCheckSeconds,
        }
      : {}),
  })
  // Errors name the failing statement or handler, never a payload.
  boss.on('error', (error: Error & { code?: string }) =>
    log.warn({ code: error.code, error: error.message }, 'job queue error'),
  )
  await boss.start()

  for (const name of JOB_NAMES) {
    const kind = JOB_KINDS[name]
    const handler = JOB_HANDLERS[name] as JobHandler<JobName>
    const concurrency = 'concurrency' in kind ? (kind.concurrency as number) : 1
    for (let slot = 0; slot < concurrency; slot++) {
      await boss.work<object>(
        name,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: options.pollingIntervalSeconds },
        async ([job]) => {
          if (!job) return
          const jobLog = log.child({ job: name, jobId: job.id, retry: job.retryCount })
          const payload = kind.payload.parse(job.data)
          const started = Date.now()
          try {
            await handler(payload, {
              ...services,
              log: jobLog,
              job: { id: job.id, name, retryCount: job.retryCount, retryLimit: job.retryLimit },
            })
            jobLog.info({ ms: Date.now() - started }, 'job done')
          } catch (error) {
            jobLog.warn({ ms: Date.now() - started, code: (error as { code?: string }).code }, 'job failed')
            throw error
          }
        },
      )
    }
    if ('cron' in kind)
      await boss.schedule(name, kind.cron as string, {}, { tz: 'tz' in kind ? (kind.tz as string) : 'UTC' })
  }

  return {
    async stop() {
      // Graceful: running jobs finish (up to 20 s); what does not is retried after its expiry.
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 })
    },
  }
}
