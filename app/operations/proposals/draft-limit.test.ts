import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../db/testing'
import { toHttpError } from '../../http/errors.server'
import { createProposalDraft, MAX_OPEN_DRAFTS } from './create-proposal-draft.server'
import { createTestCitiesAndProposers, type TestCity, type TestProposer } from './testing.server'
import { AppError } from '../app-error'

/**
 * Issue 17, finding 9: an organisation keeps at most MAX_OPEN_DRAFTS unsubmitted
 * drafts with one city (5,430 were created in four minutes); the next is a
 * 422 with its own message, and concurrent saves cannot slip past the count.
 */

let db: TestDatabase
let city: TestCity
let other: TestCity
let business: TestProposer

beforeAll(async () => {
  db = await createTestDatabase()
  const world = await createTestCitiesAndProposers(db.ownerSql)
  ;[city, other] = Object.values(world.cities) as [TestCity, TestCity]
  business = world.business
})
afterAll(async () => {
  await db?.drop()
})

const draftFor = (target: TestCity) =>
  createProposalDraft(db.runtimeDb, {
    tenant: target.tenant,
    actor: business.actor,
    proposal: {
      organisationId: business.organisationId,
      proposalTypeId: 'free',
      trackId: target.tenant.config.tracks.find((track) => track.proposalTypes.includes('free'))?.id,
    },
  })

async function openDrafts(tenantId: string): Promise<number> {
  const [row] = await db.ownerSql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM proposals
     WHERE tenant_id = ${tenantId} AND organisation_id = ${business.organisationId} AND submitted_at IS NULL`
  return row!.n
}

describe('drafts per organisation', () => {
  it(`keeps at most ${MAX_OPEN_DRAFTS} open drafts per city, even when saved concurrently`, async () => {
    // Up to a few short of the limit one by one, then the rest and more at once.
    for (let index = 0; index < MAX_OPEN_DRAFTS - 5; index++) await draftFor(city)
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => draftFor(city)))
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5)
    expect(await openDrafts(city.tenant.id)).toBe(MAX_OPEN_DRAFTS)

    const refusal = outcomes.find((outcome) => outcome.status === 'rejected')!.reason as unknown
    expect(refusal).toBeInstanceOf(AppError)
    expect(toHttpError(refusal)).toMatchObject({ status: 422, message: 'common:errors.operation.limit_reached' })

    // Another city's drafts are counted apart.
    await expect(draftFor(other)).resolves.toBeDefined()
  })
})
