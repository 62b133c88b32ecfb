import type { RuntimeDb } from '../../db/runtime'
import type { Auth } from '../utils/auth.server'
import type { Env } from '../utils/env.server'
import type { Logger } from '../utils/logger.server'
import type { TenantRegistry } from '../utils/tenant-registry.server'
import type { FileStore } from '../../db/file-storage/store'
import { sweepOrphanFiles } from '../operations/attachments/sweep-orphan-files.server'
import { sweepThrottleCounters } from '../utils/throttle.server'
import { deliverMail, giveUpMail } from '../utils/mail.server'
import { mailPendingNotifications } from '../operations/dialogue/notification-mail.server'
import {
  mailDailyDigests,
  matchCityContent,
  matchSavedSearches,
  type AlertContext,
} from '../operations/alerts/alerts.server'
import { loadPlatformTaxonomy } from '../utils/taxonomy.server'
import { remindDeskOfWaitingProposals } from '../operations/reminders/remind-waiting-proposals.server'
import { sweepExpiredResetTokens } from '../operations/accounts/sweep-reset-tokens.server'
import type { JobName, JobPayload } from '../../db/queue/kinds'

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

/** The alerts' context: the platform taxonomy is read from the tenants folder as a server reads it at start-up. */
async function alertContext({ db, tenants, env }: JobContext): Promise<AlertContext> {
  return { db, tenants, taxonomy: await loadPlatformTaxonomy(env.TENANTS_DIR), origin: env.APP_ORIGIN }
}

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
  'alerts.match': async ({ itemKind, itemId }, context) => {
    const { matched, mailed } = await matchSavedSearches(await alertContext(context), {
      kind: itemKind,
      id: itemId,
    })
    context.log.debug({ matched, mailed }, 'alerts matched')
  },
  'alerts.city_live': async ({ tenantId }, context) => {
    const { matched, mailed } = await matchCityContent(await alertContext(context), tenantId)
    context.log.info({ matched, mailed }, 'alerts matched for a city gone live')
  },
  'alerts.digest': async (_payload, context) => {
    const mailed = await mailDailyDigests(await alertContext(context))
    context.log.info({ mailed }, 'alert digests mailed')
  },
  'sessions.sweep': (_payload, { auth }) => auth.sweepExpiredSessions(),
  'throttle.sweep': (_payload, { db }) => sweepThrottleCounters(db),
  'stages.remind': async (_payload, { db, tenants, log }) => {
    const { cities, reminded } = await remindDeskOfWaitingProposals({ db, tenants })
    log.info({ cities, reminded }, 'desks reminded of waiting proposals')
  },
  'tokens.sweep': async (_payload, { db, log }) => {
    const deleted = await sweepExpiredResetTokens(db)
    log.info({ deleted }, 'expired reset tokens swept')
  },
  'files.sweep': async (_payload, { db, files, log }) => {
    const { checked, deleted } = await sweepOrphanFiles(db, { files })
    log.info({ checked, deleted }, 'orphan files swept')
  },
}
