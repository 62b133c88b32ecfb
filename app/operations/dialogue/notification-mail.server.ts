import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { withTenant } from '../../../db/tenant-context'
import { notificationOutbox } from '../../../db/schema'
import { isLocale } from '~/i18n'
import { getFixedT } from '~/utils/i18n.server'
import { queueMail } from '~/utils/mail.server'
import type { ProposalTenant } from '../proposals/context.server'

const BATCH = 50

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
    for (const notification of pending) {
      const [recipient] = await tx.execute<{ email: string; display_name: string; locale: string }>(
        sql`SELECT * FROM recipient_for_notification(${notification.id})`,
      )
      if (recipient) {
        const locale = isLocale(recipient.locale) ? recipient.locale : 'ja'
        const t = await getFixedT(locale)
        const payload = notification.payload as {
          proposalId?: string
          referenceCode?: string | null
          title?: string
          audience?: string
        }
        const slug = tenant.config.slug
        const link =
          payload.audience === 'proposer'
            ? `${options.origin}/proposals/${slug}/${payload.proposalId}`
            : payload.audience === 'city'
              ? `${options.origin}/${slug}/desk/proposals/${payload.proposalId}`
              : `${options.origin}/account`
        const kind = ['message.received', 'proposal.submitted', 'proposal.routed'].includes(notification.kind)
          ? notification.kind.replace('.', '_')
          : 'status_changed'
        const values = {
          name: recipient.display_name,
          city: options.cityName(locale),
          reference: payload.referenceCode ?? '',
          title: payload.title ?? '',
          link,
        }
        await queueMail(tx, {
          to: recipient.email,
          subject: t(`proposals:mail.${kind}.subject`, values),
          text: t(`proposals:mail.${kind}.body`, values),
          kind: 'proposal_notification',
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
