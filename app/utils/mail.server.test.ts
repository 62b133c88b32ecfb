import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '~/test/harness'
import { requestPasswordReset, resetPassword } from '../operations/accounts/accounts.server'
import { acceptInvitation, findCityTenantId, inviteStaff } from '../operations/city-staff/city-staff.server'
import { requireCityRole } from '../http/guards.server'
import { withTenant } from '../../db/tenant-context'
import { enqueueJob } from '../../db/queue/enqueue'
import { settle, startTestWorker, until } from '~/jobs/testing'
import type { JobWorker } from '~/jobs/worker.server'
import { deliverMail, mailOutboxPageEnabled } from './mail.server'

/** Mail over a real SMTP server started in this process, delivered by a job worker. */
let h: Harness
let smtp: SMTPServer
let smtpUrl: string
let worker: JobWorker
const received: { to: string[]; raw: string }[] = []

beforeAll(async () => {
  h = await createHarness()
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = ''
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`
  worker = await startTestWorker(h.db, {
    env: { SMTP_URL: smtpUrl, MAIL_FROM: 'Desk <no-reply@desk.example.jp>' },
  })
})
afterAll(async () => {
  await worker?.stop()
  await new Promise<void>((resolve) => smtp?.close(resolve))
  await h?.close()
})

/** The message as text: headers, then the body decoded from base64 or quoted-printable. */
function unfold(raw: string): string {
  const split = raw.indexOf('\r\n\r\n')
  const [headers, body] = [raw.slice(0, split), raw.slice(split + 4)]
  const encoding = /Content-Transfer-Encoding: (\S+)/i.exec(headers)?.[1]?.toLowerCase()
  const decoded =
    encoding === 'base64'
      ? Buffer.from(body, 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            body
              .replace(/=\r?\n/g, '')
              .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ).toString('utf8')
        : body
  return `${headers}\n\n${decoded}`
}

describe('mail', () => {
  it('a password reset is queued, sent over SMTP, marked sent, and its token works once', async () => {
    await requestPasswordReset(h.db.runtimeDb, {
      email: 'BIZ2@example.com',
      origin: 'https://desk.example.jp',
      ip: null,
    })
    await requestPasswordReset(h.db.runtimeDb, {
      email: 'nobody@example.com',
      origin: 'https://desk.example.jp',
      ip: null,
    })
    await until(
      async () => received.length,
      (count) => count > 0,
    )
    await settle(h.db.adminSql, 'mail.deliver')
    expect(received).toHaveLength(1)
    expect(received[0]!.to).toEqual(['biz2@example.com'])
    const token = /https:\/\/desk\.example\.jp\/reset-password\/([A-Za-z0-9_-]{43})/.exec(
      unfold(received[0]!.raw),
    )?.[1]
    expect(token).toBeTruthy()
    const [row] = await h.db.adminSql<
      { id: string; sent_at: Date | null }[]
    >`SELECT id, sent_at FROM mail_outbox WHERE to_address = 'biz2@example.com'`
    expect(row!.sent_at).not.toBeNull()
    // Nothing is sent twice: the same mail's job again finds it sent.
    await withTenant(h.db.runtimeDb, { tenantId: null, userId: null, actor: 'system' }, (tx) =>
      enqueueJob(tx, 'mail.deliver', { mailId: row!.id }),
    )
    await settle(h.db.adminSql, 'mail.deliver')
    expect(received).toHaveLength(1)

    await resetPassword(h.db.runtimeDb, { token: token!, newPassword: 'a brand new passphrase', ip: null })
    await expect(
      resetPassword(h.db.runtimeDb, { token: token!, newPassword: 'again and again', ip: null }),
    ).rejects.toMatchObject({
      code: 'invalid_token',
    })
  })

  it('an expired reset token is refused', async () => {
    await requestPasswordReset(h.db.runtimeDb, { email: 'univ@example.com', origin: 'http://x', ip: null })
    const [mail] = await h.db.adminSql<
      { text_body: string }[]
    >`SELECT text_body FROM mail_outbox WHERE to_address = 'univ@example.com'`
    const token = /reset-password\/(\S+)/.exec(mail!.text_body)![1]!
    await h.db.adminSql`UPDATE password_reset_tokens SET expires_at = now() - interval '1 second'`
    await expect(
      resetPassword(h.db.runtimeDb, { token, newPassword: 'too late passphrase', ip: null }),
    ).rejects.toMatchObject({
      code: 'invalid_token',
    })
  })

  it('without SMTP_URL mail stays in the outbox', async () => {
    const [waiting] = await h.db.adminSql<{ id: string }[]>`
      INSERT INTO mail_outbox (to_address, subject, text_body, kind)
      VALUES ('outbox@example.com', 's', 't', 'password_reset') RETURNING id`
    expect(
      await deliverMail({ db: h.db.runtimeDb, mailId: waiting!.id, smtpUrl: undefined, from: 'x <x@example.jp>' }),
    ).toBe('kept_in_outbox')
    expect(mailOutboxPageEnabled({ NODE_ENV: 'development' })).toBe(true)
    expect(mailOutboxPageEnabled({ NODE_ENV: 'production' })).toBe(false)
    expect(mailOutboxPageEnabled({ NODE_ENV: 'production', MAIL_OUTBOX_PAGE: 'true' })).toBe(true)
  })

  it('an invitation reaches the invitee and can be accepted only by the invited address', async () => {
    const [admin] = await h.db.adminSql<
      { id: string }[]
    >`SELECT id FROM users WHERE email = 'desk-admin@komatsu.example.jp'`
    const { session } = await h.auth.startSession(admin!.id, { ip: null, userAgent: null })
    const context = await h.contextFor(`session=${session.id}`)
    const staff = await requireCityRole(context, 'komatsu', ['desk_admin'])
    await inviteStaff(h.db.runtimeDb, staff, {
      email: 'biz1@example.com',
      role: 'desk_staff',
      departmentId: null,
      origin: 'https://desk.example.jp',
      locale: 'en',
      cityName: 'Test City',
      ip: null,
    })
    const delivered = await until(
      async () => received.find((m) => m.to.includes('biz1@example.com')),
      Boolean,
    )
    const mail = unfold(delivered!.raw)
    expect(mail).toContain('Subject: Invitation to the partnership desk of Test City')
    const token = /\/komatsu\/invitation\/([A-Za-z0-9_-]{43})/.exec(mail)![1]!
    const tenantId = (await findCityTenantId(h.db.runtimeDb, 'komatsu'))!
    const [other] = await h.db.adminSql<
      { id: string }[]
    >`SELECT id FROM users WHERE email = 'biz2@example.com'`
    await expect(
      acceptInvitation(h.db.runtimeDb, {
        tenantId,
        invitee: { userId: other!.id, email: 'biz2@example.com' },
        token,
        ip: null,
      }),
    ).rejects.toMatchObject({ code: 'wrong_email' })
    const [invited] = await h.db.adminSql<
      { id: string }[]
    >`SELECT id FROM users WHERE email = 'biz1@example.com'`
    await acceptInvitation(h.db.runtimeDb, {
      tenantId,
      invitee: { userId: invited!.id, email: 'biz1@example.com' },
      token,
      ip: null,
    })
    const memberships = await h.db.adminSql<
      { role: string }[]
    >`SELECT role FROM city_memberships WHERE user_id = ${invited!.id}`
    expect(memberships).toEqual([{ role: 'desk_staff' }])
    // Single use.
    await expect(
      acceptInvitation(h.db.runtimeDb, {
        tenantId,
        invitee: { userId: invited!.id, email: 'biz1@example.com' },
        token,
        ip: null,
      }),
    ).rejects.toMatchObject({ code: 'invalid_token' })
  })
})
