import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../db/testing'
import {
  createTestCitiesAndProposers,
  createTestProposer,
  submitTestProposal,
  type TestCity,
  type TestProposer,
} from '../proposals/testing.server'
import { transitionProposal } from '../proposals/transition-proposal.server'
import { tenantText } from '~/utils/tenant-text'
import { postMessage } from './dialogue.server'
import { mailCityNotifications } from './notification-mail.server'

let db: TestDatabase
let komatsu: TestCity
let aomori: TestCity
let business: TestProposer

const ORIGIN = 'https://desk.example'

beforeAll(async () => {
  db = await createTestDatabase()
  const made = await createTestCitiesAndProposers(db.ownerSql)
  komatsu = made.cities.komatsu!
  aomori = made.cities.aomori!
  business = made.business
})
afterAll(async () => {
  await db?.drop()
})

async function mailsTo(userId: string) {
  return db.adminSql<{ subject: string; text_body: string }[]>`
    SELECT subject, text_body FROM mail_outbox
     WHERE to_address = (SELECT email FROM users WHERE id = ${userId}) ORDER BY created_at, subject`
}

async function mailEverything(city: TestCity) {
  const { identity, defaultLocale } = city.tenant.config
  const cityName = (locale: string) => tenantText(identity.name, locale, defaultLocale)
  while ((await mailCityNotifications(db.runtimeDb, { tenant: city.tenant, origin: ORIGIN, cityName })) > 0);
}

describe('proposal mails', () => {
  it('name the proposal by title and reference, its stage by label, link to its own page, in each recipient’s language', async () => {
    await db.ownerSql`UPDATE users SET locale = 'en' WHERE id = ${komatsu.department.economy!.userId}`
    const title = '雪みちGPS実証'
    const proposal = await submitTestProposal(db.runtimeDb, {
      city: komatsu,
      proposer: business,
      answers: { title, summary: '除雪車の位置を公開します。' },
    })
    const reference = proposal.referenceCode!
    const deskPage = `${ORIGIN}/komatsu/desk/proposals/${proposal.id}`
    const proposerPage = `${ORIGIN}/proposals/komatsu/${proposal.id}`
    await mailEverything(komatsu)

    // The proposer's receipt and the desk's "new proposal", both with the title (it was 「」) and the stage.
    const [receipt] = await mailsTo(business.actor.userId)
    expect(receipt!.subject).toBe(`【小松市】提案「${title}」を受け付けました（${reference}）`)
    expect(receipt!.text_body).toContain(`受付番号：${reference}`)
    expect(receipt!.text_body).toContain('現在の段階：連携提案の受付')
    expect(receipt!.text_body).toContain(proposerPage)
    const [toDesk] = await mailsTo(komatsu.desk.userId)
    expect(toDesk!.subject).toBe(`【小松市】新しい提案 ${reference}「${title}」`)
    expect(toDesk!.text_body).toContain(`提案「${title}」（受付番号 ${reference}）`)
    expect(toDesk!.text_body).toContain('現在の段階：連携提案の受付')
    expect(toDesk!.text_body).toContain(deskPage)

    // The desk shares it with a department: the department hears of it in English (its member's language),
    // the proposer that it moved on, to which stage, with a link to their page, not to /account.
    await transitionProposal(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: proposal.id,
      transitionId: 'share_with_departments',
      input: { departments: ['economy'] },
      expectedVersion: proposal.version,
    })
    await mailEverything(komatsu)
    const [routed] = await mailsTo(komatsu.department.economy!.userId)
    expect(routed!.subject).toBe(`[Komatsu City] Proposal ${reference} “${title}” routed to your department`)
    expect(routed!.text_body).toContain('Current stage: Dialogue')
    expect(routed!.text_body).toContain(deskPage)
    const moved = (await mailsTo(business.actor.userId)).at(-1)!
    expect(moved.subject).toBe(`【小松市】提案 ${reference} は「対話による検討」の段階に進みました`)
    expect(moved.text_body).toContain(`提案「${title}」`)
    expect(moved.text_body).toContain(proposerPage)
    expect(moved.text_body).not.toContain('/account')

    // A message the proposer sends: the desk's mail names it and links to the desk page.
    await postMessage(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: business.actor,
      proposalId: proposal.id,
      body: '資料を追加しました。',
    })
    await mailEverything(komatsu)
    const message = (await mailsTo(komatsu.desk.userId)).find((mail) => mail.subject.includes('メッセージ'))!
    expect(message.text_body).toContain(`提案「${title}」（受付番号 ${reference}）`)
    expect(message.text_body).toContain('現在の段階：対話による検討')
    expect(message.text_body).toContain(deskPage)
  })

  it('send a receipt from each city a proposal is submitted to', async () => {
    const proposer = await createTestProposer(db.ownerSql)
    for (const [city, answers] of [
      [komatsu, { title: '二市への提案', summary: '概要' }],
      [aomori, { subject: '二市への提案', content: '内容' }],
    ] as const) {
      await submitTestProposal(db.runtimeDb, {
        city,
        proposer,
        trackId: city === aomori ? 'partnership' : undefined,
        answers,
      })
      await mailEverything(city)
    }
    const receipts = (await mailsTo(proposer.actor.userId)).filter((mail) =>
      mail.subject.includes('受け付けました'),
    )
    expect(receipts.map((mail) => mail.subject.replace(/】.*/, '】')).sort()).toEqual([
      '【小松市】',
      '【青森市】',
    ])
  })
})
