import type { RuntimeDb } from '../../db/runtime'
import type { Auth } from '../utils/auth.server'
import type { Env } from '../utils/env.server'
import type { Logger } from '../utils/logger.server'
import type { TenantRegistry } from '../utils/tenant-registry.server'
import type { FileStore } from '../utils/file-storage/store'
import { sweepOrphanFiles } from '../operations/attachments/sweep-orphan-files.server'
import { sweepThrottleCounters } from '../utils/throttle.server'
import { deliverMail, giveUpMail } from '../utils/mail.server'
import { mailPendingNotifications } from '../operations/dialogue/notification-mail.server'
import type { JobName, JobPayload } from './kinds'

/** What a handler works with: the runtime role's pool (tenant data only through withTenant), never the owner. */
export type JobContext = {
  db: RuntimeDb
  env: Env
  auth: Auth
  tenants: TenantRegistry
  files: FileStore
  /** Carries the job's name and id; never a payload's content. */
  log: Logger
  job: { id: string; name: JobName; retryCount: number; retryLimit: number }
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, context: JobContext) => Promise<void>

/** One handler per kind of kinds.ts; the type checker refuses a kind without one. */
export const JOB_HANDLERS: { [N in JobName]: JobHandler<N> } = {
  'mail.deliver': async ({ mailId }, { db, env, log }) => {
    const outcome = await deliverMail({ db, mailId, smtpUrl: env.SMTP_URL, from: env.MAIL_FROM })
    log.debug({ outcome }, 'mail delivery')
  },
  'mail.dead': async ({ mailId }, { db, log }) => {
    await giveUpMail(db, mailId)
    log.warn('mail given up after every retry')
  },
  'notifications.mail': async ({ tenantId }, { db, tenants, env }) => {
    await mailPendingNotifications({ db, tenants, origin: env.APP_ORIGIN }, tenantId)
  },
  'sessions.sweep': (_payload, { auth }) => auth.sweepExpiredSessions(),
  'throttle.sweep': (_payload, { db }) => sweepThrottleCounters(db),
  'files.sweep': async (_payload, { db, files, log }) => {
    const { checked, deleted } = await sweepOrphanFiles(db, { files })
    log.info({ checked, deleted }, 'orphan files swept')
  },
}
