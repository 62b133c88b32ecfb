import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { earlyAnswerStatus } from './context.server'
import type { TestDatabase } from '../../../db/testing'
import { recordAttachmentDownload } from './audit-records.server'
import { submitProposal } from './submit-proposal.server'
import {
  readProposerProposalPage,
  readStaffProposalPage,
  type TestCity,
  type TestProposer,
} from './testing.server'
import { shareOneCityWorld } from '../../test/operations-world'
import { transitionProposal } from './transition-proposal.server'

let db: TestDatabase
let city: TestCity
let business: TestProposer

shareOneCityWorld('komatsu', (world) => {
  ;({ db, city, business } = world)
})

async function submitted(now?: Date) {
  const { proposal } = await submitProposal(db.runtimeDb, {
    tenant: city.tenant,
    actor: business.actor,
    proposal: { organisationId: business.organisationId, proposalTypeId: 'free' },
    idempotencyKey: randomUUID(),
    answers: { title: '観光データの共同分析', summary: '観光客の動態データを共同で分析します。' },
    acknowledgedNoteIds: [],
    now,
  })
  return proposal
}

const auditRows = (targetId: string) =>
  db.adminSql<
    { action: string; actor_user_id: string; actor_kind: string; payload: Record<string, unknown> }[]
  >`
    SELECT action, actor_user_id, actor_kind, payload FROM audit_log WHERE target_id = ${targetId} ORDER BY at`

describe('audit', () => {
  it('records every staff read of a proposal (its history included) and every transition, not a proposer\'s read', async () => {
    const proposal = await submitted()
    const { view } = await readStaffProposalPage(db.runtimeDb, {
      tenant: city.tenant,
      actor: city.desk,
      proposalId: proposal.id,
      locale: 'en',
      ip: '203.0.113.5',
    })
    expect(view.proposal.answers).toMatchObject({ title: '観光データの共同分析' })
    expect(view.transitions.map((transition) => transition.id)).toEqual([
      'share_with_departments',
      'not_accept',
    ])
    expect(view.lead).toMatchObject({ source: 'lane', leads: ['desk'] })
    expect(view.history.map((entry) => entry.transition)).toEqual(['submit'])
    await readProposerProposalPage(db.runtimeDb, {
      tenant: city.tenant,
      actor: business.actor,
      proposalId: proposal.id,
      locale: 'ja',
    })
    const rows = await auditRows(proposal.id)
    expect(rows.map((row) => [row.action, row.actor_kind])).toEqual([
      ['proposal.transition', 'proposer'],
      ['proposal.read', 'staff'],
    ])
    expect(rows[1]!.actor_user_id).toBe(city.desk.userId)
  })

  it('records attachment downloads, and refuses files the actor may not have', async () => {
    const proposal = await submitted()
    const shared = randomUUID()
    const internal = randomUUID()
    await db.ownerSql`
      INSERT INTO attachments (tenant_id, id, proposal_id, visibility, stored_name, original_name, mime, size, sha256)
      VALUES (${city.tenant.id}, ${shared}, ${proposal.id}, 'shared', ${randomUUID()}, '提案書.pdf', 'application/pdf', 1024, 'ab'),
             (${city.tenant.id}, ${internal}, ${proposal.id}, 'internal', ${randomUUID()}, '庁内メモ.pdf', 'application/pdf', 10, 'cd')`
    const file = await recordAttachmentDownload(db.runtimeDb, {
      tenant: city.tenant,
      actor: business.actor,
      attachmentId: shared,
    })
    expect(file).toMatchObject({ originalName: '提案書.pdf', mime: 'application/pdf', size: 1024 })
    await recordAttachmentDownload(db.runtimeDb, {
      tenant: city.tenant,
      actor: city.desk,
      attachmentId: internal,
    })
    await expect(
      recordAttachmentDownload(db.runtimeDb, {
        tenant: city.tenant,
        actor: business.actor,
        attachmentId: internal,
      }),
    ).rejects.toMatchObject({ code: 'not_found' })
    expect((await auditRows(shared)).map((row) => [row.action, row.actor_kind])).toEqual([
      ['attachment.download', 'proposer'],
    ])
    expect((await auditRows(internal)).map((row) => [row.action, row.actor_kind])).toEqual([
      ['attachment.download', 'staff'],
    ])
  })
})

describe('the early answer', () => {
  it('is overdue once its target days pass unanswered, and judged by the answer once given', async () => {
    const submittedAt = new Date('2026-01-05T01:00:00Z')
    const proposal = await submitted(submittedAt)
    const later = new Date('2026-03-01T00:00:00Z')
    const { status } = await readProposerProposalPage(db.runtimeDb, {
      tenant: city.tenant,
      actor: business.actor,
      proposalId: proposal.id,
      locale: 'ja',
      now: later,
    })
    expect(status.earlyAnswer).toMatchObject({ dueOn: '2026-02-04', overdue: true, answered: false })
    // Komatsu's guideline gives no number of days: the date is the portal's estimate, not the city's word.
    expect(status.earlyAnswer).toMatchObject({ targetIsPlatformDefault: true })
    expect(status.turn).toEqual([{ lane: 'desk', label: 'こまつ公民連携デスク' }])
    expect(status.transitions.map((transition) => transition.id)).toEqual(['withdraw'])
    await transitionProposal(db.runtimeDb, {
      tenant: city.tenant,
      actor: city.desk,
      proposalId: proposal.id,
      transitionId: 'not_accept',
      input: { reason: '市の施策と矛盾するため。' },
      expectedVersion: proposal.version,
      now: new Date('2026-01-20T00:00:00Z'),
    })
    const { view: answered } = await readStaffProposalPage(db.runtimeDb, {
      tenant: city.tenant,
      actor: city.desk,
      proposalId: proposal.id,
      locale: 'ja',
      now: later,
    })
    expect(answered.earlyAnswer).toMatchObject({ overdue: false, answered: true })
  })
})

describe("the proposer's view", () => {
  it('shows what they sent: type, support track and every answer by its label, in their language', async () => {
    const { proposal } = await submitProposal(db.runtimeDb, {
      tenant: city.tenant,
      actor: business.actor,
      proposal: { organisationId: business.organisationId, proposalTypeId: 'free' },
      idempotencyKey: randomUUID(),
      answers: {
        title: '除雪の実証',
        summary: '歩道の除雪を実証します。',
        fields: ['disaster_prevention', 'dx'],
        desired_start: '2026-12-06',
        estimated_cost: 3000000,
      },
      acknowledgedNoteIds: [],
    })
    const read = async (locale: string) =>
      (
        await readProposerProposalPage(db.runtimeDb, {
          tenant: city.tenant,
          actor: business.actor,
          proposalId: proposal.id,
          locale,
        })
      ).status
    const ja = (await read('ja')).submission
    expect(ja.typeLabel).toBe('フリー型')
    expect(ja.trackLabel).not.toBe('')
    expect(ja.themeTitle).toBeNull()
    expect(Object.fromEntries(ja.answers.map((answer) => [answer.label, answer.value]))).toMatchObject({
      分野: '防災、DX・デジタル化',
      実施希望時期: '2026年12月6日',
      概算事業費: '3,000,000円',
    })
    const en = (await read('en')).submission
    expect(Object.fromEntries(en.answers.map((answer) => [answer.label, answer.value]))).toMatchObject({
      Fields: 'Disaster prevention and DX and digitalisation',
      'Desired start': '6 December 2026',
      'Estimated cost': '3,000,000 yen',
    })
  })
})

describe("the early answer's provenance", () => {
  it("is the city's own target where the file does not mark it as a platform default", async () => {
    const proposal = await submitted(new Date('2026-01-05T01:00:00Z'))
    const { config } = city.tenant
    const stated = {
      ...city.tenant,
      config: {
        ...config,
        platformDefaults: config.platformDefaults.filter((path) => path !== 'earlyAnswerTargetDays'),
      },
    }
    const now = new Date('2026-01-10T00:00:00Z')
    expect(earlyAnswerStatus(stated, proposal, now)).toMatchObject({ targetIsPlatformDefault: false })
    expect(earlyAnswerStatus(city.tenant, proposal, now)).toMatchObject({ targetIsPlatformDefault: true })
  })
})
