import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTenantDirectory, type LoadedTenant } from '@desk/tenant-config'
import type { TransitionInput } from '@desk/workflow'
import { createTestDatabase, type TestDatabase } from '../../../db/testing'
import { inProposalTransaction, type RequestActor } from './context.server'
import { createProposalDraft } from './create-proposal-draft.server'
import { submitProposal, submitProposalIn } from './submit-proposal.server'
import {
  createOpenTheme,
  createTestCity,
  createTestProposer,
  readProposerProposalPage,
  readStaffProposalPage,
  type TestCity,
  type TestProposer,
} from './testing.server'
import { transitionProposal } from './transition-proposal.server'
import { expectRefusal } from '../../test/operations-world'

let db: TestDatabase
let komatsu: TestCity
let aomori: TestCity
let business: TestProposer
let komatsuTheme: string
let aomoriTheme: string

beforeAll(async () => {
  db = await createTestDatabase()
  const { tenants, problems } = await loadTenantDirectory('tenants')
  expect(problems).toEqual([])
  const bySlug = (slug: string) => tenants.find((tenant) => tenant.config.slug === slug) as LoadedTenant
  komatsu = await createTestCity(db.ownerSql, bySlug('komatsu'))
  aomori = await createTestCity(db.ownerSql, bySlug('aomori'))
  business = await createTestProposer(db.ownerSql)
  komatsuTheme = await createOpenTheme(db.ownerSql, komatsu.tenant.id)
  aomoriTheme = await createOpenTheme(db.ownerSql, aomori.tenant.id)
})
afterAll(async () => {
  await db?.drop()
})

const answersFor = (city: TestCity) =>
  city === komatsu
    ? { title: '空き店舗の活用', summary: '空き店舗を創業支援の拠点にします。' }
    : { subject: 'AIオンデマンド交通', content: '郊外でAIオンデマンド交通を実証します。' }
const allNotes = (city: TestCity) => city.tenant.config.notes?.items.map((note) => note.id) ?? []

async function submitNew(
  city: TestCity,
  proposal: { proposalTypeId: string; trackId?: string; themeId?: string },
  proposer: TestProposer = business,
) {
  const { proposal: submitted } = await submitProposal(db.runtimeDb, {
    tenant: city.tenant,
    actor: proposer.actor,
    proposal: { organisationId: proposer.organisationId, ...proposal },
    idempotencyKey: randomUUID(),
    answers: answersFor(city),
    acknowledgedNoteIds: allNotes(city),
  })
  return submitted
}

/** Takes each step in order, each at the version the previous one left; returns the final state. */
async function walk(
  city: TestCity,
  start: { id: string; version: number },
  steps: [RequestActor, string, TransitionInput?][],
) {
  let version = start.version
  let state = ''
  for (const [actor, transitionId, input] of steps) {
    const { proposal } = await transitionProposal(db.runtimeDb, {
      tenant: city.tenant,
      actor,
      proposalId: start.id,
      transitionId,
      input: input ?? {},
      expectedVersion: version,
    })
    expect(proposal.version).toBe(version + 1)
    version = proposal.version
    state = proposal.state
  }
  return { state, version }
}

/** The proposal as the proposing business sees it on its page. */
async function businessView(city: TestCity, proposalId: string, locale = 'ja') {
  const { status } = await readProposerProposalPage(db.runtimeDb, {
    tenant: city.tenant,
    actor: business.actor,
    proposalId,
    locale,
  })
  return status
}

/** A transition in the first city, without input, at the version given (`extra` overrides either). */
function attempt(
  actor: RequestActor,
  proposal: { id: string; version: number },
  transitionId: string,
  extra = {},
) {
  return transitionProposal(db.runtimeDb, {
    tenant: komatsu.tenant,
    actor,
    proposalId: proposal.id,
    transitionId,
    input: {},
    expectedVersion: proposal.version,
    ...extra,
  })
}

async function snapshot(proposalId: string) {
  const [row] =
    await db.adminSql`SELECT state, version, collaboration_method, updated_at FROM proposals WHERE id = ${proposalId}`
  const [events] =
    await db.adminSql`SELECT count(*)::int AS n FROM proposal_events WHERE proposal_id = ${proposalId}`
  const [audits] = await db.adminSql`SELECT count(*)::int AS n FROM audit_log WHERE target_id = ${proposalId}`
  return { row, events: events!.n as number, audits: audits!.n as number }
}


const decision = { grounds: '地域課題の解決に資するため。' }
const agreement = (kind: string) => ({ kind, parties: ['市', 'テスト株式会社'], concludedOn: '2026-04-01' })

describe('submission', () => {
  it('numbers proposals per city and year and sets the early-answer due date', async () => {
    const now = new Date('2026-05-10T03:00:00Z')
    const first = await submitProposal(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: business.actor,
      proposal: { organisationId: business.organisationId, proposalTypeId: 'free', trackId: 'partnership' },
      idempotencyKey: randomUUID(),
      answers: answersFor(aomori),
      acknowledgedNoteIds: allNotes(aomori),
      now,
    })
    expect(first.proposal.referenceCode).toMatch(/^AMR-2026-\d{4}$/)
    expect(first.proposal.state).toBe('intake')
    expect(first.proposal.title).toBe('AIオンデマンド交通')
    // 30 days after 10 May (Japan time), to the end of that day.
    expect(first.proposal.earlyAnswerDueAt?.toISOString()).toBe('2026-06-09T14:59:59.999Z')
    const [stored] = await db.adminSql`SELECT acknowledgements FROM proposals WHERE id = ${first.proposal.id}`
    expect(stored!.acknowledgements).toMatchObject({
      notes: allNotes(aomori),
      configVersion: aomori.tenant.configVersion,
    })
    const [deskNotice] = await db.adminSql`
      SELECT count(*)::int AS n FROM notification_outbox
       WHERE recipient_user_id = ${aomori.desk.userId} AND kind = 'proposal.submitted' AND payload->>'proposalId' = ${first.proposal.id}`
    expect(deskNotice!.n).toBe(1)
  })

  it('gives concurrent submissions to one city distinct, consecutive reference codes', async () => {
    const codes = await Promise.all(
      Array.from({ length: 5 }, () =>
        submitNew(komatsu, { proposalTypeId: 'free' }).then((p) => p.referenceCode!),
      ),
    )
    expect(new Set(codes).size).toBe(5)
    const numbers = codes.map((code) => Number(code.split('-')[2])).sort((a, b) => a - b)
    expect(numbers).toEqual(Array.from({ length: 5 }, (_, index) => numbers[0]! + index))
    expect(codes.every((code) => /^KMT-\d{4}-\d{4}$/.test(code))).toBe(true)
  })

  it('starts each city and year (Japan time) at 0001, continues after a code written outside a submission, and gives a rolled-back number back', async () => {
    const submitAt = (city: TestCity, now: Date) =>
      submitProposal(db.runtimeDb, {
        tenant: city.tenant,
        actor: business.actor,
        proposal: {
          organisationId: business.organisationId,
          proposalTypeId: 'free',
          ...(city === aomori ? { trackId: 'partnership' } : {}),
        },
        idempotencyKey: randomUUID(),
        answers: answersFor(city),
        acknowledgedNoteIds: allNotes(city),
        now,
      }).then((submitted) => submitted.proposal.referenceCode)
    const march = new Date('2031-03-01T03:00:00Z')
    expect(await submitAt(komatsu, march)).toBe('KMT-2031-0001')
    expect(await submitAt(aomori, march)).toBe('AMR-2031-0001')
    // 1 January 2032, 00:30 in Japan: the city's new year.
    expect(await submitAt(komatsu, new Date('2031-12-31T15:30:00Z'))).toBe('KMT-2032-0001')
    expect(await submitAt(komatsu, march)).toBe('KMT-2031-0002')

    // A code given without a submission (a seed, an imported city) is never given again.
    await db.ownerSql`
      UPDATE proposals SET reference_code = 'KMT-2031-0041'
       WHERE tenant_id = ${komatsu.tenant.id} AND reference_code = 'KMT-2031-0002'`
    expect(await submitAt(komatsu, march)).toBe('KMT-2031-0042')

    // A submission that does not commit leaves no gap.
    await expect(
      inProposalTransaction(db.runtimeDb, komatsu.tenant, business.actor, async (tx) => {
        const { proposal } = await submitProposalIn(tx, {
          tenant: komatsu.tenant,
          actor: business.actor,
          proposal: { organisationId: business.organisationId, proposalTypeId: 'free' },
          idempotencyKey: randomUUID(),
          answers: answersFor(komatsu),
          acknowledgedNoteIds: allNotes(komatsu),
          now: march,
        })
        expect(proposal.referenceCode).toBe('KMT-2031-0043')
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    expect(await submitAt(komatsu, march)).toBe('KMT-2031-0043')
  })

  it('makes one proposal of a double submit with the same idempotency key', async () => {
    const options = {
      tenant: komatsu.tenant,
      actor: business.actor,
      proposal: { organisationId: business.organisationId, proposalTypeId: 'free' },
      idempotencyKey: randomUUID(),
      answers: answersFor(komatsu),
      acknowledgedNoteIds: [],
    }
    const [one, two] = await Promise.all([
      submitProposal(db.runtimeDb, options),
      submitProposal(db.runtimeDb, options),
    ])
    expect(one.proposal.id).toBe(two.proposal.id)
    expect([one.replayed, two.replayed].sort()).toEqual([false, true])
    const retry = await submitProposal(db.runtimeDb, options)
    expect(retry).toMatchObject({
      proposal: { id: one.proposal.id, version: one.proposal.version },
      replayed: true,
    })
    const [count] =
      await db.adminSql`SELECT count(*)::int AS n FROM proposals WHERE idempotency_key = ${options.idempotencyKey}`
    expect(count!.n).toBe(1)
    expect((await snapshot(one.proposal.id)).events).toBe(1)
  })

  it('submits a draft once, even when the submit is retried', async () => {
    const { proposal: draft } = await createProposalDraft(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: business.actor,
      proposal: { organisationId: business.organisationId, proposalTypeId: 'theme', themeId: komatsuTheme },
      answers: { title: '下書き' },
    })
    expect(draft).toMatchObject({ state: 'draft', submittedAt: null, referenceCode: null })
    const options = {
      tenant: komatsu.tenant,
      actor: business.actor,
      proposal: { draftId: draft.id, expectedVersion: draft.version },
      idempotencyKey: randomUUID(),
      answers: answersFor(komatsu),
      acknowledgedNoteIds: [],
    }
    const results = await Promise.all([
      submitProposal(db.runtimeDb, options),
      submitProposal(db.runtimeDb, options),
    ])
    expect(results.map((result) => result.proposal.id)).toEqual([draft.id, draft.id])
    expect((await snapshot(draft.id)).events).toBe(1)
  })

  it('refuses bad answers, missing acknowledgements, an ineligible organisation and a theme proposal without a theme', async () => {
    const base = {
      tenant: aomori.tenant,
      actor: business.actor,
      proposal: { organisationId: business.organisationId, proposalTypeId: 'free', trackId: 'partnership' },
      answers: answersFor(aomori),
      acknowledgedNoteIds: allNotes(aomori),
    }
    const badAnswers = await expectRefusal(
      submitProposal(db.runtimeDb, {
        ...base,
        idempotencyKey: randomUUID(),
        answers: { subject: '' },
      }),
      'invalid_input',
    )
    expect(badAnswers.details.issues?.map((issue) => issue.path[0])).toEqual(
      expect.arrayContaining(['subject', 'content']),
    )
    const unacknowledged = await expectRefusal(
      submitProposal(db.runtimeDb, {
        ...base,
        idempotencyKey: randomUUID(),
        acknowledgedNoteIds: allNotes(aomori).slice(1),
      }),
      'missing_requirement',
    )
    expect(unacknowledged.details.issues).toEqual([
      { path: ['acknowledgedNoteIds', allNotes(aomori)[0]], message: 'must be acknowledged' },
    ])
    const individual = await createTestProposer(db.ownerSql, 'individual')
    const ineligible = await expectRefusal(
      submitProposal(db.runtimeDb, {
        ...base,
        actor: individual.actor,
        proposal: { ...base.proposal, organisationId: individual.organisationId },
        idempotencyKey: randomUUID(),
      }),
      'ineligible',
    )
    expect(ineligible.details.criterionId).toBe('individual')
    expect(ineligible.message).toContain('個人')
    await expectRefusal(submitNew(komatsu, { proposalTypeId: 'theme' }), 'invalid_input')
    await expectRefusal(submitNew(aomori, { proposalTypeId: 'free' }), 'invalid_input') // two tracks: one must be chosen
    const [left] =
      await db.adminSql`SELECT count(*)::int AS n FROM proposals WHERE organisation_id = ${individual.organisationId}`
    expect(left!.n).toBe(0)
  })
})

// Komatsu: who concludes depends on the method (role matrix): the desk leads a
// comprehensive agreement's conclusion, the department a business agreement's.
const komatsuMethods: {
  method: string
  route: (city: TestCity) => [RequestActor, string, TransitionInput?][]
  refused: (city: TestCity) => [RequestActor, string, TransitionInput?]
}[] = [
  {
    method: 'comprehensive_agreement',
    route: (city) => [
      [city.desk, 'prepare_agreement'],
      [city.desk, 'conclude_agreement', { agreement: agreement('comprehensive') }],
    ],
    refused: (city) => [city.department.economy!, 'prepare_agreement'],
  },
  {
    method: 'business_agreement',
    route: (city) => [
      [city.department.economy!, 'prepare_agreement'],
      [city.department.economy!, 'conclude_agreement', { agreement: agreement('business') }],
    ],
    refused: (city) => [city.desk, 'prepare_agreement'],
  },
  {
    method: 'other',
    route: (city) => [[city.department.economy!, 'start_without_agreement']],
    refused: (city) => [city.desk, 'start_without_agreement'],
  },
  {
    method: 'procurement',
    route: (city) => [
      [city.department.economy!, 'start_procurement'],
      [city.department.economy!, 'award_procurement', { note: 'プロポーザル方式で事業者を選定した。' }],
    ],
    refused: (city) => [city.desk, 'start_procurement'],
  },
]

describe('each track of the first city, with each collaboration method', () => {
  for (const track of ['theme', 'free']) {
    for (const { method, route, refused } of komatsuMethods) {
      it(`walks the ${track} track to completion with ${method}`, async () => {
        const proposal = await submitNew(komatsu, {
          proposalTypeId: track,
          ...(track === 'theme' ? { themeId: komatsuTheme } : {}),
        })
        const chosen = await walk(komatsu, proposal, [
          [komatsu.desk, 'share_with_departments', { departments: ['economy'] }],
          [komatsu.department.economy!, 'assess_feasibility'],
          [komatsu.department.economy!, 'choose_method', { decision, collaborationMethod: method }],
        ])
        expect(chosen.state).toBe('method_chosen')

        const [actor, transitionId] = refused(komatsu)
        const before = await snapshot(proposal.id)
        await expectRefusal(
          attempt(actor, { id: proposal.id, version: chosen.version }, transitionId),
          'forbidden',
        )
        expect(await snapshot(proposal.id)).toEqual(before)

        const implemented = await walk(komatsu, { id: proposal.id, version: chosen.version }, route(komatsu))
        expect(implemented.state).toBe('implementation')
        const done = await walk(komatsu, { id: proposal.id, version: implemented.version }, [
          [komatsu.department.economy!, 'complete'],
        ])
        expect(done.state).toBe('completed')
        const [row] =
          await db.adminSql`SELECT collaboration_method, decided_at FROM proposals WHERE id = ${proposal.id}`
        expect(row).toMatchObject({ collaboration_method: method })
        expect(row!.decided_at).not.toBeNull()
      })
    }
  }

  it('answers "not accepted" with a reason the proposer reads and is notified of', async () => {
    const proposal = await submitNew(komatsu, { proposalTypeId: 'free' })
    await expectRefusal(
      transitionProposal(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: komatsu.desk,
        proposalId: proposal.id,
        transitionId: 'not_accept',
        input: { reason: '  ' },
        expectedVersion: proposal.version,
      }),
      'missing_requirement',
    )
    const reason = '営業や広告宣伝のみを目的とするため。'
    await walk(komatsu, proposal, [[komatsu.desk, 'not_accept', { reason }]])
    const status = await businessView(komatsu, proposal.id)
    expect(status).toMatchObject({ stepLabel: '受付不可', outcome: 'not_accepted', transitions: [] })
    expect(status.history.at(-1)).toMatchObject({ transition: 'not_accept', reason, internal: false })
    expect(status.earlyAnswer).toMatchObject({ answered: true, overdue: false })
    const [notice] = await db.adminSql`
      SELECT kind, payload FROM notification_outbox WHERE recipient_user_id = ${business.actor.userId}
         AND payload->>'proposalId' = ${proposal.id} AND kind <> 'proposal.receipt'`
    expect(notice).toMatchObject({
      kind: 'proposal.status_changed',
      payload: { reason, outcome: 'not_accepted' },
    })
  })

  it('lets the proposer withdraw with a reason, tells the desk, and keeps internal remarks to staff', async () => {
    const proposal = await submitNew(komatsu, { proposalTypeId: 'free' })
    const withdraw = (extra: object) =>
      transitionProposal(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: business.actor,
        proposalId: proposal.id,
        transitionId: 'withdraw',
        input: { reason: '社内の体制変更のため。' },
        expectedVersion: proposal.version,
        ...extra,
      })
    await expectRefusal(withdraw({ internalComment: '内部メモ' }), 'forbidden')
    const { proposal: withdrawn, outcome } = await withdraw({})
    expect([withdrawn.state, outcome]).toEqual(['withdrawn', 'withdrawn'])
    const [notice] = await db.adminSql`
      SELECT kind FROM notification_outbox WHERE recipient_user_id = ${komatsu.desk.userId}
         AND payload->>'proposalId' = ${proposal.id} AND payload->>'transition' = 'withdraw'`
    expect(notice).toMatchObject({ kind: 'proposal.status_changed' })
  })
})

describe('the second city', () => {
  it('walks the partnership track with the optional pre-consultation to completion', async () => {
    const { proposal: draft } = await createProposalDraft(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: business.actor,
      proposal: {
        organisationId: business.organisationId,
        proposalTypeId: 'issue',
        trackId: 'partnership',
        themeId: aomoriTheme,
      },
    })
    expect(draft.state).toBe('planning')
    const planned = await walk(aomori, draft, [
      [business.actor, 'request_pre_consultation'],
      [business.actor, 'end_pre_consultation'],
    ])
    expect(planned.state).toBe('planning')
    // The submit transition is the submission itself: it needs the answers and acknowledgements.
    await expectRefusal(
      transitionProposal(db.runtimeDb, {
        tenant: aomori.tenant,
        actor: business.actor,
        proposalId: draft.id,
        transitionId: 'submit',
        input: {},
        expectedVersion: planned.version,
      }),
      'invalid_transition',
    )
    const { proposal } = await submitProposal(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: business.actor,
      proposal: { draftId: draft.id, expectedVersion: planned.version },
      idempotencyKey: randomUUID(),
      answers: answersFor(aomori),
      acknowledgedNoteIds: allNotes(aomori),
    })
    const economy = aomori.department.economy!
    const done = await walk(aomori, proposal, [
      [aomori.desk, 'start_dialogue', { departments: ['economy'] }],
      [aomori.desk, 'send_for_review'],
      [economy, 'review_done'],
      [economy, 'decide_agreement', { decision, collaborationMethod: 'business_agreement' }],
      [aomori.desk, 'conclude_agreement', { agreement: agreement('business') }],
      [business.actor, 'start_implementation'],
      [aomori.desk, 'complete', { note: '事業を完了し、成果を公表した。' }],
    ])
    expect(done.state).toBe('completed')
    const status = await businessView(aomori, proposal.id)
    expect(status.history.map((entry) => entry.transition)).toEqual([
      'request_pre_consultation',
      'end_pre_consultation',
      'submit',
      'start_dialogue',
      'send_for_review',
      'review_done',
      'decide_agreement',
      'conclude_agreement',
      'start_implementation',
      'complete',
    ])
  })

  it('answers early that a proposal cannot go ahead, and keeps routing and remarks from the proposer', async () => {
    const proposal = await submitNew(aomori, { proposalTypeId: 'free', trackId: 'partnership' })
    const reason = '現時点では庁内での実施体制が整わないため。'
    const routed = await walk(aomori, proposal, [
      [aomori.desk, 'start_dialogue', { departments: ['welfare'] }],
    ])
    await transitionProposal(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: aomori.department.welfare!,
      proposalId: proposal.id,
      transitionId: 'answer_early',
      input: { reason },
      expectedVersion: routed.version,
      internalComment: '福祉部長と協議済み',
    })
    const status = await businessView(aomori, proposal.id, 'en')
    expect(status).toMatchObject({ stepLabel: 'Answer received (cannot go ahead)', outcome: 'declined' })
    expect(status.history.map((entry) => [entry.transition, entry.reason])).toEqual([
      ['submit', null],
      ['start_dialogue', null],
      ['answer_early', reason],
    ])
    expect(JSON.stringify(status.history)).not.toMatch(/welfare|福祉部長/)
    const { view: staffView } = await readStaffProposalPage(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: aomori.desk,
      proposalId: proposal.id,
      locale: 'ja',
    })
    // Each step is one entry of the city's timeline, its routing and remarks with it.
    expect(staffView.history.map((entry) => [entry.transition, entry.internal])).toEqual(
      status.history.map((entry) => [entry.transition, false]),
    )
    expect(staffView.history.flatMap((entry) => entry.internalPayload ?? [])).toEqual([
      { departments: ['welfare'] },
      { comment: '福祉部長と協議済み' },
    ])
    expect(staffView.earlyAnswer).toMatchObject({ answered: true, overdue: false })
  })

  it('walks the demonstration-experiment track to "report received"', async () => {
    const proposal = await submitNew(aomori, {
      proposalTypeId: 'issue',
      trackId: 'experiment',
      themeId: aomoriTheme,
    })
    const economy = aomori.department.economy!
    const done = await walk(aomori, proposal, [
      [aomori.desk, 'start_dialogue', { departments: ['economy'] }],
      [aomori.desk, 'send_for_review'],
      [economy, 'review_done'],
      [economy, 'decide_without_agreement', { decision, collaborationMethod: 'without_agreement' }],
      [
        business.actor,
        'record_permits',
        {
          permitRecord: {
            kind: '道路使用許可',
            reference: '青警第123号',
            issuedBy: '警察署',
            issuedOn: '2026-06-01',
          },
        },
      ],
      [aomori.desk, 'finish_coordination', { note: '町内会と施設管理者の了承を得た。' }],
      [economy, 'notify_area'],
      [business.actor, 'finish_experiment'],
      [
        aomori.desk,
        'receive_report',
        { reportFileId: 'report-2026.pdf', receipt: { receivedOn: '2026-09-30' } },
      ],
    ])
    expect(done.state).toBe('report_received')
    const status = await businessView(aomori, proposal.id)
    expect(status).toMatchObject({ stepLabel: '報告書受領', outcome: 'completed' })
  })
})

describe('refusals change nothing', () => {
  async function routedProposal() {
    const proposal = await submitNew(komatsu, { proposalTypeId: 'free' })
    const routed = await walk(komatsu, proposal, [
      [komatsu.desk, 'share_with_departments', { departments: ['economy'] }],
    ])
    return { id: proposal.id, version: routed.version }
  }

  it('an illegal transition, an actor without the right, a stale version, another city', async () => {
    const proposal = await routedProposal()
    const before = await snapshot(proposal.id)
    await expectRefusal(attempt(komatsu.desk, proposal, 'complete'), 'invalid_transition')
    await expectRefusal(attempt(komatsu.desk, proposal, 'no_such_transition'), 'invalid_transition')
    await expectRefusal(attempt(business.actor, proposal, 'assess_feasibility'), 'forbidden')
    const stranger = await createTestProposer(db.ownerSql)
    await expectRefusal(attempt(stranger.actor, proposal, 'withdraw'), 'not_found')
    await expectRefusal(attempt(komatsu.department.education!, proposal, 'assess_feasibility'), 'not_found')
    await expectRefusal(attempt(aomori.desk, proposal, 'assess_feasibility'), 'not_found')
    const stale = await expectRefusal(
      attempt(komatsu.desk, { ...proposal, version: proposal.version - 1 }, 'assess_feasibility'),
      'conflict',
    )
    expect(stale.details.currentVersion).toBe(proposal.version)
    // Another city's proposal id, asked for in this city's context: not found, not forbidden.
    await expectRefusal(
      transitionProposal(db.runtimeDb, {
        tenant: aomori.tenant,
        actor: aomori.desk,
        proposalId: proposal.id,
        transitionId: 'start_dialogue',
        input: { departments: ['economy'] },
        expectedVersion: proposal.version,
      }),
      'not_found',
    )
    await expectRefusal(
      readStaffProposalPage(db.runtimeDb, {
        tenant: aomori.tenant,
        actor: aomori.desk,
        proposalId: proposal.id,
        locale: 'ja',
      }),
      'not_found',
    )
    expect(await snapshot(proposal.id)).toEqual(before)
  })

  it('two concurrent transitions on one proposal: exactly one succeeds, the other is a conflict', async () => {
    const proposal = await routedProposal()
    const results = await Promise.allSettled([
      attempt(komatsu.desk, proposal, 'assess_feasibility'),
      attempt(komatsu.department.economy!, proposal, 'decline', {
        input: { reason: '予算の確保が難しいため。' },
      }),
    ])
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
    const [rejected] = results.filter((result) => result.status === 'rejected')
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' })
    const after = await snapshot(proposal.id)
    expect(after.row!.version).toBe(proposal.version + 1)
    // submit, routing (visible + internal), and the one transition that won.
    expect(after.events).toBe(4)
  })

  it('the runtime role cannot alter the event log or the audit log', async () => {
    const proposal = await routedProposal()
    await readStaffProposalPage(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: proposal.id,
      locale: 'ja',
    })
    const before = await snapshot(proposal.id)
    expect(before.audits).toBe(3) // submit, routing, the read
    for (const statement of [
      `UPDATE proposal_events SET reason = 'rewritten'`,
      `DELETE FROM proposal_events`,
      `UPDATE audit_log SET action = 'rewritten'`,
      `DELETE FROM audit_log`,
      `TRUNCATE audit_log`,
    ]) {
      const error = await db.runtimeSql
        .begin(async (sql) => {
          await sql`select app_set_context(${komatsu.tenant.id}::uuid, ${komatsu.deskAdmin.userId}::uuid, 'staff')`
          await sql.unsafe(statement)
        })
        .then(
          () => undefined,
          (caught: { code?: string }) => caught,
        )
      expect(error, statement).toMatchObject({ code: '42501' })
    }
    expect(await snapshot(proposal.id)).toEqual(before)
  })
})
