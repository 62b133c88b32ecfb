import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestDatabase } from '../../../db/testing'
import { openOneCityWorld } from '../../test/operations-world'
import { inProposalTransaction, type RequestActor } from '../proposals/context.server'
import type { TestCity, TestProposer } from '../proposals/testing.server'
import { submitProposal } from '../proposals/submit-proposal.server'
import { transitionProposal } from '../proposals/transition-proposal.server'
import { createDeskCountsCache, readDeskWorkCounts } from './desk-work-counts.server'

let db: TestDatabase
let komatsu: TestCity
let business: TestProposer

beforeAll(async () => {
  ;({ db, city: komatsu, business } = await openOneCityWorld('komatsu'))
})
afterAll(async () => {
  await db?.drop()
})

async function submit(title: string) {
  const { proposal } = await submitProposal(db.runtimeDb, {
    tenant: komatsu.tenant,
    actor: business.actor,
    proposal: { organisationId: business.organisationId, proposalTypeId: 'free' },
    idempotencyKey: randomUUID(),
    answers: { title, summary: `${title}の概要です。` },
    acknowledgedNoteIds: komatsu.tenant.config.notes?.items.map((note) => note.id) ?? [],
  })
  return proposal
}

async function staffOf(actor: RequestActor) {
  const [row] = await db.adminSql<{ role: 'desk_staff' | 'department_staff'; departmentId: string | null }[]>`
    SELECT role, department_id AS "departmentId" FROM city_memberships
     WHERE tenant_id = ${komatsu.tenant.id} AND user_id = ${actor.userId}`
  return row!
}

describe("the desk menu's counts, cached per city and side", () => {
  const deskCounts = async (cache: ReturnType<typeof createDeskCountsCache>, fresh = false) => {
    const staff = await staffOf(komatsu.desk)
    return inProposalTransaction(db.runtimeDb, komatsu.tenant, komatsu.desk, (tx) =>
      readDeskWorkCounts(tx, { tenant: komatsu.tenant, staff, cache, fresh }),
    )
  }

  it('are reused within the interval, and counted at once when the page asks for fresh ones', async () => {
    const cache = createDeskCountsCache(60_000)
    const proposal = await submit('待ち件数のキャッシュ')
    const before = await deskCounts(cache)
    expect(before.waiting).toBeGreaterThan(0)

    // At intake the desk is the one to move it on; not accepted, it waits for nobody.
    await transitionProposal(db.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: proposal.id,
      transitionId: 'not_accept',
      input: { reason: '営業のみを目的とするため。' },
      expectedVersion: proposal.version,
    })
    // Within the interval: the remembered counts (the documented delay)…
    expect(await deskCounts(cache)).toEqual(before)
    // …unless the page asks for fresh ones (the page after a desk form): then at once, and remembered.
    expect((await deskCounts(cache, true)).waiting).toBe(before.waiting - 1)
    expect((await deskCounts(cache)).waiting).toBe(before.waiting - 1)
  })

  it('are counted again once the interval has passed', async () => {
    const cache = createDeskCountsCache(200)
    const before = await deskCounts(cache)
    await submit('間隔のあとで数える')
    await sleep(250)
    expect((await deskCounts(cache)).waiting).toBe(before.waiting + 1)
  })

  it("are a department's own: never the desk's counts, nor another department's", async () => {
    const cache = createDeskCountsCache(60_000)
    const countsFor = async (actor: RequestActor) => {
      const staff = await staffOf(actor)
      return inProposalTransaction(db.runtimeDb, komatsu.tenant, actor, (tx) =>
        readDeskWorkCounts(tx, { tenant: komatsu.tenant, staff, cache }),
      )
    }
    const desk = await countsFor(komatsu.desk)
    expect(desk.waiting).toBeGreaterThan(0)
    for (const department of Object.values(komatsu.department))
      expect(await countsFor(department)).toEqual({ waiting: 0, overdue: 0 })
    expect(cache.size).toBe(1 + Object.keys(komatsu.department).length)
  })
})
