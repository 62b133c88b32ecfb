import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { loadTenantDirectory } from '@desk/tenant-config'
import { createTestDatabase, type TestDatabase } from '../testing'
import { withTenant } from '../tenant-context'
import {
  agreements,
  disclosureRequests,
  experimentPermits,
  experiments,
  implementationMilestones,
  internalNotes,
  messages,
  proposals,
  publishedCases,
} from '../schema'
import { seedDemo } from './demo'
import { seedTenantFromConfig, type SeedTenant } from './tenants'

let db: TestDatabase
let tenants: SeedTenant[]
let loaded: Awaited<ReturnType<typeof loadTenantDirectory>>

beforeAll(async () => {
  db = await createTestDatabase()
  loaded = await loadTenantDirectory('tenants')
  expect(loaded.problems).toEqual([])
  tenants = loaded.tenants.map(seedTenantFromConfig)
})
afterAll(async () => {
  await db?.drop()
})

describe('demo seed', () => {
  it('seeds both cities once, and a second run seeds nothing', async () => {
    const first = await seedDemo(db.ownerSql, { tenants })
    expect(first.seeded).toBe(true)
    const emails = first.accounts.map((a) => a.email)
    expect(emails).toEqual(
      expect.arrayContaining(['biz1@example.com', 'biz2@example.com', 'univ@example.com']),
    )
    for (const tenant of tenants) {
      expect(emails).toEqual(
        expect.arrayContaining([
          `desk-admin@${tenant.slug}.example.jp`,
          `desk-staff@${tenant.slug}.example.jp`,
          `dept-staff@${tenant.slug}.example.jp`,
        ]),
      )
    }
    const count = (await db.adminSql<{ count: number }[]>`SELECT count(*)::int AS count FROM proposals`)[0]!
      .count
    const second = await seedDemo(db.ownerSql, { tenants })
    expect(second.seeded).toBe(false)
    const after = (await db.adminSql<{ count: number }[]>`SELECT count(*)::int AS count FROM proposals`)[0]!
      .count
    expect(after).toBe(count)
    const states = await db.adminSql<{ n: number }[]>`SELECT count(DISTINCT state)::int AS n FROM proposals`
    expect(states[0]!.n).toBeGreaterThanOrEqual(3)
  })

  it("answers every demo proposal under its own form's field ids, so the proposal pages show them", async () => {
    const rows = await db.adminSql<{ slug: string; type: string; title: string; answers: Record<string, string> }[]>`
      SELECT t.slug, p.proposal_type AS type, p.title, p.answers FROM proposals p JOIN tenants t ON t.id = p.tenant_id`
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      const config = loaded.tenants.find((tenant) => tenant.config.slug === row.slug)!.config
      const formId = config.proposalTypes.find((type) => type.id === row.type)!.form
      const fields = config.forms.find((form) => form.id === formId)!.fields.map((field) => field.id)
      expect(fields).toEqual(expect.arrayContaining(Object.keys(row.answers)))
      expect(Object.values(row.answers)).toContain(row.title)
    }
  })

  it('through withTenant, each desk sees only its own city and the business sees its proposals in both', async () => {
    const cities = await db.adminSql<
      { id: string; slug: string }[]
    >`SELECT id, slug FROM tenants ORDER BY slug`
    const userId = async (email: string) =>
      (await db.adminSql<{ id: string }[]>`SELECT id FROM users WHERE email = ${email}`)[0]!.id
    for (const city of cities) {
      const admin = await userId(`desk-admin@${city.slug}.example.jp`)
      const seen = await withTenant(
        db.runtimeDb,
        { tenantId: city.id, userId: admin, actor: 'staff' },
        (tx) => tx.select({ tenantId: proposals.tenantId }).from(proposals),
      )
      expect(seen.length).toBeGreaterThan(0)
      expect(new Set(seen.map((p) => p.tenantId))).toEqual(new Set([city.id]))
    }
    const biz1 = await userId('biz1@example.com')
    const own = await withTenant(
      db.runtimeDb,
      { tenantId: null, userId: biz1, actor: 'proposer' },
      async (tx) => ({
        proposals: await tx.select({ tenantId: proposals.tenantId }).from(proposals),
        messages: await tx.select({ id: messages.id }).from(messages),
        notes: await tx.select({ id: internalNotes.id }).from(internalNotes),
      }),
    )
    expect(new Set(own.proposals.map((p) => p.tenantId)).size).toBe(cities.length)
    expect(own.messages.length).toBeGreaterThan(0)
    expect(own.notes).toEqual([])
  })

  it('after the decision: agreements with their implementation, one published case per city and one in draft', async () => {
    const cities = await db.adminSql<{ id: string }[]>`SELECT id FROM tenants`
    for (const city of cities) {
      const admin = (
        await db.adminSql<
          { user_id: string }[]
        >`SELECT user_id FROM city_memberships WHERE tenant_id = ${city.id} AND role = 'desk_admin'`
      )[0]!.user_id
      const desk = await withTenant(
        db.runtimeDb,
        { tenantId: city.id, userId: admin, actor: 'staff' },
        async (tx) => ({
          agreements: await tx.select().from(agreements),
          milestones: await tx.select().from(implementationMilestones),
          cases: await tx.select().from(publishedCases),
          proposals: await tx
            .select({ id: proposals.id, method: proposals.collaborationMethod })
            .from(proposals),
        }),
      )
      expect(desk.agreements.length).toBeGreaterThan(0)
      for (const agreement of desk.agreements) {
        expect(agreement.arrangement).toBe('agreement')
        expect(agreement.concludedOn).not.toBeNull()
        expect(
          desk.milestones.filter((m) => m.proposalId === agreement.proposalId).map((m) => m.status),
        ).toEqual(expect.arrayContaining(['done', 'in_progress', 'planned']))
        expect(desk.proposals.find((p) => p.id === agreement.proposalId)?.method).toBeTruthy()
      }
      expect(desk.cases.map((c) => c.status).sort()).toEqual(['draft', 'published'])
      // The public sees the published case only.
      const visible = await withTenant(
        db.runtimeDb,
        { tenantId: city.id, userId: null, actor: 'public' },
        (tx) => tx.select({ id: publishedCases.id }).from(publishedCases),
      )
      expect(visible.map((c) => c.id)).toEqual(
        desk.cases.filter((c) => c.status === 'published').map((c) => c.id),
      )
    }
  })

  it('an experiment on the city with an experiment track, and a disclosure request per city asked in the thread', async () => {
    const cities = await db.adminSql<{ id: string; slug: string }[]>`SELECT id, slug FROM tenants`
    for (const city of cities) {
      const tenant = tenants.find((candidate) => candidate.slug === city.slug)!
      const admin = (
        await db.adminSql<
          { user_id: string }[]
        >`SELECT user_id FROM city_memberships WHERE tenant_id = ${city.id} AND role = 'desk_admin'`
      )[0]!.user_id
      const desk = await withTenant(
        db.runtimeDb,
        { tenantId: city.id, userId: admin, actor: 'staff' },
        async (tx) => ({
          experiments: await tx.select().from(experiments),
          permits: await tx.select().from(experimentPermits),
          requests: await tx.select().from(disclosureRequests),
          messages: await tx.select({ id: messages.id }).from(messages),
        }),
      )
      if (tenant.experiment) {
        expect(desk.experiments.length).toBeGreaterThan(0)
        expect(desk.permits.length).toBe(desk.experiments.length)
        for (const experiment of desk.experiments) {
          expect(experiment.offers.every((offer) => tenant.experiment!.offerIds.includes(offer))).toBe(true)
          expect(experiment.costRuleAcknowledgedAt).not.toBeNull()
        }
      } else {
        expect(desk.experiments).toEqual([])
      }
      expect(desk.requests).toHaveLength(1)
      expect(desk.messages.map((m) => m.id)).toContain(desk.requests[0]!.questionMessageId)
    }
  })

  it('withTenant settings are transaction-local: the pooled connection forgets them', async () => {
    const cities = await db.adminSql<{ id: string }[]>`SELECT id FROM tenants`
    await withTenant(db.runtimeDb, { tenantId: cities[0]!.id, userId: null, actor: 'public' }, async (tx) => {
      const [row] = (await tx.execute(
        sql`select current_setting('app.tenant_id', true) as t, current_setting('app.actor', true) as a`,
      )) as unknown as { t: string; a: string }[]
      expect(row).toEqual({ t: cities[0]!.id, a: 'public' })
    })
    const rows = (await db.runtimeDb.execute(
      sql`select coalesce(current_setting('app.tenant_id', true), '') as t, coalesce(current_setting('app.actor', true), '') as a`,
    )) as unknown as { t: string; a: string }[]
    expect(rows[0]).toEqual({ t: '', a: '' })
    await expect(
      withTenant(db.runtimeDb, { tenantId: "x' OR 1=1", userId: null, actor: 'staff' }, async () => 1),
    ).rejects.toThrow(/uuid/)
  })

  it('the runtime role cannot UPDATE or DELETE the audit log or the proposal event log', async () => {
    const [city] = await db.adminSql<{ id: string }[]>`SELECT id FROM tenants LIMIT 1`
    const admin = (
      await db.adminSql<
        { user_id: string }[]
      >`SELECT user_id FROM city_memberships WHERE tenant_id = ${city!.id} AND role = 'desk_admin'`
    )[0]!.user_id
    for (const table of ['audit_log', 'proposal_events']) {
      for (const statement of [
        `UPDATE ${table} SET tenant_id = tenant_id`,
        `DELETE FROM ${table}`,
        `TRUNCATE ${table}`,
      ]) {
        const code = await withTenant(
          db.runtimeDb,
          { tenantId: city!.id, userId: admin, actor: 'staff' },
          (tx) => tx.execute(sql.raw(statement)),
        ).then(
          () => 'succeeded',
          (error: { code?: string; cause?: { code?: string } }) => error.cause?.code ?? error.code,
        )
        expect([statement, code]).toEqual([statement, '42501']) // insufficient_privilege
      }
      // …while inserting and reading work for the desk.
      const rows = await withTenant(
        db.runtimeDb,
        { tenantId: city!.id, userId: admin, actor: 'staff' },
        (tx) => tx.execute(sql.raw(`SELECT count(*)::int AS n FROM ${table}`)),
      )
      expect((rows as unknown as { n: number }[])[0]!.n).toBeGreaterThan(0)
    }
  })
})
