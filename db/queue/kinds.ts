import { z } from 'zod'

/**
 * Every kind of background job, in one place: its payload (checked with zod
 * when it is enqueued and again when a worker takes it), its queue's retry
 * policy, and for scheduled jobs a cron expression. Handlers are in
 * `app/jobs/handlers.server.ts`; `enqueueJob` (enqueue.ts) adds a job inside the
 * caller's transaction. See docs/decisions/009-job-queue.md.
 *
 * A payload carries ids, never content: the queue's tables are not under
 * row-level security. A job that touches a city's data names the city
 * (`tenantId`) and its handler works through `withTenant` with it.
 *
 * To add a kind: an entry here, a handler in app/jobs/handlers.server.ts (the type
 * checker insists), and nothing else — the queue is created at start-up.
 */

/** Queue settings as pg-boss takes them (createQueue). */
export type QueuePolicy = {
  /** Attempts after the first. */
  retryLimit: number
  /** Seconds before the first retry; doubled each time (with jitter) when `retryBackoff`. */
  retryDelay: number
  retryBackoff: boolean
  /** An attempt still active after this long is taken as crashed and retried. */
  expireInSeconds: number
  /** Where a job goes once its last attempt has failed. */
  deadLetter?: string
}

type JobKind = {
  payload: z.ZodTypeAny
  policy: QueuePolicy
  /** Cron for scheduled jobs, read in `tz` (UTC unless given); the payload of a scheduled job is `{}`. */
  cron?: string
  /** The IANA time zone `cron` is read in (pg-boss's schedule option). */
  tz?: string
  /** Jobs one worker process runs at once (default 1). */
  concurrency?: number
}

export const RETRY_POLICIES = {
  /** Work that must happen (mail): 30 s doubling with jitter, 12 retries ⇒ at least 34 h before giving up. */
  patient: { retryLimit: 12, retryDelay: 30, retryBackoff: true, expireInSeconds: 300 },
  /** Housekeeping: a few retries; the next scheduled run catches up anyway. */
  housekeeping: { retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 600 },
} satisfies Record<string, QueuePolicy>

const mailJob = z.object({ mailId: z.string().uuid() }).strict()

export const JOB_KINDS = {
  /** Sends one row of mail_outbox over SMTP (once: a delivered row is not sent again). */
  'mail.deliver': { payload: mailJob, policy: { ...RETRY_POLICIES.patient, deadLetter: 'mail.dead' } },
  /** A mail whose every attempt failed: marked given up, counted on the operator console. */
  'mail.dead': { payload: mailJob, policy: RETRY_POLICIES.housekeeping },
  /** Turns a city's pending notifications into mails, each in its recipient's language. */
  'notifications.mail': {
    payload: z.object({ tenantId: z.string().uuid() }).strict(),
    policy: RETRY_POLICIES.patient,
  },
  /** Matches a theme just opened or a case just published against the saved searches; mails the immediate ones. */
  'alerts.match': {
    payload: z.object({ itemKind: z.enum(['theme', 'case']), itemId: z.string().uuid() }).strict(),
    policy: RETRY_POLICIES.patient,
  },
  /**
   * A city has just gone live: matches its open themes and published cases (some opened while it was a
   * draft or suspended, when no search could see them) against the saved searches, as alerts.match does.
   */
  'alerts.city_live': {
    payload: z.object({ tenantId: z.string().uuid() }).strict(),
    policy: RETRY_POLICIES.patient,
  },
  /** Mails each daily saved search's waiting matches in one mail (08:00 in Japan). */
  'alerts.digest': {
    payload: z.object({}).strict(),
    policy: RETRY_POLICIES.housekeeping,
    cron: '0 8 * * *',
    tz: 'Asia/Tokyo',
  },
  /** Deletes expired sessions (lucia). */
  'sessions.sweep': { payload: z.object({}).strict(), policy: RETRY_POLICIES.housekeeping, cron: '7 * * * *' },
  /** Deletes throttle counters whose window has passed. */
  'throttle.sweep': { payload: z.object({}).strict(), policy: RETRY_POLICIES.housekeeping, cron: '37 * * * *' },
  /** Mails each city's desk about proposals waiting at a stage past the tenant file's target (once per stay). */
  'stages.remind': { payload: z.object({}).strict(), policy: RETRY_POLICIES.housekeeping, cron: '47 * * * *' },
  /** Deletes password-reset tokens past their expiry. */
  'tokens.sweep': { payload: z.object({}).strict(), policy: RETRY_POLICIES.housekeeping, cron: '53 * * * *' },
  /** Deletes stored files no row refers to, past a grace period (crash leftovers; docs/decisions/010). */
  'files.sweep': { payload: z.object({}).strict(), policy: RETRY_POLICIES.housekeeping, cron: '23 * * * *' },
} satisfies Record<string, JobKind>

export type JobName = keyof typeof JOB_KINDS
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_KINDS)[N]['payload']>

export const JOB_NAMES = Object.keys(JOB_KINDS) as JobName[]

export function jobKind(name: JobName): JobKind {
  return JOB_KINDS[name]
}
