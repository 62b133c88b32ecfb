import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { smtpPeer } from '~/test/smtp-peer'
import { until } from '~/jobs/testing'
import { freePort, startApp, type AppProcess } from '../harness/app-process'
import { disposableCluster, type DisposableCluster } from '../harness/postgres'

/**
 * Issue 20: the app server, with its in-process job worker, SIGKILLed while
 * the SMTP peer holds a message it has received in full but not yet accepted —
 * the window ADR 009 bounds (the server accepted, the sent mark not written).
 * After a restart on the same database every mail arrives; the message in
 * flight may arrive twice (its retry, same Message-ID), never more, and no
 * other message is sent twice. The dead worker's attempt is expired by moving
 * its start back past the queue's 300 s expiry, and the retry's backoff is
 * moved to now: time is moved, not waited for.
 */

const MAIL_FROM = 'Desk <no-reply@desk.example.jp>'
const MAIL_DOMAIN = 'desk.example.jp'
const ACCOUNTS = ['biz1@example.com', 'biz2@example.com', 'univ@example.com', 'operator@example.com']
/** Held long enough that the server is dead before the peer answers 250. */
const HOLD_MS = 3_000
/** ADR 009: at most one extra copy per crash between the SMTP accept and the sent mark. */
const CRASHES = 1

let cluster: DisposableCluster
let app: AppProcess
let dataDir: string
let owner: postgres.Sql
const peer = smtpPeer({ delayMs: HOLD_MS })

beforeAll(async () => {
  cluster = await disposableCluster(await freePort(Number(process.env.RESILIENCE_PG_PORT) || undefined))
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'desk-mail-crash-'))
  owner = postgres(cluster.adminUrl, { max: 2, onnotice: () => {} })
})

afterAll(async () => {
  await app?.stop()
  await peer.close()
  await owner?.end({ timeout: 5 })
  await cluster?.dispose()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

it('the server SIGKILLed while the SMTP peer holds a message: after a restart every mail is delivered, at most one extra copy', async () => {
  const smtpPort = await peer.listen()
  const appPort = await freePort(Number(process.env.RESILIENCE_PORT) || undefined)
  const start = () =>
    startApp({
      port: appPort,
      env: {
        DATABASE_URL: cluster.adminUrl,
        DATABASE_RUNTIME_PASSWORD: 'resilience-runtime-password',
        DATA_DIR: dataDir,
        SEED_DEMO: 'true',
        TENANTS_DIR: 'tenants',
        RUN_JOB_WORKER: 'true',
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        MAIL_FROM,
        JOB_POLL_SECONDS: '0.5',
        JOB_MAINTENANCE_SECONDS: '1',
      },
    })
  app = await start()

  // The first message the peer receives in full, once every request is answered: the server dies before
  // the peer accepts it. The worker sends one mail at a time, so the others wait in the queue meanwhile.
  let received!: () => void
  const firstReceived = new Promise<void>((resolve) => (received = resolve))
  peer.onReceived(() => received())

  // Mails caused through the app, as a user would: two password resets for each of four accounts.
  const responses = await Promise.all(
    [...ACCOUNTS, ...ACCOUNTS].map((email) =>
      fetch(`${app.url}/forgot-password`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: app.url },
        body: new URLSearchParams({ email }),
      }),
    ),
  )
  expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200))
  await firstReceived
  const killedAt = Date.now()
  app.child.kill('SIGKILL')

  const outbox = await owner<{ id: string }[]>`
    SELECT id FROM mail_outbox WHERE kind = 'password_reset' AND to_address = ANY(${ACCOUNTS})`
  expect(outbox).toHaveLength(ACCOUNTS.length * 2)

  expect(await app.exited).toBe('SIGKILL')
  // The held message is accepted by the peer after the server died: the sent mark was never written.
  await until(
    async () => peer.accepted.length,
    (n) => n >= 1,
    5_000,
  )
  const [inFlight] = peer.accepted
  expect(inFlight!.at).toBeGreaterThan(killedAt)
  const [unmarked] = await owner<{ sent_at: Date | null }[]>`
    SELECT sent_at FROM mail_outbox WHERE id = ${inFlight!.messageId.slice(1, inFlight!.messageId.indexOf('@'))}`
  expect(unmarked, 'the message in flight has an outbox row').toBeDefined()
  expect(unmarked!.sent_at).toBeNull()

  // The dead worker's attempt: as if its 300 s expiry had passed.
  const expired = await owner`
    UPDATE pgboss.job SET started_on = now() - expire_in - interval '1 second'
     WHERE name = 'mail.deliver' AND state = 'active' RETURNING id`
  expect(expired.length).toBeGreaterThanOrEqual(1)

  peer.setDelay(0)
  const restartedAt = Date.now()
  app = await start()
  const expected = outbox.map((row) => `<${row.id}@${MAIL_DOMAIN}>`)
  const unsent = await until(
    async () => {
      // The expired attempt's retry waits out its backoff (30–60 s): due now.
      await owner`
        UPDATE pgboss.job SET start_after = now()
         WHERE name = 'mail.deliver' AND state = 'retry' AND id = ANY(${expired.map((job) => job.id)})`
      return owner<{ id: string }[]>`
        SELECT id FROM mail_outbox WHERE id = ANY(${outbox.map((row) => row.id)}) AND sent_at IS NULL`
    },
    (rows) => rows.length === 0,
    30_000,
  )
  expect(unsent, app.output()).toEqual([])
  const copies = peer.copies()
  console.info(
    `mail after SIGKILL: all ${expected.length} delivered ${Date.now() - restartedAt} ms after the restart began; ` +
      `the message in flight arrived ${copies.get(inFlight!.messageId)} times`,
  )

  // No loss: every mail the app acknowledged reached the peer.
  expect(expected.filter((messageId) => !copies.has(messageId))).toEqual([])
  // The bound: the message in flight at most 1 + CRASHES times, every other exactly once, nothing unexpected.
  expect(copies.get(inFlight!.messageId)).toBeLessThanOrEqual(1 + CRASHES)
  for (const messageId of expected.filter((id) => id !== inFlight!.messageId))
    expect(copies.get(messageId), messageId).toBe(1)
  expect([...copies.keys()].filter((messageId) => !expected.includes(messageId))).toEqual([])
}, 60_000)
