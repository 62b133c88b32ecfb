import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, getRequest, statusOf, type Harness } from '~/test/harness'
import * as proposerExperiment from '~/routes/proposals.$city.$proposalId_.experiment'
import * as deskExperiment from '~/routes/$city.desk.proposals.$proposalId_.experiment'

/**
 * The experiment pages exist for a proposal on its city's demonstration-experiment
 * track once the decision to go ahead is taken; the proposal's page links to them
 * only then. An address typed or kept for any other proposal is a page that does
 * not exist (404), never "someone else changed this first" (409): nothing changed.
 */

let h: Harness

beforeAll(async () => {
  h = await createHarness()
}, 120_000)

afterAll(async () => {
  await h?.close()
})

/** A submitted demo proposal of biz1's in `slug` that is not an experiment after its decision. */
async function proposalIn(slug: string): Promise<string> {
  const [row] = await h.db.ownerSql<{ id: string }[]>`
    SELECT p.id FROM proposals p JOIN tenants t ON t.id = p.tenant_id
     JOIN organisation_members m ON m.organisation_id = p.organisation_id JOIN users u ON u.id = m.user_id
     WHERE t.slug = ${slug} AND u.email = 'biz1@example.com' AND p.submitted_at IS NOT NULL
       AND p.collaboration_method IS NULL
     LIMIT 1`
  return row!.id
}

describe('the experiment page of a proposal that is not an experiment (yet)', () => {
  it.each(['komatsu', 'aomori'])('is a 404 for its proposer and its desk (%s)', async (city) => {
    const proposalId = await proposalIn(city)
    const params = { city, proposalId }
    const proposer = await h.cookieOf('biz1@example.com')
    const desk = await h.cookieOf(`desk-staff@${city}.example.jp`)
    const path = `/proposals/${city}/${proposalId}/experiment`
    expect(
      await statusOf(async () =>
        proposerExperiment.loader({
          request: getRequest(path, proposer),
          context: await h.contextFor(proposer),
          params,
        }),
      ),
    ).toBe(404)
    const deskPath = `/${city}/desk/proposals/${proposalId}/experiment`
    expect(
      await statusOf(async () =>
        deskExperiment.loader({
          request: getRequest(deskPath, desk),
          context: await h.contextFor(desk),
          params,
        }),
      ),
    ).toBe(404)
  })
})
