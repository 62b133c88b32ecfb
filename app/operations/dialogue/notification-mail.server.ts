import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant } from '../../../db/tenant-context'
import { notificationOutbox } from '../../../db/schema'
import { isPlatformDefaultTarget, localize, stageTargetOf } from '@desk/tenant-config'
import { stepOf } from '@desk/workflow'
import { isLocale } from '~/i18n'
import { getFixedT } from '~/utils/i18n.server'
import { queueMail } from '~/utils/mail.server'
import type { ProposalTenant } from '../proposals/context.server'
import type { TenantRegistry } from '~/utils/tenant-registry.server'

const BATCH = 50

/** What a notification row carries (context.server.ts proposalNotice; rows written before it may lack some). */
type NoticePayload = {
  proposalId?: string
  referenceCode?: string | null
  title?: string
  track?: string
  state?: string
  /** The state a transition led to (rows written before `state` was added). */
  to?: string
  audience?: 'proposer' | 'city'
  /** A stage reminder's target (migration 0032). */
  targetDays?: number
}

/** Notification kinds with a mail text of their own; any other change of a proposal is told as an update. */
const MAIL_KINDS: Record<string, string> = {
  'message.received': 'message_received',
  'proposal.submitted': 'proposal_submitted',
  'proposal.receipt': 'proposal_receipt',
  'proposal.routed': 'proposal_routed',
  'proposal.status_changed': 'status_changed',
  'proposal.stage_overdue': 'stage_overdue',
}

/**
 * The mail text key and values for one notification: the proposal's title and reference code, its stage by
 * the city's label in the recipient's language, and a link to the recipient's own page of the proposal —
 * the proposer's page for the proposer, the desk's page for city staff.
 */
export function notificationMail(
  tenant: ProposalTenant,
  kind: string,
  payload: NoticePayload,
  options: { locale: string; origin: string },
) {
  const slug = tenant.config.slug
  const link =
    payload.audience === 'proposer'
      ? `${options.origin}/proposals/${slug}/${payload.proposalId}`
      : payload.audience === 'city'
        ? `${options.origin}/${slug}/desk/proposals/${payload.proposalId}`
        : `${options.origin}/account`
  return {
    kind: kind === 'proposal.stage_overdue' && platformDefaultTarget(tenant, payload) ? 'stage_overdue_platform_default' : (MAIL_KINDS[kind] ?? 'proposal_updated'),
    values: {
      reference: payload.referenceCode ?? '',
      title: payload.title ?? '',
      stage: stageLabel(tenant, payload.track, payload.state ?? payload.to, options.locale),
      days: payload.targetDays ?? '',
      link,
    },
  }
}

/** The reminder's target is the platform's (the guideline states no number): the mail says so. */
function platformDefaultTarget(tenant: ProposalTenant, payload: NoticePayload): boolean {
  const target = payload.track && payload.state ? stageTargetOf(tenant.config, payload.track, payload.state) : undefined
  return !target || isPlatformDefaultTarget(target)
}

/** A state's label on its track (any track of the city for rows that do not name theirs), in `locale`. */
function stageLabel(
  tenant: ProposalTenant,
  trackId: string | undefined,
  state: string | undefined,
  locale: string,
) {
  if (!state) return ''
  const tracks = tenant.config.tracks.filter((track) => !trackId || track.id === trackId)
  const step = tracks.map((track) => stepOf(track, state)).find(Boolean)
  return step ? localize(step.label, locale, tenant.config.defaultLocale) : state
}

/**
 * The `notifications.mail` job: every pending notification of the city becomes
 * a mail (batch after batch), with the city's tenant file as the registry holds
 * it now. A city no longer in the registry fails the job, which is retried.
 */
export async function mailPendingNotifications(
  context: { db: RuntimeDb; tenants: TenantRegistry; origin: string },
  tenantId: string,
): Promise<number> {
  const [row] = await withTenant(context.db, { tenantId, userId: null, actor: 'system' }, (tx) =>
    tx.execute<{ slug: string | null }>(sql`select current_tenant_slug() as slug`),
  )
  const registered = row?.slug ? context.tenants.get(row.slug) : undefined
  if (!registered) throw new Error('notifications.mail: the city is not in the tenant registry')
  const tenant: ProposalTenant = { id: tenantId, config: registered.config, configVersion: registered.version }
  const cityName = (locale: string) =>
    localize(registered.config.identity.name, locale, registered.config.defaultLocale)
  let total = 0
  for (;;) {
    const done = await mailCityNotifications(context.db, { tenant, origin: context.origin, cityName })
    total += done
    if (done === 0) return total
  }
}

/**
 * Turns a city's pending notifications into e-mails in each recipient's
 * language (the outbox row's locale, else the user's), as the `system` actor:
 * the only one that may read the notification outbox. Each row is marked sent
 * in the same transaction as its mail is queued, so a notification is mailed once.
 */
export async function mailCityNotifications(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; origin: string; cityName: (locale: string) => string },
): Promise<number> {
  const { tenant } = options
  return withTenant(db, { tenantId: tenant.id, userId: null, actor: 'system' }, async (tx) => {
    const pending = await tx
      .select({
        id: notificationOutbox.id,
        kind: notificationOutbox.kind,
        payload: notificationOutbox.payload,
      })
      .from(notificationOutbox)
      .where(and(eq(notificationOutbox.tenantId, tenant.id), isNull(notificationOutbox.sentAt)))
      .orderBy(asc(notificationOutbox.createdAt))
      .limit(BATCH)
      .for('update', { skipLocked: true })
    if (pending.length === 0) return 0
    // Every recipient of the batch in one read, before this transaction writes (Citus refuses the
    // definer's read of the city's shards after that, migration 0035).
    const ids = `{${pending.map((notification) => notification.id).join(',')}}`
    const recipients = new Map(
      [
        ...(await tx.execute<{ notification_id: string; email: string; display_name: string; locale: string }>(
          sql`SELECT * FROM recipients_for_notifications(${ids}::uuid[])`,
        )),
      ].map((row) => [row.notification_id, row]),
    )
    for (const notification of pending) {
      const recipient = recipients.get(notification.id)
      if (recipient) {
        const locale = isLocale(recipient.locale) ? recipient.locale : 'ja'
        const t = await getFixedT(locale)
        const mail = notificationMail(tenant, notification.kind, notification.payload as NoticePayload, {
          locale,
          origin: options.origin,
        })
        const values = { ...mail.values, name: recipient.display_name, city: options.cityName(locale) }
        await queueMail(tx, {
          to: recipient.email,
          subject: t(`proposals:mail.${mail.kind}.subject`, values),
          text: t(`proposals:mail.${mail.kind}.body`, values),
          kind: 'proposal_notification',
          tenantId: tenant.id,
        })
      }
      await tx
        .update(notificationOutbox)
        .set({ sentAt: new Date() })
        .where(and(eq(notificationOutbox.tenantId, tenant.id), eq(notificationOutbox.id, notification.id)))
    }
    return pending.length
  })
}
