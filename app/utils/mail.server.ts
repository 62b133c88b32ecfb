import nodemailer from 'nodemailer'
import { and, desc, eq, isNull, lt } from 'drizzle-orm'
import { mailOutbox } from '../../db/schema'
import { withTenant, type TenantTx } from '../../db/tenant-context'
import type { RuntimeDb } from '../../db/runtime'

/**
 * Mail goes through the `mail_outbox` table, written in the same transaction
 * as the change it announces. With `SMTP_URL` set, `deliverPendingMail` sends
 * it with nodemailer and marks it sent; without, it stays in the outbox, which
 * the mail outbox page (`/dev/mail`) shows when `MAIL_OUTBOX_PAGE` allows.
 */

export type MailKind =
  | 'password_reset'
  | 'city_invitation'
  | 'organisation_invitation'
  | 'proposal_notification'
  | 'account_created'
  | 'account_exists'
export type OutgoingMail = { to: string; subject: string; text: string; kind: MailKind }

const DELIVERY_BATCH = 20
const MAX_ATTEMPTS = 5

export async function queueMail(tx: TenantTx, mail: OutgoingMail): Promise<void> {
  await tx
    .insert(mailOutbox)
    .values({ toAddress: mail.to, subject: mail.subject, textBody: mail.text, kind: mail.kind })
}

function asSystem<T>(db: RuntimeDb, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return withTenant(db, { tenantId: null, userId: null, actor: 'system' }, fn)
}

/** Sends what is waiting in the outbox over SMTP; a failure is recorded on the row and retried next time. */
export async function deliverPendingMail(options: {
  db: RuntimeDb
  smtpUrl: string | undefined
  from: string
}): Promise<number> {
  if (!options.smtpUrl) return 0
  const pending = await asSystem(options.db, (tx) =>
    tx
      .select()
      .from(mailOutbox)
      .where(and(isNull(mailOutbox.sentAt), lt(mailOutbox.attempts, MAX_ATTEMPTS)))
      .orderBy(mailOutbox.createdAt)
      .limit(DELIVERY_BATCH),
  )
  if (pending.length === 0) return 0
  const transport = nodemailer.createTransport(options.smtpUrl)
  let sent = 0
  try {
    for (const mail of pending) {
      const outcome = await transport
        .sendMail({ from: options.from, to: mail.toAddress, subject: mail.subject, text: mail.textBody })
        .then(
          () => ({ sentAt: new Date(), lastError: null }),
          (error: Error) => ({ sentAt: null, lastError: error.message }),
        )
      await asSystem(options.db, (tx) =>
        tx
          .update(mailOutbox)
          .set({ ...outcome, attempts: mail.attempts + 1 })
          .where(eq(mailOutbox.id, mail.id)),
      )
      if (outcome.sentAt) sent++
    }
  } finally {
    transport.close()
  }
  return sent
}

/** The newest mails of the outbox, for the mail outbox page. */
export function listOutbox(db: RuntimeDb, limit = 50) {
  return asSystem(db, (tx) =>
    tx
      .select({
        id: mailOutbox.id,
        to: mailOutbox.toAddress,
        subject: mailOutbox.subject,
        text: mailOutbox.textBody,
        createdAt: mailOutbox.createdAt,
        sentAt: mailOutbox.sentAt,
      })
      .from(mailOutbox)
      .orderBy(desc(mailOutbox.createdAt))
      .limit(limit),
  )
}

/** The mail outbox page: on by default outside production; in production only with MAIL_OUTBOX_PAGE=true (the demo). */
export function mailOutboxPageEnabled(env: {
  NODE_ENV: string
  MAIL_OUTBOX_PAGE?: 'true' | 'false'
}): boolean {
  return env.MAIL_OUTBOX_PAGE ? env.MAIL_OUTBOX_PAGE === 'true' : env.NODE_ENV !== 'production'
}
