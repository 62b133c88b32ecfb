import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../../db/testing'
import { withTenant } from '../../../db/tenant-context'
import { createLogger } from '~/utils/logger.server'
import { createTenantRegistry, type TenantRegistry } from '~/utils/tenant-registry.server'
import { enqueueJob } from '../../../db/queue/enqueue'
import { settle, startTestWorker, until } from '~/jobs/testing'
import { smtpPeer } from '~/test/smtp-peer'
import { listDeskInbox } from '../inbox/desk-inbox.server'
import { getDeskDashboard } from '../dashboard/desk-dashboard.server'
import { defaultPeriod } from '../dashboard/dashboard-figures'
import { sweepExpiredResetTokens } from '../accounts/sweep-reset-tokens.server'
import {
  createTestCitiesAndProposers,
  submitTestProposal,
  type TestCity,
  type TestProposer,
} from '../proposals/testing.server'
import { remindDeskOfWaitingProposals } from './remind-waiting-proposals.server'

/**
 * Issue 20, reminders: a proposal waiting at a stage past the tenant file's
 * target is flagged in the inbox, counted on the dashboard, and the desk is
 * mailed once per proposal and stage. Time is moved by back-dating the stage's
 * start (state_entered_at), not waited for.
 */
let db: TestDatabase
let tenants: TenantRegistry
let aomori: TestCity
let business: TestProposer

beforeAll(async () => {
  db = await createTestDatabase()
  const made = await createTestCitiesAndProposers(db.ownerSql)
  aomori = made.cities.aomori!
  business = made.business
  tenants = await createTenantRegistry({ directory: 'tenants', logger: createLogger('silent'), watch: false })
})
afterAll(async () => {
  await tenants?.close()
  await db?.drop()
})

async function propose(title: string) {
  return submitTestProposal(db.runtimeDb, {
    city: aomori,
    proposer: business,
    trackId: 'partnership',
    answers: { subject: title, content: `${title}の内容です。` },
  })
}

/** Moves the proposal's arrival at its stage `days` days back. */
async function backDate(proposalId: string, days: number) {
  await db.ownerSql`
    UPDATE proposals SET state_entered_at = now() - make_interval(days => ${days}) WHERE id = ${proposalId}`
}

async function reminders(proposalId: string) {
  return db.adminSql<{ recipient_user_id: string; payload: { state: string; targetDays: number } }[]>`
    SELECT recipient_user_id, payload FROM notification_outbox
     WHERE kind = 'proposal.stage_overdue' AND payload->>'proposalId' = ${proposalId}`
}

const intakeTarget = () =>
  aomori.tenant.config.stageTargets.find((target) => target.track === 'partnership' && target.step === 'intake')!

describe('stage reminders', () => {
  it('the aomori file sets targets, each a platform default (its guideline states no number of days)', () => {
    expect(aomori.tenant.config.stageTargets.length).toBeGreaterThan(0)
    for (const target of aomori.tenant.config.stageTargets) expect(target.statedInGuideline).toBeUndefined()
  })

  it('past its target a proposal is flagged in the inbox and on the dashboard, and the desk is reminded once', async () => {
    const waiting = await propose('目安を過ぎる提案')
    const fresh = await propose('まだ目安内の提案')
    const days = intakeTarget().days
    expect(waiting.state).toBe('intake')

    // Within the target: nothing is flagged, nobody is reminded.
    await backDate(waiting.id, days - 1)
    expect((await remindDeskOfWaitingProposals({ db: db.runtimeDb, tenants })).reminded).toBe(0)
    const inboxBefore = await listDeskInbox(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: aomori.desk,
      filters: { pastTargetOnly: true },
      locale: 'ja',
    })
    expect(inboxBefore.rows.map((row) => row.id)).not.toContain(waiting.id)

    // A day past it.
    await backDate(waiting.id, days + 1)
    const inbox = await listDeskInbox(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: aomori.desk,
      filters: { pastTargetOnly: true },
      locale: 'ja',
    })
    expect(inbox.rows.map((row) => row.id)).toEqual([waiting.id])
    expect(inbox.rows[0]).toMatchObject({ daysAtStage: days + 1, stageTargetDays: days, pastTarget: true })
    const all = await listDeskInbox(db.runtimeDb, { tenant: aomori.tenant, actor: aomori.desk, filters: {}, locale: 'ja' })
    expect(all.rows.find((row) => row.id === fresh.id)).toMatchObject({ daysAtStage: 0, pastTarget: false })

    const dashboard = await getDeskDashboard(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: aomori.desk,
      filters: { period: defaultPeriod(new Date()), track: 'partnership' },
    })
    expect(dashboard.stageWaits.find((stage) => stage.state === 'intake')).toMatchObject({
      open: 2,
      targetDays: days,
      targetIsPlatformDefault: true,
      pastTarget: 1,
    })
    expect(dashboard.stageWaits.find((stage) => stage.state === 'intake')!.longestDays).toBeCloseTo(days + 1, 1)

    // The desk (admin and staff, not the departments) is told, once however often the job runs.
    expect((await remindDeskOfWaitingProposals({ db: db.runtimeDb, tenants })).reminded).toBe(1)
    expect((await remindDeskOfWaitingProposals({ db: db.runtimeDb, tenants })).reminded).toBe(0)
    const told = await reminders(waiting.id)
    expect(told.map((row) => row.recipient_user_id).sort()).toEqual(
      [aomori.deskAdmin.userId, aomori.desk.userId].sort(),
    )
    expect(told[0]!.payload).toMatchObject({ state: 'intake', targetDays: days })
    expect(await reminders(fresh.id)).toHaveLength(0)

    // Back at the stage later (a new stay, begun after the first reminder), it is reminded of again.
    await db.ownerSql`
      UPDATE proposals SET stage_reminded_at = now() - make_interval(days => ${days + 10}),
                           state_entered_at = now() - make_interval(days => ${days + 3})
       WHERE id = ${waiting.id}`
    expect((await remindDeskOfWaitingProposals({ db: db.runtimeDb, tenants })).reminded).toBe(1)
    expect(await reminders(waiting.id)).toHaveLength(4)
  })

  it('only the system actor of a city may run the reminder; staff and proposers are refused', async () => {
    for (const actor of [aomori.desk, business.actor]) {
      const error = await withTenant(
        db.runtimeDb,
        { tenantId: aomori.tenant.id, userId: actor.userId, actor: actor.kind },
        (tx) => tx.execute(sql`SELECT * FROM remind_desk_of_waiting_proposals('[]'::jsonb)`),
      ).then(
        () => null,
        (caught: { code?: string; cause?: { code?: string } }) => caught.code ?? caught.cause?.code,
      )
      expect(error).toBe('42501')
    }
  })

  it('the stages.remind job mails the desk through the mail queue: the reminder reaches the SMTP peer', async () => {
    const waiting = await propose('メールで知らせる提案')
    await backDate(waiting.id, intakeTarget().days + 2)
    const peer = smtpPeer()
    const port = await peer.listen()
    const worker = await startTestWorker(db, {
      tenants,
      env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Desk <no-reply@desk.example.jp>' },
    })
    try {
      await withTenant(db.runtimeDb, { tenantId: null, userId: null, actor: 'system' }, (tx) =>
        enqueueJob(tx, 'stages.remind', {}),
      )
      await settle(db.adminSql, 'stages.remind')
      await settle(db.adminSql, 'notifications.mail')
      const reference = waiting.referenceCode!
      const [deskAdmin] = await db.adminSql<{ email: string }[]>`
        SELECT email FROM users WHERE id = ${aomori.deskAdmin.userId}`
      // The outbox rows of this reminder: one per member of the desk, in their language, sent.
      const outbox = await until(
        () =>
          db.adminSql<{ id: string; to_address: string; subject: string; text_body: string; sent_at: Date | null }[]>`
            SELECT id, to_address, subject, text_body, sent_at FROM mail_outbox
             WHERE subject LIKE ${`%${reference}%`} AND subject LIKE '%目安%'`,
        (rows) => rows.length >= 2 && rows.every((row) => row.sent_at),
      )
      expect(outbox.map((row) => row.to_address)).toContain(deskAdmin!.email)
      expect(outbox).toHaveLength(2)
      expect(outbox[0]!.subject).toContain('目安の')
      // The body says the number of days is the platform's, not the guideline's.
      expect(outbox[0]!.text_body).toContain('プラットフォームの既定値')
      // And each reached the SMTP peer once, addressed to its member.
      await until(async () => peer.accepted.length, (n) => n >= 2)
      for (const row of outbox) {
        expect(peer.copies().get(`<${row.id}@desk.example.jp>`)).toBe(1)
        expect(peer.accepted.find((mail) => mail.messageId === `<${row.id}@desk.example.jp>`)!.to).toEqual([row.to_address])
      }
    } finally {
      await worker.stop()
      await peer.close()
    }
  }, 60_000)
})

describe('reset-token clean-up', () => {
  it('deletes expired tokens only, and only for the system actor', async () => {
    const [user] = await db.adminSql<{ id: string }[]>`SELECT id FROM users LIMIT 1`
    const expired = `expired-${randomUUID()}`
    const live = `live-${randomUUID()}`
    await db.ownerSql`
      INSERT INTO password_reset_tokens (token_hash, user_id, expires_at) VALUES
        (${expired}, ${user!.id}, now() - interval '1 minute'),
        (${live}, ${user!.id}, now() + interval '1 hour')`
    const left = () =>
      db.adminSql<{ token_hash: string }[]>`
        SELECT token_hash FROM password_reset_tokens WHERE token_hash IN (${expired}, ${live})`

    // Another actor deletes nothing, expired or not.
    await withTenant(db.runtimeDb, { tenantId: aomori.tenant.id, userId: aomori.desk.userId, actor: 'staff' }, (tx) =>
      tx.execute(sql`DELETE FROM password_reset_tokens`),
    )
    expect(await left()).toHaveLength(2)

    expect(await sweepExpiredResetTokens(db.runtimeDb)).toBeGreaterThanOrEqual(1)
    expect((await left()).map((row) => row.token_hash)).toEqual([live])
  })
})
