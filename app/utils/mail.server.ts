import { randomUUID } from 'node:crypto'
import nodemailer from 'nodemailer'
import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import { mailOutbox } from '../../db/schema'
import { type TenantTx } from '../../db/tenant-context'
import { asSystem } from '../../db/as-system'
import type { RuntimeDb } from '../../db/runtime'
import { enqueueJob } from '../../db/queue/enqueue'

/**
 * Mail goes through the `mail_outbox` table and the job queue (ADR 009): the
 * row and its `mail.deliver` job are written in the same transaction as the
 * change the mail announces, so a rolled-back change mails nothing and a
 * committed one is always mailed. A worker sends it with nodemailer when
 * `SMTP_URL` is set, retrying with backoff for more than a day; without
 * `SMTP_URL` it stays in the outbox, which the mail outbox page (`/dev/mail`)
 * shows when `MAIL_OUTBOX_PAGE` allows.
 */

export type MailKind =
  | 'password_reset'
  | 'city_invitation'
  | 'organisation_invitation'
  | 'proposal_notification'
  | 'account_created'
  | 'account_exists'
  | 'alert'
export type OutgoingMail = {
  to: string
  subject: string
  text: string
  kind: MailKind
  /** The city the mail is about, for the operator console's counts; absent for platform mail. */
  tenantId?: string | null
  /** A one-click unsubscribe address (RFC 8058): sent as List-Unsubscribe and List-Unsubscribe-Post. */
  listUnsubscribeUrl?: string
}

/** SMTP limits well inside the mail queue's 300 s attempt expiry, so a hung server never overlaps a retry. */
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 }

/** Writes the mail and its delivery job in the caller's transaction. */
export async function queueMail(tx: TenantTx, mail: OutgoingMail): Promise<void> {
  // The id is made here: the actor queueing a mail may not read the outbox back (RETURNING needs that).
  const id = randomUUID()
  await tx.insert(mailOutbox).values({
    id,
    toAddress: mail.to,
    subject: mail.subject,
    textBody: mail.text,
    kind: mail.kind,
    subjectTenantId: mail.tenantId ?? null,
    listUnsubscribeUrl: mail.listUnsubscribeUrl ?? null,
  })
  await enqueueJob(tx, 'mail.deliver', { mailId: id })
}

/** The mail's Message-ID: the same on every attempt, so a receiver can tell a repeated copy. */
export function messageIdFor(mailId: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'desk.invalid'
  return `<${mailId}@${domain}>`
}

/** A delivery failure as stored and thrown: the error code and SMTP status only (an SMTP reply may quote the address). */
export class MailDeliveryError extends Error {
  constructor(readonly summary: string) {
    super(`mail delivery failed: ${summary}`)
    this.name = 'MailDeliveryError'
  }
}

function summarise(error: unknown): string {
  const { code, responseCode, command } = (error ?? {}) as { code?: string; responseCode?: number; command?: string }
  return [code, command, responseCode].filter((part) => part !== undefined && part !== '').join(' ') || 'unknown'
}

export type DeliveryOutcome = 'sent' | 'already_sent' | 'kept_in_outbox' | 'missing'

/**
 * The `mail.deliver` job: sends one outbox row once. A row already marked sent
 * is not sent again (a repeated job, or a retry after the mark committed).
 * The one window left — the SMTP server accepted the message and the process
 * died before the mark committed — sends a second copy on the retry, with the
 * same Message-ID; at most one extra copy per such crash (ADR 009).
 */
export async function deliverMail(options: {
  db: RuntimeDb
  mailId: string
  smtpUrl: string | undefined
  from: string
}): Promise<DeliveryOutcome> {
  const { db, mailId } = options
  const [mail] = await asSystem(db, (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.id, mailId)))
  if (!mail) return 'missing'
  if (mail.sentAt) return 'already_sent'
  if (!options.smtpUrl) return 'kept_in_outbox'
  const mark = (values: Partial<typeof mailOutbox.$inferInsert>) =>
    asSystem(db, (tx) =>
      tx
        .update(mailOutbox)
        .set({ ...values, attempts: sql`${mailOutbox.attempts} + 1` })
        .where(and(eq(mailOutbox.id, mailId), isNull(mailOutbox.sentAt))),
    )
  const transport = nodemailer.createTransport(options.smtpUrl, SMTP_TIMEOUTS)
  try {
    await transport.sendMail({
      from: options.from,
      to: mail.toAddress,
      subject: mail.subject,
      text: mail.textBody,
      messageId: messageIdFor(mail.id, options.from),
      ...(mail.listUnsubscribeUrl
        ? {
            list: { unsubscribe: mail.listUnsubscribeUrl },
            headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          }
        : {}),
    })
  } catch (error) {
    const summary = summarise(error)
    await mark({ lastError: summary })
    throw new MailDeliveryError(summary)
  } finally {
    transport.close()
  }
  await mark({ sentAt: new Date(), lastError: null })
  return 'sent'
}

/** The `mail.dead` job: every attempt failed; the row is marked given up (the operator console counts it). */
export async function giveUpMail(db: RuntimeDb, mailId: string): Promise<void> {
  await asSystem(db, (tx) =>
    tx
      .update(mailOutbox)
      .set({ deadAt: new Date() })
      .where(and(eq(mailOutbox.id, mailId), isNull(mailOutbox.sentAt))),
  )
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
