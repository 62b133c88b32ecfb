import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import type { TransitionInput } from '@desk/workflow'
import { withTenant } from '../../../db/tenant-context'
import { listPublishedCases, publishedCasesFingerprint } from '~/operations/portal/cases.server'
import type { ReceivedFile } from '../attachments/receive-uploads.server'
import {
  addCaseImage,
  findCaseImage,
  listCasesForDesk,
  publishCase,
  saveCase,
  startCaseFromProposal,
  withdrawCase,
} from '../cases/cases.server'
import {
  addMilestone,
  postProgressNote,
  readImplementation,
  setMilestoneStatus,
} from '../implementation/implementation.server'
import {
  readProposerProposalPage,
  readStaffProposalPage,
  submitTestProposal,
  type TestCity,
} from '../proposals/testing.server'
import { transitionProposal } from '../proposals/transition-proposal.server'
import { readAgreement, recordAgreement } from './agreements.server'
import { type AppError, type AppErrorCode } from '../app-error'
import { expectRefusal } from '../../test/operations-world'
import {
  business,
  db,
  firstCity as komatsu,
  rival,
  secondCity as aomori,
  shareTwoCityWorld,
} from '../../test/two-city-world'
import enAfter from '../../locales/en/after.json'
import jaAfter from '../../locales/ja/after.json'

shareTwoCityWorld('komatsu', 'aomori')

const decision = { grounds: '地域の課題解決につながるため。' }

/** A refusal's issues as the desk's case page shows them: each message a key of the reader's locale file. */
function issuesIn(locale: 'ja' | 'en', refusal: AppError) {
  const messages: unknown = locale === 'ja' ? jaAfter : enAfter
  const resolve = (key: string) =>
    key
      .split('.')
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages)
  return Object.fromEntries(
    (refusal.details.issues ?? []).map((issue) => [issue.path.join('.'), resolve(issue.message)]),
  )
}

/** A first-city proposal walked to "method chosen" with `method`, then as far as `steps` go. */
async function decided(method: string, extra: [TestCity['desk'], string, TransitionInput?][] = []) {
  const proposal = await submitTestProposal(db.runtimeDb, {
    city: komatsu,
    proposer: business,
    answers: { title: '空き店舗の活用', summary: '秘密のアイデア：空き店舗を創業支援の拠点にします。' },
  })
  const economy = komatsu.department.economy!
  let version = proposal.version
  const steps: [TestCity['desk'], string, TransitionInput?][] = [
    [komatsu.desk, 'share_with_departments', { departments: ['economy'] }],
    [economy, 'assess_feasibility'],
    [economy, 'choose_method', { decision, collaborationMethod: method }],
    ...extra,
  ]
  for (const [actor, transitionId, input] of steps) {
    version = (
      await transitionProposal(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor,
        proposalId: proposal.id,
        transitionId,
        input: input ?? {},
        expectedVersion: version,
      })
    ).proposal.version
  }
  return { id: proposal.id, version }
}

/** A stored file as the upload receiver leaves it (the bytes themselves are not read by the operations). */
const storedFile = (field: string, mime: string, originalName: string): ReceivedFile => ({
  field,
  storedName: randomUUID(),
  originalName,
  mime,
  size: 1234,
  sha256: 'ab'.repeat(32),
})

async function proposalRow(id: string) {
  const [row] = await db.adminSql`SELECT state, version FROM proposals WHERE id = ${id}`
  return row as { state: string; version: number }
}

describe('agreements', () => {
  it('records a business agreement with its signed document and concludes it through the workflow', async () => {
    const proposal = await decided('business_agreement', [[komatsu.department.economy!, 'prepare_agreement']])
    const before = await readAgreement(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: proposal.id,
    })
    expect(before.arrangement).toEqual({ arrangement: 'agreement', agreementKinds: ['business'] })
    expect(before.concludingTransition).toEqual({
      id: 'conclude_agreement',
      label: expect.objectContaining({ ja: expect.any(String) }),
    })

    const input = {
      agreementKind: 'business',
      parties: ['小松市', 'テスト株式会社'],
      concludedOn: '2026-04-01',
      validFrom: '2026-04-01',
      validUntil: '2027-03-31',
    }
    // Bad input each changes nothing: another kind, no document, a term ending before it begins, a stale version.
    const attempts: [Parameters<typeof recordAgreement>[1], AppErrorCode][] = [
      [
        {
          tenant: komatsu.tenant,
          actor: komatsu.desk,
          proposalId: proposal.id,
          input: { ...input, agreementKind: 'comprehensive' },
          document: storedFile('document', 'application/pdf', 'a.pdf'),
          expectedVersion: proposal.version,
        },
        'invalid_input',
      ],
      [
        {
          tenant: komatsu.tenant,
          actor: komatsu.desk,
          proposalId: proposal.id,
          input,
          expectedVersion: proposal.version,
        },
        'invalid_input',
      ],
      [
        {
          tenant: komatsu.tenant,
          actor: komatsu.desk,
          proposalId: proposal.id,
          input: { ...input, validUntil: '2026-03-01' },
          document: storedFile('document', 'application/pdf', 'a.pdf'),
          expectedVersion: proposal.version,
        },
        'invalid_input',
      ],
      [
        {
          tenant: komatsu.tenant,
          actor: komatsu.desk,
          proposalId: proposal.id,
          input,
          document: storedFile('document', 'application/pdf', 'a.pdf'),
          expectedVersion: proposal.version - 1,
        },
        'conflict',
      ],
      [
        {
          tenant: komatsu.tenant,
          actor: komatsu.department.economy!,
          proposalId: proposal.id,
          input,
          document: storedFile('document', 'application/pdf', 'a.pdf'),
          expectedVersion: proposal.version,
        },
        'forbidden',
      ],
      [
        {
          tenant: aomori.tenant,
          actor: aomori.desk,
          proposalId: proposal.id,
          input,
          document: storedFile('document', 'application/pdf', 'a.pdf'),
          expectedVersion: proposal.version,
        },
        'not_found',
      ],
    ]
    const refusals = []
    for (const [options, code] of attempts)
      refusals.push(await expectRefusal(recordAgreement(db.runtimeDb, options), code))
    // Each refused field is named in the reader's language, from the locale files (English on the Japanese page on main).
    expect(issuesIn('ja', refusals[0]!)).toEqual({ kind: 'この連携手法の協定の種類から選んでください。' })
    expect(issuesIn('ja', refusals[1]!)).toEqual({ document: '締結した協定書を添付してください。' })
    expect(issuesIn('ja', refusals[2]!)).toEqual({ validUntil: '終了日は開始日以降の日付にしてください。' })
    expect(issuesIn('en', refusals[2]!)).toEqual({ validUntil: 'The end must not be before the start.' })
    expect(await proposalRow(proposal.id)).toMatchObject({ state: 'conclusion', version: proposal.version })
    const [{ n: none }] =
      (await db.adminSql`SELECT count(*)::int AS n FROM agreements WHERE proposal_id = ${proposal.id}`) as unknown as [
        { n: number },
      ]
    expect(none).toBe(0)

    const result = await recordAgreement(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: proposal.id,
      input,
      document: storedFile('document', 'application/pdf', '協定書.pdf'),
      expectedVersion: proposal.version,
    })
    expect(result.transitioned).toBe('conclude_agreement')
    expect(await proposalRow(proposal.id)).toMatchObject({
      state: 'implementation',
      version: proposal.version + 1,
    })

    // The proposer sees what was signed, with the document, and the event in their history.
    const seen = await readAgreement(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: business.actor,
      proposalId: proposal.id,
    })
    expect(seen.agreement).toMatchObject({
      arrangement: 'agreement',
      agreementKind: 'business',
      parties: ['小松市', 'テスト株式会社'],
      concludedOn: '2026-04-01',
      validUntil: '2027-03-31',
      document: { name: '協定書.pdf' },
    })
    const {
      status: { history },
    } = await readProposerProposalPage(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: business.actor,
      proposalId: proposal.id,
      locale: 'ja',
    })
    const concluded = history.find((entry) => entry.transition === 'conclude_agreement')
    expect(concluded?.payload).toMatchObject({ agreement: { kind: 'business', concludedOn: '2026-04-01' } })
    await expectRefusal(
      readAgreement(db.runtimeDb, { tenant: komatsu.tenant, actor: rival.actor, proposalId: proposal.id }),
      'not_found',
    )
    const [{ n: audits }] =
      (await db.adminSql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'agreement.record' AND target_id = ${proposal.id}`) as unknown as [
        { n: number },
      ]
    expect(audits).toBe(1)
  })

  it('records the public call a proposal went to, keeping its history, and collaboration without an agreement', async () => {
    const procurement = await decided('procurement', [[komatsu.department.economy!, 'start_procurement']])
    const noCall = await expectRefusal(
      recordAgreement(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: komatsu.desk,
        proposalId: procurement.id,
        input: { parties: [] },
        expectedVersion: procurement.version,
      }),
      'invalid_input',
    )
    expect(issuesIn('en', noCall)).toEqual({ note: 'Say which public call or procurement it went to.' })
    const recorded = await recordAgreement(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: procurement.id,
      input: { parties: [], concludedOn: '2026-05-01', note: '公募型プロポーザル「空き店舗活用事業」' },
      expectedVersion: procurement.version,
    })
    expect(recorded.transitioned).toBeNull()
    const view = await readAgreement(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: procurement.id,
    })
    expect(view.agreement).toMatchObject({
      arrangement: 'public_call',
      note: '公募型プロポーザル「空き店舗活用事業」',
    })
    const {
      view: { history },
    } = await readStaffProposalPage(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: procurement.id,
      locale: 'ja',
    })
    expect(history.map((entry) => entry.transition)).toEqual(
      expect.arrayContaining(['submit', 'choose_method', 'start_procurement']),
    )

    const other = await decided('other')
    await recordAgreement(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: other.id,
      input: { parties: ['テスト株式会社'], validFrom: '2026-06-01' },
      expectedVersion: other.version,
    })
    expect(
      (
        await readAgreement(db.runtimeDb, {
          tenant: komatsu.tenant,
          actor: business.actor,
          proposalId: other.id,
        })
      ).agreement,
    ).toMatchObject({ arrangement: 'no_agreement', validFrom: '2026-06-01' })

    // A record kept before migration 0029 said 'none': the migration renames it, and it reads as before.
    await db.adminSql`UPDATE agreements SET arrangement = 'none' WHERE proposal_id = ${other.id}`
    await db.adminSql.unsafe(
      await readFile(
        new URL('../../../db/migrations/0029_no_agreement_outcome.sql', import.meta.url),
        'utf8',
      ),
    )
    const [row] = await db.adminSql<{ arrangement: string }[]>`
      SELECT arrangement FROM agreements WHERE proposal_id = ${other.id}`
    expect(row?.arrangement).toBe('no_agreement')
  })
})

describe('accompanied implementation', () => {
  it('milestones with owners and progress notes are shared by both sides and nobody else', async () => {
    const proposal = await decided('other')
    const base = { tenant: komatsu.tenant, proposalId: proposal.id }
    await expectRefusal(
      addMilestone(db.runtimeDb, {
        ...base,
        actor: komatsu.desk,
        input: { title: '', dueOn: '2026-02-30', owner: 'department' },
      }),
      'invalid_input',
    )
    await expectRefusal(
      addMilestone(db.runtimeDb, {
        ...base,
        actor: business.actor,
        input: { title: 'x', dueOn: '2026-07-01', owner: 'desk' },
      }),
      'forbidden',
    )
    const kickOff = await addMilestone(db.runtimeDb, {
      ...base,
      actor: komatsu.desk,
      input: { title: 'キックオフ会議', dueOn: '2026-07-01', owner: 'department', departmentKey: 'economy' },
    })
    await addMilestone(db.runtimeDb, {
      ...base,
      actor: komatsu.department.economy!,
      input: { title: '実施報告', dueOn: '2026-09-30', owner: 'proposer' },
    })
    await setMilestoneStatus(db.runtimeDb, {
      ...base,
      actor: komatsu.department.economy!,
      milestoneId: kickOff,
      status: 'done',
    })
    await expectRefusal(
      setMilestoneStatus(db.runtimeDb, {
        ...base,
        actor: komatsu.desk,
        milestoneId: kickOff,
        status: 'finished',
      }),
      'invalid_input',
    )

    await postProgressNote(db.runtimeDb, {
      ...base,
      actor: business.actor,
      milestoneId: kickOff,
      body: '会議を開催しました。',
    })
    await postProgressNote(db.runtimeDb, { ...base, actor: komatsu.desk, body: '次回は9月です。' })
    await expectRefusal(
      postProgressNote(db.runtimeDb, { ...base, actor: business.actor, body: '   ' }),
      'invalid_input',
    )
    await expectRefusal(
      postProgressNote(db.runtimeDb, { ...base, actor: rival.actor, body: 'のぞき見' }),
      'not_found',
    )

    const forProposer = await readImplementation(db.runtimeDb, { ...base, actor: business.actor })
    expect(forProposer.milestones.map((m) => [m.title, m.owner, m.departmentKey, m.status])).toEqual([
      ['キックオフ会議', 'department', 'economy', 'done'],
      ['実施報告', 'proposer', null, 'planned'],
    ])
    expect(forProposer.notes.map((note) => [note.authorSide, note.body, note.milestoneId])).toEqual([
      ['proposer', '会議を開催しました。', kickOff],
      ['city', '次回は9月です。', null],
    ])
    await expectRefusal(readImplementation(db.runtimeDb, { ...base, actor: rival.actor }), 'not_found')
    await expectRefusal(
      readImplementation(db.runtimeDb, {
        tenant: aomori.tenant,
        actor: aomori.desk,
        proposalId: proposal.id,
      }),
      'not_found',
    )
    // The notes are a record: the runtime role can neither change nor delete them.
    const refused: unknown = await withTenant(
      db.runtimeDb,
      { tenantId: komatsu.tenant.id, userId: komatsu.desk.userId, actor: 'staff' },
      (tx) => tx.execute(`UPDATE implementation_notes SET body = 'changed'` as never),
    ).catch((error: unknown) => error)
    expect(String((refused as { cause?: unknown }).cause)).toMatch(/permission denied/)
  })
})

describe('published cases', () => {
  const asPublic = <T>(fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(db.runtimeDb, { tenantId: komatsu.tenant.id, userId: null, actor: 'public' }, fn)

  it('a draft is never public; published it is; withdrawn it is gone, images included', async () => {
    const proposal = await decided('other')
    const base = { tenant: komatsu.tenant, actor: komatsu.desk }
    await expectRefusal(
      startCaseFromProposal(db.runtimeDb, { ...base, proposalId: proposal.id }),
      'invalid_transition',
    )
    await recordAgreement(db.runtimeDb, {
      ...base,
      proposalId: proposal.id,
      input: { parties: ['テスト株式会社'] },
      expectedVersion: proposal.version,
    })
    expect((await listCasesForDesk(db.runtimeDb, { ...base, page: 1 })).concluded.map((p) => p.id)).toContain(
      proposal.id,
    )
    await expectRefusal(
      startCaseFromProposal(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: komatsu.department.economy!,
        proposalId: proposal.id,
      }),
      'forbidden',
    )
    const caseId = await startCaseFromProposal(db.runtimeDb, { ...base, proposalId: proposal.id })
    const fingerprintBefore = await asPublic(publishedCasesFingerprint)

    // Not publishable until it has its public text; a field outside the tenant file is refused.
    const unpublishable = await expectRefusal(publishCase(db.runtimeDb, { ...base, caseId }), 'invalid_input')
    // Each missing part is named in the reader's language, from the locale files.
    expect(issuesIn('ja', unpublishable)).toMatchObject({
      summaryJa: '公開する前に入力してください。',
      partnerName: '公開する前に入力してください。',
    })
    expect(issuesIn('en', unpublishable)).toMatchObject({ summaryJa: 'Write this before publishing.' })
    for (const message of Object.values(issuesIn('ja', unpublishable)))
      expect(message).toMatch(/[ぁ-んァ-ン一-龯]/)
    const input = {
      titleJa: '空き店舗を活用した創業支援',
      titleEn: 'Start-up support in empty shops',
      summaryJa: '空き店舗を創業支援の拠点にしました。',
      summaryEn: 'Empty shops became start-up bases.',
      resultsJa: '3件の創業',
      resultsEn: 'Three start-ups',
      partnerName: 'テスト株式会社',
      collaborationMethod: 'other',
      agreementKind: null,
      fields: ['industry'],
      startedOn: '2026-04-01',
      endedOn: '2027-03-31',
    }
    const unknownField = await expectRefusal(
      saveCase(db.runtimeDb, { ...base, caseId, input: { ...input, fields: ['space_travel'] } }),
      'invalid_input',
    )
    expect(issuesIn('ja', unknownField)).toEqual({ fields: 'この自治体の分野から選んでください。' })
    const endBeforeStart = await expectRefusal(
      saveCase(db.runtimeDb, { ...base, caseId, input: { ...input, endedOn: '2026-01-01' } }),
      'invalid_input',
    )
    expect(issuesIn('en', endBeforeStart)).toEqual({ endedOn: 'The end must not be before the start.' })
    const tooLong = await expectRefusal(
      saveCase(db.runtimeDb, { ...base, caseId, input: { ...input, titleJa: 'あ'.repeat(201) } }),
      'invalid_input',
    )
    expect(issuesIn('ja', tooLong)).toEqual({ titleJa: '長すぎます。短くしてください。' })
    await saveCase(db.runtimeDb, { ...base, caseId, input })
    await addCaseImage(db.runtimeDb, {
      ...base,
      caseId,
      file: storedFile('image', 'image/png', 'photo.png'),
      altJa: '拠点の外観',
      altEn: 'The base',
    })
    const [image] = await db.adminSql`SELECT id FROM case_images WHERE case_id = ${caseId}`
    expect(await asPublic(listPublishedCases)).toEqual([])
    expect(await asPublic((tx) => findCaseImage(tx, caseId, image!.id as string))).toBeUndefined()
    expect(await asPublic(publishedCasesFingerprint)).toBe(fingerprintBefore)

    await publishCase(db.runtimeDb, { ...base, caseId })
    const published = await asPublic(listPublishedCases)
    expect(published.map((c) => [c.id, c.title.ja, c.partnerName, c.fields])).toEqual([
      [caseId, input.titleJa, 'テスト株式会社', ['industry']],
    ])
    expect(await asPublic((tx) => findCaseImage(tx, caseId, image!.id as string))).toMatchObject({
      mime: 'image/png',
    })
    const fingerprintPublished = await asPublic(publishedCasesFingerprint)
    expect(fingerprintPublished).not.toBe(fingerprintBefore)
    // Another city's public sees nothing of it.
    expect(
      await withTenant(
        db.runtimeDb,
        { tenantId: aomori.tenant.id, userId: null, actor: 'public' },
        listPublishedCases,
      ),
    ).toEqual([])

    await withdrawCase(db.runtimeDb, { ...base, caseId })
    expect(await asPublic(listPublishedCases)).toEqual([])
    expect(await asPublic((tx) => findCaseImage(tx, caseId, image!.id as string))).toBeUndefined()
    expect(await asPublic(publishedCasesFingerprint)).toBe(fingerprintBefore)
    await expectRefusal(withdrawCase(db.runtimeDb, { ...base, caseId }), 'invalid_transition')
    const [{ n: audits }] =
      (await db.adminSql`SELECT count(*)::int AS n FROM audit_log WHERE target_id = ${caseId} AND action IN ('case.publish', 'case.withdraw')`) as unknown as [
        { n: number },
      ]
    expect(audits).toBe(2)
  })
})
