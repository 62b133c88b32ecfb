import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, formRequest, type Harness } from '~/test/harness'
import { freePort, smtpPeer } from '~/test/smtp-peer'
import { settle, startTestWorker, until } from '~/jobs/testing'
import type { JobWorker } from '~/jobs/worker.server'
import * as forgotPasswordPage from '~/routes/forgot-password'
import { withTenant } from '../../db/tenant-context'
import { queueMail } from './mail.server'
import { listMailHealth } from '~/operations/operator/list-mail-health.server'
import type { Operator } from '~/operations/actors'

/**
 * Mail through the job queue against a real SMTP peer (issue 20): an outage,
 * a slow server, two workers, and the dead letter. Time is moved in the queue
 * (a retry's start) rather than waited for.
 */
let h: Harness
const FROM = 'Desk <no-reply@desk.example.jp>'

beforeAll(async () => {
  h = await createHarness()
})
afterAll(async () => {
  await h?.close()
})

async function queueMails(count: number, prefix: string): Promise<string[]> {
  const addresses = Array.from({ length: count }, (_, i) => `${prefix}-${i}@example.com`)
  await withTenant(h.db.runtimeDb, { tenantId: null, userId: null, actor: 'system' }, async (tx) => {
    for (const to of addresses) await queueMail(tx, { to, subject: 's', text: 't', kind: 'password_reset' })
  })
  return addresses
}

async function mailRows(prefix: string) {
  return h.db.adminSql<{ id: string; sent_at: Date | null; attempts: number; last_error: string | null; dead_at: Date | null }[]>`
    SELECT id, sent_at, attempts, last_error, dead_at FROM mail_outbox WHERE to_address LIKE ${prefix + '-%'}`
}

/** The retries waiting in the queue are due now: the backoff's time has passed. */
async function moveRetriesToNow() {
  await h.db.adminSql`UPDATE pgboss.job SET start_after = now() WHERE name = 'mail.deliver' AND state = 'retry'`
}

async function withWorker<T>(smtpUrl: string, fn: (worker: JobWorker) => Promise<T>): Promise<T> {
  const worker = await startTestWorker(h.db, { env: { SMTP_URL: smtpUrl, MAIL_FROM: FROM } })
  try {
    return await fn(worker)
  } finally {
    await worker.stop()
  }
}

describe('mail delivery through the queue', () => {
  it('SMTP down for a while, then back: every mail is delivered exactly once', async () => {
    const port = await freePort()
    const peer = smtpPeer()
    await withWorker(`smtp://127.0.0.1:${port}`, async () => {
      const addresses = await queueMails(8, 'outage')
      // Every first attempt meets a closed port and is recorded, without the address.
      const failed = await until(
        () => mailRows('outage'),
        (rows) => rows.every((row) => row.attempts >= 1 && row.last_error),
      )
      expect(failed.every((row) => row.sent_at === null)).toBe(true)
      expect(failed.map((row) => row.last_error).join(' ')).not.toMatch(/@/)
      await until(
        () => h.db.adminSql`SELECT 1 FROM pgboss.job WHERE name = 'mail.deliver' AND state = 'retry'`,
        (rows) => rows.length === addresses.length,
      )
      await peer.listen(port)
      await moveRetriesToNow()
      await settle(h.db.adminSql, 'mail.deliver')
      const rows = await mailRows('outage')
      expect(rows.every((row) => row.sent_at !== null)).toBe(true)
      expect(peer.accepted).toHaveLength(addresses.length)
      expect([...peer.copies().values()].every((n) => n === 1)).toBe(true)
      expect(new Set(peer.accepted.map((message) => message.messageId))).toEqual(
        new Set(rows.map((row) => `<${row.id}@desk.example.jp>`)),
      )
    })
    await peer.close()
  })

  it('two workers on one queue: no mail is sent twice (counted by Message-ID at the peer)', async () => {
    const peer = smtpPeer({ delayMs: 20 })
    const port = await peer.listen()
    const url = `smtp://127.0.0.1:${port}`
    await withWorker(url, () =>
      withWorker(url, async () => {
        const addresses = await queueMails(40, 'pair')
        await until(
          async () => peer.accepted.length,
          (n) => n >= addresses.length,
          60_000,
        )
        await settle(h.db.adminSql, 'mail.deliver')
        expect(peer.accepted).toHaveLength(addresses.length)
        expect(peer.copies().size).toBe(addresses.length)
      }),
    )
    await peer.close()
  })

  it('a slow SMTP server (5 s a message) does not slow the request that sends the mail', async () => {
    const fast = smtpPeer()
    const slow = smtpPeer({ delayMs: 5_000 })
    const fastUrl = `smtp://127.0.0.1:${await fast.listen()}`
    const slowUrl = `smtp://127.0.0.1:${await slow.listen()}`
    const timeRequests = async (email: string) => {
      const times: number[] = []
      for (let i = 0; i < 4; i++) {
        const context = await h.contextFor(null)
        const started = performance.now()
        const response = (await forgotPasswordPage.action({
          request: formRequest('/forgot-password', { email }),
          context,
          params: {},
        })) as Response
        times.push(performance.now() - started)
        expect(response.status).toBe(200)
      }
      return times.reduce((sum, ms) => sum + ms, 0) / times.length
    }
    const fastMs = await withWorker(fastUrl, async () => {
      const ms = await timeRequests('biz1@example.com')
      await until(async () => fast.accepted.length, (n) => n >= 4)
      return ms
    })
    const slowMs = await withWorker(slowUrl, async () => {
      const ms = await timeRequests('biz2@example.com')
      // The mails still arrive, five seconds a message later.
      await settle(h.db.adminSql, 'mail.deliver', 60_000)
      expect(slow.accepted).toHaveLength(4)
      return ms
    })
    console.info(`forgot-password request, mean of 4: SMTP fast ${fastMs.toFixed(1)} ms, SMTP slow (5 s) ${slowMs.toFixed(1)} ms`)
    expect(slowMs).toBeLessThan(1_000)
    expect(slowMs).toBeLessThan(fastMs * 2 + 100)
    await fast.close()
    await slow.close()
  }, 120_000)

  it('a mail whose every attempt fails is given up: the dead letter marks it, counted for its city', async () => {
    const port = await freePort()
    const [city] = await h.db.adminSql<{ id: string }[]>`SELECT id FROM tenants ORDER BY slug LIMIT 1`
    await withWorker(`smtp://127.0.0.1:${port}`, async () => {
      await withTenant(h.db.runtimeDb, { tenantId: null, userId: null, actor: 'system' }, (tx) =>
        queueMail(tx, { to: 'dead-0@example.com', subject: 's', text: 't', kind: 'city_invitation', tenantId: city!.id }),
      )
      const [mail] = await mailRows('dead')
      await until(
        () => h.db.adminSql`
          SELECT 1 FROM pgboss.job WHERE name = 'mail.deliver' AND state = 'retry' AND data->>'mailId' = ${mail!.id}`,
        (rows) => rows.length === 1,
      )
      // Its retries are spent (34 h of backoff, moved): the next failure is its last.
      await h.db.adminSql`
        UPDATE pgboss.job SET retry_count = retry_limit, start_after = now()
         WHERE name = 'mail.deliver' AND state = 'retry' AND data->>'mailId' = ${mail!.id}`
      const [row] = await until(
        () => mailRows('dead'),
        (rows) => rows[0]?.dead_at != null,
      )
      expect(row!.dead_at).not.toBeNull()
      expect(row!.sent_at).toBeNull()
    })
    const counts = await h.db.adminSql<{ slug: string; dead: number }[]>`
      SELECT t.slug, count(*)::int AS dead FROM mail_outbox m JOIN tenants t ON t.id = m.subject_tenant_id
       WHERE m.dead_at IS NOT NULL GROUP BY t.slug`
    expect(counts).toHaveLength(1)
    expect(counts[0]!.dead).toBe(1)
    // The operator console's numbers: the city's dead mail, counts only.
    const [operator] = await h.db.adminSql<{ id: string }[]>`SELECT id FROM users WHERE email = 'operator@example.com'`
    const health = await listMailHealth(h.db.runtimeDb, {
      tenantContext: { tenantId: null, userId: operator!.id, actor: 'operator' },
    } as Operator)
    expect(health.find((row) => row.slug === counts[0]!.slug)).toMatchObject({ dead: 1 })
    expect(JSON.stringify(health)).not.toMatch(/@/)
  })
})
