import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { experimentChecklist } from '@desk/tenant-config'
import type { TransitionInput } from '@desk/workflow'
import { withTenant } from '../../../db/tenant-context'
import { recordAgreement } from '../agreements/agreements.server'
import type { ReceivedFile } from '../attachments/receive-uploads.server'
import {
  decideDisclosure,
  giveDisclosureOpinion,
  readDisclosureRequests,
  recordDisclosureRequest,
} from '../disclosure/disclosure.server'
import type { RequestActor } from '../proposals/context.server'
import {
  readProposerProposalPage,
  readStaffProposalPage,
  submitTestProposal,
  type TestCity,
} from '../proposals/testing.server'
import { transitionProposal } from '../proposals/transition-proposal.server'
import {
  acknowledgeCostRule,
  readExperiment,
  receiveReport,
  recordPermit,
  saveChecklistItem,
  saveExperimentDetails,
  submitReport,
} from './experiments.server'
import { expectRefusal } from '../../test/operations-world'
import {
  business,
  db,
  firstCity as komatsu,
  rival,
  secondCity as aomori,
  shareTwoCityWorld,
} from '../../test/two-city-world'

shareTwoCityWorld('komatsu', 'aomori')

const storedFile = (field: string, originalName: string): ReceivedFile => ({
  field,
  storedName: randomUUID(),
  originalName,
  mime: 'application/pdf',
  size: 2048,
  sha256: 'ef'.repeat(32),
})

/** An Aomori experiment-track proposal walked to its business agreement, concluded by the desk. */
async function agreedExperiment(): Promise<string> {
  const proposal = await submitTestProposal(db.runtimeDb, {
    city: aomori,
    proposer: business,
    trackId: 'experiment',
    answers: { subject: 'AIオンデマンド交通', content: '郊外でAIオンデマンド交通を実証します。' },
  })
  const economy = aomori.department.economy!
  let version = proposal.version
  const steps: [RequestActor, string, TransitionInput?][] = [
    [aomori.desk, 'start_dialogue', { departments: ['economy'] }],
    [aomori.desk, 'send_for_review'],
    [economy, 'review_done'],
    [
      economy,
      'decide_agreement',
      { decision: { grounds: '地域交通の課題解決に資する。' }, collaborationMethod: 'business_agreement' },
    ],
  ]
  for (const [actor, transitionId, input] of steps) {
    version = (
      await transitionProposal(db.runtimeDb, {
        tenant: aomori.tenant,
        actor,
        proposalId: proposal.id,
        transitionId,
        input: input ?? {},
        expectedVersion: version,
      })
    ).proposal.version
  }
  const concluded = await recordAgreement(db.runtimeDb, {
    tenant: aomori.tenant,
    actor: aomori.desk,
    proposalId: proposal.id,
    input: { agreementKind: 'business', parties: ['青森市', 'テスト株式会社'], concludedOn: '2026-05-01' },
    document: storedFile('document', 'agreement.pdf'),
    expectedVersion: version,
  })
  expect(concluded.transitioned).toBe('conclude_agreement')
  return proposal.id
}

async function stateOf(id: string): Promise<string> {
  const [row] = await db.adminSql`SELECT state FROM proposals WHERE id = ${id}`
  return (row as { state: string }).state
}

const read = (actor: RequestActor, proposalId: string, city: TestCity = aomori) =>
  readExperiment(db.runtimeDb, { tenant: city.tenant, actor, proposalId })

/** Rows of `table` the actor's own tenant transaction returns for the proposal. */
async function visibleRows(table: string, actor: RequestActor, city: TestCity, proposalId: string) {
  return withTenant(
    db.runtimeDb,
    { tenantId: city.tenant.id, userId: actor.userId, actor: actor.kind },
    (tx) => tx.execute(`SELECT * FROM ${table} WHERE proposal_id = '${proposalId}'`),
  )
}

describe('demonstration experiments', () => {
  it('takes an Aomori experiment from its agreement through permits, coordination and notice to the report received', async () => {
    const id = await agreedExperiment()
    const economy = aomori.department.economy!
    expect(await stateOf(id)).toBe('use_permits')

    // The checklist is the tenant file's: the listed steps with their lanes, then the proposer's duties.
    const first = await read(business.actor, id)
    const fromFile = experimentChecklist(aomori.tenant.config)
    expect(first.items.map((item) => [item.key, item.lane])).toEqual(
      fromFile.map((entry) => [entry.key, entry.lane]),
    )
    expect(first.items.map((item) => item.key)).toEqual([
      'step:use_permits',
      'step:stakeholder_coordination',
      'step:area_notice',
      'step:experiment',
      'step:report_writing',
      'step:report_received',
      'duty:operation',
      'duty:costs',
      'duty:data_verification',
      'duty:reporting',
    ])
    expect(first.items.filter((item) => item.kind === 'step').map((item) => item.progress)).toEqual([
      'current',
      'upcoming',
      'upcoming',
      'upcoming',
      'upcoming',
      'upcoming',
    ])
    expect(first.items.filter((item) => item.editable).every((item) => item.lane === 'proposer')).toBe(true)
    expect(first.next?.id).toBe('record_permits')

    // The proposer cannot write the city's items; a malformed permit changes nothing.
    await expectRefusal(
      saveChecklistItem(db.runtimeDb, {
        tenant: aomori.tenant,
        actor: business.actor,
        proposalId: id,
        itemKey: 'step:stakeholder_coordination',
        input: { doneOn: '2026-06-10' },
      }),
      'forbidden',
    )
    const permit = {
      kind: '道路使用許可',
      issuedBy: '青森警察署',
      reference: '青警第123号',
      issuedOn: '2026-06-01',
    }
    const bad = await expectRefusal(
      recordPermit(db.runtimeDb, {
        tenant: aomori.tenant,
        actor: business.actor,
        proposalId: id,
        input: { ...permit, issuedOn: '2026-02-30', reference: '' },
      }),
      'invalid_input',
    )
    expect(bad.details.issues?.map((issue) => issue.path[0]).sort()).toEqual(['issuedOn', 'reference'])
    expect((await read(business.actor, id)).permits).toEqual([])

    // Recording the permit takes the track's way out of the permits step.
    const recorded = await recordPermit(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: business.actor,
      proposalId: id,
      input: permit,
    })
    expect(recorded.transitioned).toBe('record_permits')
    expect(await stateOf(id)).toBe('stakeholder_coordination')

    // Coordination is the desk's; its way out requires a note, taken from the item's note.
    const coordination = {
      tenant: aomori.tenant,
      actor: aomori.desk,
      proposalId: id,
      itemKey: 'step:stakeholder_coordination',
    }
    await expectRefusal(
      saveChecklistItem(db.runtimeDb, {
        ...coordination,
        input: { ownerName: '公民連携デスク', doneOn: '2026-06-10' },
      }),
      'missing_requirement',
    )
    expect((await read(aomori.desk, id)).items[1]).toMatchObject({ doneOn: null, ownerName: '' })
    expect(
      await saveChecklistItem(db.runtimeDb, {
        ...coordination,
        input: {
          ownerName: '公民連携デスク',
          doneOn: '2026-06-10',
          note: '町内会と施設管理者の了承を得た。',
        },
      }),
    ).toEqual({ transitioned: 'finish_coordination' })

    // The department gives notice to the area.
    expect(
      await saveChecklistItem(db.runtimeDb, {
        tenant: aomori.tenant,
        actor: economy,
        proposalId: id,
        itemKey: 'step:area_notice',
        input: { ownerName: '経済部', dueOn: '2026-06-15', doneOn: '2026-06-14', note: '回覧板で周知' },
      }),
    ).toEqual({ transitioned: 'notify_area' })

    // The city's part: offers that apply (only the file's), the period, its attendance.
    const details = { tenant: aomori.tenant, actor: aomori.desk, proposalId: id }
    await expectRefusal(
      saveExperimentDetails(db.runtimeDb, { ...details, input: { offers: ['field', 'free_money'] } }),
      'invalid_input',
    )
    await expectRefusal(
      saveExperimentDetails(db.runtimeDb, {
        ...details,
        input: { periodFrom: '2026-07-01', periodUntil: '2026-06-01' },
      }),
      'invalid_input',
    )
    await saveExperimentDetails(db.runtimeDb, {
      ...details,
      input: {
        offers: ['pr', 'field'],
        periodFrom: '2026-07-01',
        periodUntil: '2026-08-31',
        attendedOn: '2026-07-01',
        attendedBy: '公民連携デスク 青森',
      },
    })
    await expectRefusal(
      saveExperimentDetails(db.runtimeDb, { ...details, actor: business.actor, input: { offers: ['base'] } }),
      'forbidden',
    )

    // The proposer's duties and the cost rule, with who and when.
    await saveChecklistItem(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: business.actor,
      proposalId: id,
      itemKey: 'duty:costs',
      input: { doneOn: '2026-07-01', note: '自社負担' },
    })
    await expectRefusal(
      acknowledgeCostRule(db.runtimeDb, { tenant: aomori.tenant, actor: aomori.desk, proposalId: id }),
      'forbidden',
    )
    await acknowledgeCostRule(db.runtimeDb, { tenant: aomori.tenant, actor: business.actor, proposalId: id })

    // The proposer finishes the experiment; the report is handed in, then received by the desk.
    expect(
      await saveChecklistItem(db.runtimeDb, {
        tenant: aomori.tenant,
        actor: business.actor,
        proposalId: id,
        itemKey: 'step:experiment',
        input: { doneOn: '2026-08-31' },
      }),
    ).toEqual({ transitioned: 'finish_experiment' })
    await expectRefusal(
      receiveReport(db.runtimeDb, { ...details, input: { receivedOn: '2026-09-30' } }),
      'invalid_input',
    )
    // The report's steps are kept by the report and its receipt only: ticking them done neither refuses
    // (the way on needs the report) nor records a second "received" that could disagree with the receipt.
    for (const itemKey of ['step:report_writing', 'step:report_received'])
      expect(
        await saveChecklistItem(db.runtimeDb, {
          ...details,
          itemKey,
          input: { doneOn: '2026-09-01', note: '受領済み' },
        }),
      ).toEqual({ transitioned: null })
    const ticked = await read(aomori.desk, id)
    expect(ticked.items.filter((item) => item.recordedWith === 'report').map((item) => item.doneOn)).toEqual([
      null,
      null,
    ])
    expect(await stateOf(id)).toBe('report_writing')
    await expectRefusal(submitReport(db.runtimeDb, { ...details, actor: business.actor }), 'invalid_input')
    await submitReport(db.runtimeDb, {
      ...details,
      actor: business.actor,
      file: storedFile('report', 'report.pdf'),
    })
    await expectRefusal(
      receiveReport(db.runtimeDb, { ...details, actor: economy, input: { receivedOn: '2026-09-30' } }),
      'forbidden',
    )
    expect(await receiveReport(db.runtimeDb, { ...details, input: { receivedOn: '2026-09-30' } })).toEqual({
      transitioned: 'receive_report',
    })
    expect(await stateOf(id)).toBe('report_received')
    // Both report steps are done on the days of their records: handed in (today in Japan), received.
    const received = await read(aomori.desk, id)
    expect(
      received.items.filter((item) => item.recordedWith === 'report').map((item) => item.doneOn),
    ).toEqual([new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date()), '2026-09-30'])

    const done = await read(business.actor, id)
    expect(done.items.filter((item) => item.kind === 'step').every((item) => item.progress === 'done')).toBe(
      true,
    )
    expect(done.permits).toMatchObject([{ ...permit, validUntil: null }])
    expect(done.record).toMatchObject({
      offers: ['field', 'pr'],
      periodFrom: '2026-07-01',
      periodUntil: '2026-08-31',
      attendedOn: '2026-07-01',
      attendedBy: '公民連携デスク 青森',
      costRule: { version: aomori.tenant.configVersion },
      report: { name: 'report.pdf' },
      reportReceivedOn: '2026-09-30',
    })
    expect(done.items.find((item) => item.key === 'duty:costs')).toMatchObject({
      doneOn: '2026-07-01',
      note: '自社負担',
    })
    expect(done.next).toBeNull()

    const {
      status: { history },
    } = await readProposerProposalPage(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: business.actor,
      proposalId: id,
      locale: 'ja',
    })
    expect(history.map((entry) => entry.transition).slice(-6)).toEqual([
      'conclude_agreement',
      'record_permits',
      'finish_coordination',
      'notify_area',
      'finish_experiment',
      'receive_report',
    ])
    const audit = await db.adminSql`
      SELECT action, actor_user_id FROM audit_log WHERE target_id = ${id} AND action LIKE 'experiment.%' ORDER BY at`
    expect(audit.map((row) => row.action)).toEqual(
      expect.arrayContaining([
        'experiment.permit',
        'experiment.checklist',
        'experiment.cost_rule',
        'experiment.report',
        'experiment.receipt',
      ]),
    )
    expect(audit.find((row) => row.action === 'experiment.cost_rule')?.actor_user_id).toBe(
      business.actor.userId,
    )
  })

  it('is read by nobody but the proposing organisation and the city', async () => {
    const id = await agreedExperiment()
    await recordPermit(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: business.actor,
      proposalId: id,
      input: { kind: '公園使用許可', issuedBy: '公園河川課', reference: '第1号', issuedOn: '2026-06-01' },
    })
    await acknowledgeCostRule(db.runtimeDb, { tenant: aomori.tenant, actor: business.actor, proposalId: id })
    await expectRefusal(read(rival.actor, id), 'not_found')
    await expectRefusal(read(komatsu.desk, id, komatsu), 'not_found')
    for (const table of ['experiments', 'experiment_permits', 'experiment_checklist']) {
      expect((await visibleRows(table, rival.actor, aomori, id)).length).toBe(0)
      expect((await visibleRows(table, komatsu.desk, komatsu, id)).length).toBe(0)
    }
    expect((await visibleRows('experiments', business.actor, aomori, id)).length).toBe(1)
    expect((await visibleRows('experiment_permits', aomori.desk, aomori, id)).length).toBe(1)
    // Another organisation cannot tick the proposer's items of someone else's experiment either.
    await expectRefusal(
      saveChecklistItem(db.runtimeDb, {
        tenant: aomori.tenant,
        actor: rival.actor,
        proposalId: id,
        itemKey: 'duty:costs',
        input: { doneOn: '2026-07-01' },
      }),
      'not_found',
    )
  })

  it('is only for proposals of the experiment track', async () => {
    const proposal = await submitTestProposal(db.runtimeDb, {
      city: aomori,
      proposer: business,
      trackId: 'partnership',
      answers: { subject: '公園の活用', content: '公園でイベントを開きます。' },
    })
    // Its experiment page does not exist: an address typed or kept for it is a 404, not a conflict.
    await expectRefusal(read(aomori.desk, proposal.id), 'not_found')
  })
})

describe('public-records disclosure requests', () => {
  it('asks the proposer in the thread, records their opinion and the decision per document, and logs each step', async () => {
    const id = await agreedExperiment()
    const request = {
      receivedOn: '2026-10-01',
      opinionDueOn: '2026-10-15',
      requesterDescription: '市内在住の個人（氏名は台帳参照）',
      documents: ['提案書', '見積書'],
      question:
        '情報公開請求がありました。公にされると正当な利益を害するおそれのある箇所をお知らせください。',
      internalNote: '見積単価は非公開の方向で検討',
    }
    const base = { tenant: aomori.tenant, proposalId: id }
    await expectRefusal(
      recordDisclosureRequest(db.runtimeDb, { ...base, actor: aomori.department.economy!, input: request }),
      'forbidden',
    )
    await expectRefusal(
      recordDisclosureRequest(db.runtimeDb, {
        ...base,
        actor: aomori.desk,
        input: { ...request, documents: [] },
      }),
      'invalid_input',
    )
    const { requestId } = await recordDisclosureRequest(db.runtimeDb, {
      ...base,
      actor: aomori.desk,
      input: request,
    })

    // The proposer sees the request and its documents, and the question in the thread — not who asked.
    const forProposer = await readDisclosureRequests(db.runtimeDb, { ...base, actor: business.actor })
    expect(forProposer.requests).toMatchObject([
      { id: requestId, receivedOn: '2026-10-01', status: 'awaiting_opinion', internal: null },
    ])
    expect(forProposer.requests[0]!.documents.map((document) => document.title)).toEqual(['提案書', '見積書'])
    expect(JSON.stringify(forProposer)).not.toContain('市内在住')
    expect(JSON.stringify(forProposer)).not.toContain('見積単価')
    expect((await visibleRows('disclosure_request_internals', business.actor, aomori, id)).length).toBe(0)
    expect((await visibleRows('disclosure_request_internals', aomori.desk, aomori, id)).length).toBe(1)
    const { thread } = await readProposerProposalPage(db.runtimeDb, {
      ...base,
      actor: business.actor,
      locale: 'ja',
    })
    expect(thread.at(-1)).toMatchObject({ side: 'city', body: request.question })

    // Nobody else reads any of it.
    await expectRefusal(readDisclosureRequests(db.runtimeDb, { ...base, actor: rival.actor }), 'not_found')
    await expectRefusal(
      readDisclosureRequests(db.runtimeDb, { tenant: komatsu.tenant, proposalId: id, actor: komatsu.desk }),
      'not_found',
    )
    for (const table of ['disclosure_requests', 'disclosure_documents', 'disclosure_request_internals']) {
      expect((await visibleRows(table, rival.actor, aomori, id)).length).toBe(0)
      expect((await visibleRows(table, komatsu.deskAdmin, komatsu, id)).length).toBe(0)
    }

    // The proposer answers per document; the answer is recorded and posted to the thread.
    const [proposal, estimate] = forProposer.requests[0]!.documents
    await expectRefusal(
      giveDisclosureOpinion(db.runtimeDb, { ...base, actor: business.actor, requestId, input: {} }),
      'invalid_input',
    )
    await giveDisclosureOpinion(db.runtimeDb, {
      ...base,
      actor: business.actor,
      requestId,
      input: {
        opinion: '提案書は公開して差し支えありません。',
        documents: { [estimate!.id]: '単価と原価の記載（3頁）は競争上の地位を害します。' },
      },
    })
    const forDesk = await readDisclosureRequests(db.runtimeDb, { ...base, actor: aomori.desk })
    expect(forDesk.requests[0]).toMatchObject({
      status: 'opinion_received',
      opinion: '提案書は公開して差し支えありません。',
      internal: { requesterDescription: request.requesterDescription, internalNote: request.internalNote },
    })
    expect(forDesk.requests[0]!.documents[1]!.proposerOpinion).toContain('単価と原価')
    const { thread: answered } = await readStaffProposalPage(db.runtimeDb, {
      ...base,
      actor: aomori.desk,
      locale: 'ja',
    })
    expect(answered.at(-1)).toMatchObject({ side: 'proposer' })
    expect(answered.at(-1)!.body).toContain('見積書: 単価と原価')

    // The desk decides per document; withholding needs a reason.
    const refused = await expectRefusal(
      decideDisclosure(db.runtimeDb, {
        ...base,
        actor: aomori.desk,
        requestId,
        decisions: [{ documentId: estimate!.id, decision: 'partial' }],
      }),
      'invalid_input',
    )
    expect(refused.details.issues?.[0]?.path).toEqual([estimate!.id, 'reason'])
    expect(
      await decideDisclosure(db.runtimeDb, {
        ...base,
        actor: aomori.desk,
        requestId,
        decisions: [
          { documentId: proposal!.id, decision: 'disclose' },
          {
            documentId: estimate!.id,
            decision: 'partial',
            reason: '単価部分は法人の競争上の地位を害するため',
          },
        ],
      }),
    ).toEqual({ decided: true })
    const decided = await readDisclosureRequests(db.runtimeDb, { ...base, actor: business.actor })
    expect(decided.requests[0]).toMatchObject({ status: 'decided' })
    expect(decided.requests[0]!.documents.map((document) => document.decision)).toEqual([
      'disclose',
      'partial',
    ])

    // Every step is in the proposal's event log (the proposer's too) and in the audit.
    const {
      status: { history },
    } = await readProposerProposalPage(db.runtimeDb, {
      ...base,
      actor: business.actor,
      locale: 'ja',
    })
    const logged = history.filter((entry) => entry.transition.startsWith('disclosure_'))
    expect(logged.map((entry) => entry.transition)).toEqual([
      'disclosure_requested',
      'disclosure_opinion',
      'disclosure_decided',
    ])
    expect(JSON.stringify(logged)).not.toContain('市内在住')
    const audit = await db.adminSql`
      SELECT action FROM audit_log WHERE target_id = ${id} AND action LIKE 'disclosure.%' ORDER BY at`
    expect(audit.map((row) => row.action)).toEqual([
      'disclosure.requested',
      'disclosure.opinion',
      'disclosure.decided',
    ])
  })
})
