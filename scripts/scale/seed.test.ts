import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { and, eq, inArray } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../db/testing'
import { withTenant, type TenantContext } from '../../db/tenant-context'
import {
  attachments,
  internalNotes,
  messages,
  proposalEvents,
  proposals,
  organisations,
} from '../../db/schema'
import { cityQuotas, defaultHotCityProposals, paths } from './generate'
import { resetScale, scaleDataState, seedScale, type ScaleResult } from './seed'

let db: TestDatabase
let result: ScaleResult
let cities: { id: string; slug: string }[]
let otherTenantId: string

const count = async (query: string, params: unknown[] = []) =>
  (
    await db.adminSql.unsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (${query}) x`,
      params as never[],
    )
  )[0]!.n

beforeAll(async () => {
  db = await createTestDatabase()
  // A city that is not part of the scale data set: --reset must leave it alone.
  otherTenantId = randomUUID()
  await db.ownerSql`INSERT INTO tenants (id, slug, config_version, name_ja) VALUES (${otherTenantId}, 'not-scale', 'v1', '対照市')`
  await db.ownerSql`INSERT INTO departments (tenant_id, key, name_ja) VALUES (${otherTenantId}, 'planning', '企画課')`
  result = await seedScale(db.ownerSql, {
    cities: 3,
    proposals: 500,
    batchSize: 120,
    jobs: 2,
    seed: 7,
    openThemes: 10,
    publishedCases: 4,
    platformFields: ['dx', 'tourism', 'transport'],
  })
  cities = await db.adminSql<
    { id: string; slug: string }[]
  >`SELECT id, slug FROM tenants WHERE slug LIKE 'scale-%' ORDER BY slug`
}, 120_000)

afterAll(async () => {
  await db?.drop()
})

async function staffOf(tenantId: string, role: string): Promise<TenantContext> {
  const [row] = await db.adminSql<{ user_id: string }[]>`
    SELECT user_id FROM city_memberships WHERE tenant_id = ${tenantId} AND role = ${role} ORDER BY created_at, user_id LIMIT 1`
  return { tenantId, userId: row!.user_id, actor: 'staff' }
}

describe('city sizes', () => {
  it('gives the benchmark city exactly 10,000 of 1,000,000 proposals and skews the rest', () => {
    const hot = defaultHotCityProposals(1000, 1_000_000)
    expect(hot).toBe(10_000)
    const quotas = cityQuotas(1000, 1_000_000, hot)
    expect(quotas).toHaveLength(1000)
    expect(quotas[0]).toBe(10_000)
    expect(quotas.reduce((a, b) => a + b, 0)).toBe(1_000_000)
    const rest = quotas.slice(1)
    expect(Math.max(...rest) / Math.min(...rest)).toBeGreaterThan(10)
    expect(cityQuotas(1, 10_000, defaultHotCityProposals(1, 10_000))).toEqual([10_000])
    expect(cityQuotas(100, 100_000, defaultHotCityProposals(100, 100_000))[0]).toBe(10_000)
  })
})

describe('seed:scale on 3 cities and 500 proposals', () => {
  it('spreads the open themes and published cases over the cities, each in platform fields the cross-city pages show', async () => {
    const perCity = await db.adminSql<{ slug: string; open: number; closed: number; cases: number }[]>`
      SELECT t.slug,
             (SELECT count(*)::int FROM themes h WHERE h.tenant_id = t.id AND h.status = 'open') AS open,
             (SELECT count(*)::int FROM themes h WHERE h.tenant_id = t.id AND h.status = 'closed') AS closed,
             (SELECT count(*)::int FROM published_cases p WHERE p.tenant_id = t.id AND p.status = 'published') AS cases
        FROM tenants t WHERE t.slug LIKE 'scale-%' ORDER BY t.slug`
    expect(perCity.map(({ open, closed, cases }) => [open, closed, cases])).toEqual([
      [4, 1, 2],
      [3, 1, 1],
      [3, 1, 1],
    ])
    const fields = await db.adminSql<{ fields: string[] }[]>`
      SELECT platform_fields AS fields FROM themes UNION ALL SELECT platform_fields FROM published_cases`
    for (const { fields: one } of fields) {
      expect(one.length).toBeGreaterThan(0)
      for (const field of one) expect(['dx', 'tourism', 'transport']).toContain(field)
    }
    // What /themes and /cases read (as the public, through migration 0028's search functions).
    const [seen] = await db.runtimeSql.begin(async (sql) => {
      await sql`SELECT set_config('app.actor', 'public', true)`
      return sql<{ themes: number; cases: number }[]>`
        SELECT (SELECT count(*)::int FROM platform_search_open_themes('{dx,tourism,transport}', NULL, NULL, NULL)) AS themes,
               (SELECT count(*)::int FROM platform_search_published_cases('{dx,tourism,transport}', NULL, NULL)) AS cases`
    })
    expect(seen).toEqual({ themes: 10, cases: 4 })
  })

  it('creates the cities, their staff and the proposals with the planned skew', async () => {
    expect(cities.map((c) => c.slug)).toEqual(['scale-0001', 'scale-0002', 'scale-0003'])
    expect(result.hotCity).toMatchObject({ slug: 'scale-0001', proposals: 50 })
    const perCity = await db.adminSql<{ slug: string; n: number }[]>`
      SELECT t.slug, count(p.*)::int AS n FROM tenants t LEFT JOIN proposals p ON p.tenant_id = t.id
       WHERE t.slug LIKE 'scale-%' GROUP BY t.slug ORDER BY t.slug`
    const expected = cityQuotas(3, 500, 50)
    expect(perCity.map((r) => r.n)).toEqual(expected)
    expect(expected[1]! > expected[2]! * 1.2).toBe(true)
    expect(result.rows.proposals).toBe(500)
    expect(await count(`SELECT 1 FROM proposals`)).toBe(500)
    expect(
      await count(
        `SELECT 1 FROM departments d JOIN tenants t ON t.id = d.tenant_id WHERE t.slug LIKE 'scale-%'`,
      ),
    ).toBe(18)
    expect(await count(`SELECT 1 FROM city_memberships WHERE role = 'desk_admin'`)).toBe(3)
    expect(await count(`SELECT 1 FROM users WHERE email NOT LIKE '%.scale.invalid'`)).toBe(0)
  })

  it('puts proposals in realistic states with consistent history, dialogue and attachments', async () => {
    const states = await db.adminSql<
      { state: string; n: number }[]
    >`SELECT state, count(*)::int AS n FROM proposals GROUP BY state`
    expect(states.length).toBeGreaterThanOrEqual(8)
    // Drafts are unsubmitted and have no reference; everything else has both.
    expect(await count(`SELECT 1 FROM proposals WHERE (state = 'draft') <> (submitted_at IS NULL)`)).toBe(0)
    expect(await count(`SELECT 1 FROM proposals WHERE (state = 'draft') <> (reference_code IS NULL)`)).toBe(0)
    // One event per step taken: version - 1 events, ending in the current state.
    const mismatched = await count(`
      SELECT p.id FROM proposals p LEFT JOIN proposal_events e ON e.tenant_id = p.tenant_id AND e.proposal_id = p.id
       GROUP BY p.id, p.version HAVING count(e.id) <> p.version - 1`)
    expect(mismatched).toBe(0)
    expect(
      await count(`
      SELECT 1 FROM proposals p WHERE p.state <> 'draft' AND p.state <> (
        SELECT e.to_state FROM proposal_events e WHERE e.tenant_id = p.tenant_id AND e.proposal_id = p.id ORDER BY e.at DESC, e.id DESC LIMIT 1)`),
    ).toBe(0)
    for (const state of ['completed', 'declined', 'not_accepted'])
      expect(paths[state]!.states.at(-1)).toBe(state)
    expect(result.rows.messages).toBeGreaterThan(500)
    expect(result.rows.attachments).toBeGreaterThan(50)
    expect(result.rows.internal_notes).toBeGreaterThan(0)
    // Japanese titles, varied enough for trigram search to mean something.
    const titles = await db.adminSql<{ distinct: number; japanese: number }[]>`
      SELECT count(DISTINCT title)::int AS distinct, count(*) FILTER (WHERE title ~ '[ぁ-んァ-ン一-龥]')::int AS japanese FROM proposals`
    expect(titles[0]!.distinct).toBeGreaterThan(450)
    expect(titles[0]!.japanese).toBe(500)
  })

  it('keeps isolation: staff of one scale city see only their city, through withTenant', async () => {
    const first = cities[0]!
    const second = cities[1]!
    const submitted = async (tenantId: string) =>
      count(`SELECT 1 FROM proposals WHERE tenant_id = $1 AND submitted_at IS NOT NULL`, [tenantId])
    for (const city of cities) {
      const staff = await staffOf(city.id, 'desk_staff')
      const seen = await withTenant(db.runtimeDb, staff, async (tx) => ({
        proposals: await tx.select({ tenantId: proposals.tenantId }).from(proposals),
        messages: await tx.select({ tenantId: messages.tenantId }).from(messages),
        events: await tx.select({ tenantId: proposalEvents.tenantId }).from(proposalEvents),
        attachments: await tx.select({ tenantId: attachments.tenantId }).from(attachments),
        notes: await tx.select({ tenantId: internalNotes.tenantId }).from(internalNotes),
      }))
      expect(seen.proposals).toHaveLength(await submitted(city.id))
      for (const rows of Object.values(seen))
        expect(new Set(rows.map((r) => r.tenantId))).toEqual(new Set([city.id]))
    }
    // Staff of the first city claiming the second: not a member there, so nothing at all.
    const firstStaff = await staffOf(first.id, 'desk_staff')
    const forged = await withTenant(db.runtimeDb, { ...firstStaff, tenantId: second.id }, async (tx) => ({
      proposals: await tx.select({ id: proposals.id }).from(proposals),
      explicit: await tx
        .select({ id: proposals.id })
        .from(proposals)
        .where(eq(proposals.tenantId, second.id)),
      messages: await tx.select({ id: messages.id }).from(messages),
    }))
    expect(forged).toEqual({ proposals: [], explicit: [], messages: [] })
    // Department staff see only what is routed to their department.
    const dept = await staffOf(second.id, 'department_staff')
    const routed = await count(
      `SELECT DISTINCT pd.proposal_id FROM proposal_departments pd JOIN city_memberships cm
          ON cm.tenant_id = pd.tenant_id AND cm.department_id = pd.department_id WHERE cm.user_id = $1`,
      [dept.userId],
    )
    const deptSees = await withTenant(db.runtimeDb, dept, (tx) =>
      tx.select({ id: proposals.id }).from(proposals),
    )
    expect(deptSees).toHaveLength(routed)
  })

  it('keeps isolation for proposers: only their organisation, no internal notes', async () => {
    const [member] = await db.adminSql<{ user_id: string; organisation_id: string }[]>`
      SELECT om.user_id, om.organisation_id FROM organisation_members om
        JOIN proposals p ON p.organisation_id = om.organisation_id
       GROUP BY om.user_id, om.organisation_id ORDER BY count(*) DESC LIMIT 1`
    const context: TenantContext = { tenantId: null, userId: member!.user_id, actor: 'proposer' }
    const seen = await withTenant(db.runtimeDb, context, async (tx) => ({
      proposals: await tx.select({ organisationId: proposals.organisationId }).from(proposals),
      notes: await tx.select({ id: internalNotes.id }).from(internalNotes),
      internal: await tx
        .select({ id: attachments.id })
        .from(attachments)
        .where(eq(attachments.visibility, 'internal')),
      others: await tx
        .select({ id: organisations.id })
        .from(organisations)
        .where(and(inArray(organisations.id, [member!.organisation_id, randomUUID()]))),
    }))
    expect(seen.proposals.length).toBe(
      await count(`SELECT 1 FROM proposals WHERE organisation_id = $1`, [member!.organisation_id]),
    )
    expect(new Set(seen.proposals.map((p) => p.organisationId))).toEqual(new Set([member!.organisation_id]))
    expect(seen.notes).toEqual([])
    expect(seen.internal).toEqual([])
    expect(seen.others).toHaveLength(1)
  })

  it('refuses to seed twice, and --reset removes only the scale data', async () => {
    expect(await scaleDataState(db.ownerSql)).toMatchObject({ cities: 3, seedRun: true })
    await expect(seedScale(db.ownerSql, { cities: 1, proposals: 10 })).rejects.toThrow(/already exists/)
    await resetScale(db.ownerSql)
    expect(await scaleDataState(db.ownerSql)).toEqual({ cities: 0, users: 0, seedRun: false })
    expect(await count(`SELECT 1 FROM proposals`)).toBe(0)
    expect(await count(`SELECT 1 FROM organisations`)).toBe(0)
    expect(await count(`SELECT 1 FROM tenants WHERE id = $1`, [otherTenantId])).toBe(1)
    expect(await count(`SELECT 1 FROM departments WHERE tenant_id = $1`, [otherTenantId])).toBe(1)
    // And seeding again works after the reset.
    const again = await seedScale(db.ownerSql, { cities: 2, proposals: 40, batchSize: 25 })
    expect(again.rows.proposals).toBe(40)
  })
})
