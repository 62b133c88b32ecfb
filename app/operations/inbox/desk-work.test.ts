import { randomUUID } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTenantDirectory, type LoadedTenant } from '@desk/tenant-config'
import { createTestDatabase, type TestDatabase } from '../../../db/testing'
import { attachFiles, attachmentResponse } from '../attachments/attach-files.server'
import { createUploadReceiver } from '../attachments/receive-uploads.server'
import { fileStoreFor } from '../../../db/file-storage/index.server'
import { FILE_STORAGE_KINDS } from '../../../db/file-storage/store'
import { storeInspector } from '../../../db/file-storage/testing'
import { addInternalNote, postMessage } from '../dialogue/dialogue.server'
import { mailCityNotifications } from '../dialogue/notification-mail.server'
import { recordAttachmentDownload } from '../proposals/audit-records.server'
import { inProposalTransaction, type RequestActor } from '../proposals/context.server'
import { createProposalDraft } from '../proposals/create-proposal-draft.server'
import { saveProposalDraft } from '../proposals/save-proposal-draft.server'
import { submitProposal } from '../proposals/submit-proposal.server'
import {
  createTestCity,
  createTestProposer,
  readProposerProposalPage,
  readStaffProposalPage,
  type TestCity,
  type TestProposer,
} from '../proposals/testing.server'
import { transitionProposal } from '../proposals/transition-proposal.server'
import { routeProposal } from '../routing/routing.server'
import { notAcceptedReason, recordScreening } from '../screening/screening.server'
import { listThemesForDesk, saveTheme } from '../themes/themes.server'
import { countDeskWork, INBOX_PAGE_SIZE, listDeskInbox } from './desk-inbox.server'
import { listMyProposals, MY_PROPOSALS_PAGE_SIZE, type MyProposalRow } from './my-proposals.server'
import { expectRefusal } from '../../test/operations-world'

let db: TestDatabase
let komatsu: TestCity
let aomori: TestCity
let business: TestProposer
let rival: TestProposer
let configs: Map<string, LoadedTenant>

beforeAll(async () => {
  db = await createTestDatabase()
  const { tenants } = await loadTenantDirectory('tenants')
  configs = new Map(tenants.map((tenant) => [tenant.config.slug, tenant]))
  komatsu = await createTestCity(db.ownerSql, configs.get('komatsu')!)
  aomori = await createTestCity(db.ownerSql, configs.get('aomori')!)
  business = await createTestProposer(db.ownerSql)
  rival = await createTestProposer(db.ownerSql)
})
afterAll(async () => {
  await db?.drop()
})

const answersFor = (city: TestCity, title: string) =>
  city === komatsu
    ? { title, summary: `${title}の概要です。` }
    : { subject: title, content: `${title}の内容です。` }

async function submit(city: TestCity, title: string, proposer = business, now?: Date) {
  const { proposal } = await submitProposal(db.runtimeDb, {
    tenant: city.tenant,
    actor: proposer.actor,
    proposal: {
      organisationId: proposer.organisationId,
      proposalTypeId: 'free',
      trackId: city === aomori ? 'partnership' : undefined,
    },
    idempotencyKey: randomUUID(),
    answers: answersFor(city, title),
    acknowledgedNoteIds: city.tenant.config.notes?.items.map((note) => note.id) ?? [],
    now,
  })
  return proposal
}


const inbox = (city: TestCity, actor = city.desk, filters = {}) =>
  listDeskInbox(db.runtimeDb, { tenant: city.tenant, actor, filters, locale: 'ja' })

describe('the desk inbox', () => {
  it('lists only its own city, searches Japanese text, filters, pages and flags overdue early answers', async () => {
    const old = new Date(Date.now() - 90 * 86_400_000)
    const late = await submit(komatsu, '雪かきロボットの実証', business, old)
    await submit(komatsu, '図書館の電子化')
    const elsewhere = await submit(aomori, '雪かきロボットの実証')

    const all = await inbox(komatsu)
    expect(all.rows.map((row) => row.id)).not.toContain(elsewhere.id)
    expect(all.rows.every((row) => row.organisationName === 'Test corporation')).toBe(true)

    const found = await inbox(komatsu, komatsu.desk, { q: 'ロボット' })
    expect(found.rows.map((row) => row.id)).toEqual([late.id])
    // Content, not only the title, and several words (full-width space) must all match.
    expect((await inbox(komatsu, komatsu.desk, { q: '電子化の概要' })).total).toBe(1)
    expect((await inbox(komatsu, komatsu.desk, { q: '図書館　ロボット' })).total).toBe(0)
    expect((await inbox(komatsu, komatsu.desk, { q: '100%' })).total).toBe(0)

    const overdue = await inbox(komatsu, komatsu.desk, { overdueOnly: true })
    expect(overdue.rows.map((row) => [row.id, row.overdue])).toEqual([[late.id, true]])
    expect((await inbox(komatsu, komatsu.desk, { olderThanDays: 60 })).rows.map((row) => row.id)).toEqual([
      late.id,
    ])
    expect((await inbox(komatsu, komatsu.desk, { sort: 'oldest' })).rows[0]!.id).toBe(late.id)
    expect((await inbox(komatsu, komatsu.desk, { state: late.state })).total).toBe(all.total)
    expect((await inbox(komatsu, komatsu.desk, { state: 'no-such-state' })).total).toBe(0)
    expect(all.rows[0]!.stepLabel).not.toBe(all.rows[0]!.state)

    expect(INBOX_PAGE_SIZE).toBe(50)
    for (let index = 0; index <= INBOX_PAGE_SIZE; index += 1) await submit(komatsu, `ページング ${index}`)
    const first = await inbox(komatsu, komatsu.desk, { q: 'ページング' })
    expect([first.total, first.pageCount, first.rows.length]).toEqual([51, 2, 50])
    const second = await inbox(komatsu, komatsu.desk, { q: 'ページング', page: 2 })
    expect([second.total, second.pageCount, second.rows.length]).toEqual([51, 2, 1])
  })

  it('finds a proposal by its organisation’s name and by any width or case of a word (NFKC)', async () => {
    const hokuriku = await createTestProposer(db.ownerSql)
    await db.ownerSql`UPDATE organisations SET name = '株式会社ＵＸテスト北陸' WHERE id = ${hokuriku.organisationId}`
    const gps = await submit(komatsu, 'GPS 除雪車の運行管理', hokuriku)
    const ids = async (q: string) => (await inbox(komatsu, komatsu.desk, { q })).rows.map((row) => row.id)
    expect(await ids('北陸')).toEqual([gps.id])
    expect(await ids('株式会社UXテスト北陸')).toEqual([gps.id])
    expect(await ids('uxテスト 除雪車')).toEqual([gps.id])
    expect(await ids('ＧＰＳ')).toEqual([gps.id])
    expect(await ids('ｇｐｓ')).toEqual([gps.id])
    expect(await ids('gps')).toEqual([gps.id])
    expect(await ids(gps.referenceCode!)).toEqual([gps.id])
    // Typed in full-width lower case: 「ｋｍｔ－…」.
    const fullWidth = gps
      .referenceCode!.toLowerCase()
      .replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
    expect(await ids(fullWidth)).toEqual([gps.id])
    // Another city's staff never find it, even by the organisation.
    expect((await inbox(aomori, aomori.desk, { q: '北陸' })).total).toBe(0)
  })

  it('counts what waits for each side: the proposals at a step of its lane, as the inbox lists them', async () => {
    const proposal = await submit(komatsu, '待ち件数の確認')
    const track = komatsu.tenant.config.tracks.find((candidate) => candidate.id === proposal.track)!
    const lane = track.steps.find((step) => step.id === proposal.state)!.lane
    const counts = async (side: 'desk' | 'department', actor = komatsu.desk) =>
      inProposalTransaction(db.runtimeDb, komatsu.tenant, actor, (tx) =>
        countDeskWork(tx, { tenant: komatsu.tenant, side }),
      )
    const waiting = await inbox(komatsu, komatsu.desk, { waitingOnly: true })
    expect(waiting.rows.some((row) => row.id === proposal.id)).toBe(lane === 'desk')
    expect((await counts('desk')).waiting).toBe(waiting.total)
    expect(waiting.total).toBeGreaterThan(0)
    // A department that nothing was routed to has nothing waiting.
    const department = Object.values(komatsu.department)[0]!
    expect(await counts('department', department)).toEqual({ waiting: 0, overdue: 0 })
  })

  it('is the department view: a department sees only proposals routed to it, after routing', async () => {
    const proposal = await submit(komatsu, '観光案内のAI化')
    const [departmentKey, otherKey] = komatsu.tenant.config.departments.map((department) => department.id)
    const department = komatsu.department[departmentKey!]!
    expect((await inbox(komatsu, department)).rows.map((row) => row.id)).not.toContain(proposal.id)

    await expectRefusal(
      routeProposal(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: department,
        proposalId: proposal.id,
        departmentKeys: [departmentKey!],
      }),
      // Not routed yet: to the department the proposal does not exist.
      'not_found',
    )
    await expectRefusal(
      routeProposal(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: komatsu.desk,
        proposalId: proposal.id,
        departmentKeys: ['nowhere'],
      }),
      'invalid_input',
    )
    const { added } = await routeProposal(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: proposal.id,
      departmentKeys: [departmentKey!],
    })
    expect(added).toEqual([departmentKey])
    expect((await inbox(komatsu, department)).rows.map((row) => row.id)).toEqual([proposal.id])
    expect(
      (await inbox(komatsu, komatsu.desk, { department: departmentKey })).rows.map((row) => row.id),
    ).toEqual([proposal.id])
    expect((await inbox(komatsu, komatsu.department[otherKey!]!)).rows.map((row) => row.id)).not.toContain(
      proposal.id,
    )
    const [notice] = await db.adminSql`
      SELECT kind FROM notification_outbox WHERE recipient_user_id = ${department.userId} AND payload->>'proposalId' = ${proposal.id}`
    expect(notice).toMatchObject({ kind: 'proposal.routed' })

    // The routing form's change is a step of the city's timeline (internal: the proposer never sees it), once.
    await routeProposal(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: proposal.id,
      departmentKeys: [departmentKey!],
    })
    const history = async (actor: RequestActor) => {
      const options = { tenant: komatsu.tenant, actor, proposalId: proposal.id, locale: 'ja' }
      return actor.kind === 'staff'
        ? (await readStaffProposalPage(db.runtimeDb, options)).view.history
        : (await readProposerProposalPage(db.runtimeDb, options)).status.history
    }
    const routings = (await history(komatsu.desk)).filter(
      (entry) => entry.transition === 'departments_routed',
    )
    expect(routings).toMatchObject([
      { internal: true, payload: { departments: [departmentKey] }, from: proposal.state, to: proposal.state },
    ])
    expect((await history(business.actor)).map((entry) => entry.transition)).not.toContain(
      'departments_routed',
    )
  })

  it('shows a pre-consultation request to the desk before submission, and the desk answers it', async () => {
    const { proposal: draft } = await createProposalDraft(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: business.actor,
      proposal: { organisationId: business.organisationId, proposalTypeId: 'free', trackId: 'partnership' },
      answers: answersFor(aomori, '事前相談したい企画'),
    })
    expect((await inbox(aomori)).rows.map((row) => row.id)).not.toContain(draft.id)
    const { proposal: asked } = await transitionProposal(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: business.actor,
      proposalId: draft.id,
      transitionId: 'request_pre_consultation',
      input: {},
      expectedVersion: draft.version,
    })
    const row = (await inbox(aomori)).rows.find((candidate) => candidate.id === draft.id)
    expect(row).toMatchObject({ state: 'pre_consultation', submittedAt: null })
    expect(row!.sharedWithCityAt).toBeInstanceOf(Date)
    // Not routed: departments still do not see it.
    for (const department of Object.values(aomori.department)) {
      expect((await inbox(aomori, department)).rows.map((candidate) => candidate.id)).not.toContain(draft.id)
    }
    await postMessage(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: aomori.desk,
      proposalId: draft.id,
      body: '来週お話を伺います。',
    })
    const { proposal: back } = await transitionProposal(db.runtimeDb, {
      tenant: aomori.tenant,
      actor: aomori.desk,
      proposalId: draft.id,
      transitionId: 'end_pre_consultation',
      input: {},
      expectedVersion: asked.version,
    })
    expect(back.state).toBe('planning')
  })
})

describe('screening', () => {
  it('keeps one record per criterion, updates it, and words the "not accepted" answer from the failing criterion', async () => {
    const proposal = await submit(komatsu, '宣伝だけの提案')
    const criteria = komatsu.tenant.config.eligibility.criteria.map((criterion) => criterion.id)
    const failing = komatsu.tenant.config.eligibility.criteria.find(
      (criterion) => criterion.decidedBy !== 'platform',
    )!
    const screen = (judgement: 'pass' | 'fail', note: string) =>
      recordScreening(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: komatsu.desk,
        proposalId: proposal.id,
        judgements: criteria.map((criterionId) => ({
          criterionId,
          judgement: criterionId === failing.id ? judgement : 'pass',
          note: criterionId === failing.id ? note : '',
        })),
      })
    await screen('pass', '')
    await screen('fail', '広告のみが目的と判断')
    const { screening } = await readStaffProposalPage(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: proposal.id,
      locale: 'ja',
    })
    expect(Object.keys(screening).sort()).toEqual([...criteria].sort())
    expect(screening[failing.id]).toEqual({ judgement: 'fail', note: '広告のみが目的と判断' })
    const [{ rows }] = (await db.adminSql`
      SELECT count(*)::int AS rows FROM eligibility_screenings WHERE proposal_id = ${proposal.id}`) as [
      { rows: number },
    ]
    expect(rows).toBe(criteria.length)

    await expectRefusal(
      recordScreening(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: komatsu.desk,
        proposalId: proposal.id,
        judgements: [{ criterionId: 'made_up', judgement: 'fail', note: '' }],
      }),
      'invalid_input',
    )
    const department = Object.values(komatsu.department)[0]!
    await expectRefusal(
      recordScreening(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: department,
        proposalId: proposal.id,
        judgements: [],
      }),
      // Not routed: the department cannot even see it.
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

    const reason = notAcceptedReason(komatsu.tenant.config, screening, 'ja')
    expect(reason).toContain(failing.text.ja)
    expect(reason).toContain('広告のみが目的と判断')
    const { proposal: answered } = await transitionProposal(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: proposal.id,
      transitionId: 'not_accept',
      input: { reason },
      expectedVersion: proposal.version,
    })
    expect(answered.state).toBe('not_accepted')
  })
})

describe('dialogue', () => {
  it('shows messages to both sides, internal notes to staff only, marks unread, and notifies the other side', async () => {
    const proposal = await submit(komatsu, '対話のテスト')
    const departmentKey = komatsu.tenant.config.departments[0]!.id
    const department = komatsu.department[departmentKey]!
    await routeProposal(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: proposal.id,
      departmentKeys: [departmentKey],
    })
    await addInternalNote(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: proposal.id,
      body: '内部メモ：予算要確認',
    })
    await postMessage(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: department,
      proposalId: proposal.id,
      body: '担当課から質問です。',
    })

    // Every page, in turn: together they hold each proposal once.
    const mine: MyProposalRow[] = []
    for (let page = 1; ; page++) {
      const { rows, total } = await listMyProposals(db.runtimeDb, {
        userId: business.actor.userId,
        configOf: (slug) => configs.get(slug)?.config,
        locale: 'ja',
        page,
      })
      expect(rows.length).toBeLessThanOrEqual(MY_PROPOSALS_PAGE_SIZE)
      mine.push(...rows)
      if (rows.length < MY_PROPOSALS_PAGE_SIZE) {
        expect(mine).toHaveLength(total)
        break
      }
    }
    expect(new Set(mine.map((row) => row.id)).size).toBe(mine.length)
    expect(mine.find((row) => row.id === proposal.id)).toMatchObject({
      unread: 1,
      citySlug: 'komatsu',
      isDraft: false,
    })
    expect(mine.some((row) => row.citySlug === 'aomori')).toBe(true)
    // "Next stage" is the way forward: never a refusal or a withdrawal (受付不可, 回答受領（不可の場合）).
    const setbacks = [...configs.values()].flatMap(({ config }) =>
      config.tracks.flatMap((track) =>
        track.steps
          .filter(
            (step) => step.terminal && ['declined', 'not_accepted', 'withdrawn'].includes(step.outcome ?? ''),
          )
          .map((step) => step.label.ja),
      ),
    )
    expect(setbacks).toContain('受付不可')
    for (const row of mine) {
      for (const next of row.nextSteps) expect(setbacks).not.toContain(next)
    }

    const proposerThread = async () =>
      (
        await readProposerProposalPage(db.runtimeDb, {
          tenant: komatsu.tenant,
          actor: business.actor,
          proposalId: proposal.id,
          locale: 'ja',
        })
      ).thread
    const seen = await proposerThread()
    expect(seen.map((entry) => [entry.kind, entry.body, entry.unread])).toEqual([
      ['message', '担当課から質問です。', true],
    ])
    const again = await proposerThread()
    expect(again[0]!.unread).toBe(false)

    await postMessage(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: business.actor,
      proposalId: proposal.id,
      body: 'お答えします。',
    })
    const { thread: staffView } = await readStaffProposalPage(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: proposal.id,
      locale: 'ja',
    })
    expect(staffView.map((entry) => entry.kind)).toEqual(['note', 'message', 'message'])
    expect(staffView.filter((entry) => entry.unread).map((entry) => entry.body)).toEqual(['お答えします。'])
    expect((await inbox(komatsu, department)).rows[0]).toMatchObject({ id: proposal.id, unread: 1 })

    const notices = await db.adminSql`
      SELECT recipient_user_id, kind, locale FROM notification_outbox
       WHERE kind = 'message.received' AND payload->>'proposalId' = ${proposal.id}`
    expect(notices.map((notice) => notice.recipient_user_id)).toEqual(
      expect.arrayContaining([business.actor.userId, komatsu.desk.userId, komatsu.deskAdmin.userId]),
    )

    // The outbox becomes mail in each recipient's language, once.
    await db.ownerSql`UPDATE notification_outbox SET locale = 'en' WHERE recipient_user_id = ${business.actor.userId}`
    const mail = () =>
      mailCityNotifications(db.runtimeDb, {
        tenant: komatsu.tenant,
        origin: 'https://desk.example',
        cityName: () => 'City',
      })
    let mailed = 0
    // Batches until the outbox is empty: every row is marked sent as its mail is queued.
    for (let batch = await mail(); batch > 0; batch = await mail()) mailed += batch
    expect(mailed).toBeGreaterThan(0)
    const [toBusiness] = await db.adminSql`
      SELECT subject, text_body FROM mail_outbox
       WHERE to_address = (SELECT email FROM users WHERE id = ${business.actor.userId}) AND kind = 'proposal_notification'
         AND subject LIKE '%message%'`
    expect(toBusiness!.subject).toBe(`[City] New message on ${proposal.referenceCode}`)
    expect(toBusiness!.text_body).toContain(`https://desk.example/proposals/komatsu/${proposal.id}`)
    const [toDesk] = await db.adminSql`
      SELECT subject, text_body FROM mail_outbox
       WHERE to_address = (SELECT email FROM users WHERE id = ${komatsu.desk.userId}) AND kind = 'proposal_notification'
         AND subject LIKE '%メッセージ%'`
    expect(toDesk!.subject).toBe(`【City】${proposal.referenceCode} に新しいメッセージがあります`)
    expect(toDesk!.text_body).toContain(`https://desk.example/komatsu/desk/proposals/${proposal.id}`)

    await expectRefusal(
      addInternalNote(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: business.actor,
        proposalId: proposal.id,
        body: 'x',
      }),
      'forbidden',
    )
    await expectRefusal(
      postMessage(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: business.actor,
        proposalId: proposal.id,
        body: 'あ'.repeat(5001),
      }),
      'invalid_input',
    )
    await expectRefusal(
      readProposerProposalPage(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: rival.actor,
        proposalId: proposal.id,
        locale: 'ja',
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
  })
})

describe.each(FILE_STORAGE_KINDS)('attachments (%s store)', (kind) => {
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20)])
  const limits = { allowedMimeTypes: ['application/pdf', 'image/png'], maxBytes: 4096, maxFiles: 2 }

  const storeIn = (dataDir: string) => fileStoreFor({ FILE_STORAGE: kind, DATA_DIR: dataDir }, db.runtimeDb)

  async function upload(dataDir: string, files: { name: string; bytes: Buffer }[]) {
    const form = new FormData()
    form.set('note', 'hello')
    for (const file of files) form.append('documents', new Blob([new Uint8Array(file.bytes)]), file.name)
    const request = new Request('http://localhost/upload', { method: 'POST', body: form })
    const receiver = createUploadReceiver({
      files: storeIn(dataDir),
      tenantFor: () => komatsu.tenant.id,
      limitsFor: (field) => (field === 'documents' ? limits : undefined),
    })
    const data = await receiver.parseForm(request)
    return { receiver, data }
  }

  it('streams accepted files to storage under server-made names, refuses disguised, over-size and extra files, leaving nothing', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'desk-uploads-'))
    const { receiver, data } = await upload(dataDir, [
      { name: '../../提案書.pdf', bytes: pdf },
      { name: 'invoice.pdf', bytes: Buffer.from('MZ\x90\x00 this is an executable') },
      { name: 'big.pdf', bytes: Buffer.concat([pdf, Buffer.alloc(5000)]) },
      { name: 'second.pdf', bytes: pdf },
      { name: 'third.pdf', bytes: pdf },
    ])
    expect(data.get('note')).toBe('hello')
    const stored = receiver.filesFor('documents')
    expect(stored.map((file) => [file.originalName, file.mime, file.size])).toEqual([
      ['提案書.pdf', 'application/pdf', pdf.length],
      ['second.pdf', 'application/pdf', pdf.length],
    ])
    expect(receiver.refusals().map((refusal) => [refusal.originalName, refusal.reason])).toEqual([
      ['invoice.pdf', 'wrong_type'],
      ['big.pdf', 'too_large'],
      ['third.pdf', 'too_many'],
    ])
    const storage = storeInspector(kind, { dataDir, ownerSql: db.ownerSql })
    expect(await storage.names()).toEqual(stored.map((file) => file.storedName).sort())
    const content = await storeIn(dataDir).open({ tenantId: komatsu.tenant.id, storedName: stored[0]!.storedName })
    expect(Buffer.concat(await content!.toArray())).toEqual(pdf)
    // A forged text field cannot name a stored file: the form carries only empty file entries named by
    // opaque tokens, never text (so no refusal echoes them back as an answer).
    expect(data.getAll('documents').every((value) => value instanceof File && value.size === 0)).toBe(true)

    const proposal = await submit(komatsu, '添付のテスト')
    await inProposalTransaction(db.runtimeDb, komatsu.tenant, business.actor, (tx) =>
      attachFiles(tx, komatsu.tenant, business.actor, { proposalId: proposal.id }, stored),
    )
    const [first] = await db.adminSql`SELECT id FROM attachments WHERE stored_name = ${stored[0]!.storedName}`
    const download = await recordAttachmentDownload(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      attachmentId: first!.id,
    })
    expect(download.originalName).toBe('提案書.pdf')
    await expectRefusal(
      recordAttachmentDownload(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: rival.actor,
        attachmentId: first!.id,
      }),
      'not_found',
    )

    // Served as an attachment under its original name, never sniffed, streamed from storage.
    const response = await attachmentResponse(storeIn(dataDir), komatsu.tenant.id, download)
    expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; /)
    expect(response.headers.get('Content-Disposition')).toContain(encodeURIComponent('提案書.pdf'))
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(pdf)
    const { files } = await readProposerProposalPage(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: business.actor,
      proposalId: proposal.id,
      locale: 'ja',
    })
    expect(files.map((file) => file.name).sort()).toEqual(['second.pdf', '提案書.pdf'])

    await receiver.discard()
    expect(await storage.names()).toEqual([])
  })
})

describe('drafts and themes', () => {
  it('saves a draft to come back to, refusing a stale save', async () => {
    const { proposal: draft } = await createProposalDraft(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: business.actor,
      proposal: { organisationId: business.organisationId, proposalTypeId: 'free' },
    })
    const save = (expectedVersion: number, title: string) =>
      saveProposalDraft(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: business.actor,
        draftId: draft.id,
        expectedVersion,
        answers: { title },
      })
    const { proposal: saved } = await save(draft.version, '途中まで')
    expect([saved.title, saved.version]).toEqual(['途中まで', draft.version + 1])
    await expectRefusal(save(draft.version, '古い画面から'), 'conflict')
    await expectRefusal(
      saveProposalDraft(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: rival.actor,
        draftId: draft.id,
        expectedVersion: saved.version,
        answers: {},
      }),
      'not_found',
    )
  })

  it('lets the desk create, open and close themes, and no one else', async () => {
    const input = {
      titleJa: '空き家の活用',
      titleEn: 'Use of vacant houses',
      backgroundJa: '空き家が増えています。',
      backgroundEn: '',
      expectedOutcomeJa: '',
      expectedOutcomeEn: '',
      departmentKey: komatsu.tenant.config.departments[0]!.id,
      deadline: '2027-03-31',
    }
    const { themeId } = await saveTheme(db.runtimeDb, { tenant: komatsu.tenant, actor: komatsu.desk, input })
    await saveTheme(db.runtimeDb, { tenant: komatsu.tenant, actor: komatsu.desk, themeId, status: 'open' })
    const { themes: listed } = await listThemesForDesk(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      page: 1,
    })
    expect(listed.find((theme) => theme.id === themeId)).toMatchObject({
      status: 'open',
      departmentKey: input.departmentKey,
    })
    await saveTheme(db.runtimeDb, { tenant: komatsu.tenant, actor: komatsu.desk, themeId, status: 'closed' })
    await expectRefusal(
      saveTheme(db.runtimeDb, {
        tenant: komatsu.tenant,
        actor: Object.values(komatsu.department)[0]!,
        themeId,
        status: 'open',
      }),
      'forbidden',
    )
    await expectRefusal(
      saveTheme(db.runtimeDb, { tenant: aomori.tenant, actor: aomori.desk, themeId, status: 'open' }),
      'not_found',
    )
    // A proposal cannot answer a theme of another city.
    await expectRefusal(
      createProposalDraft(db.runtimeDb, {
        tenant: aomori.tenant,
        actor: business.actor,
        proposal: {
          organisationId: business.organisationId,
          proposalTypeId: 'issue',
          trackId: 'partnership',
          themeId,
        },
      }),
      'invalid_input',
    )
  })
})
