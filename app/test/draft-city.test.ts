import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { AppLoadContext } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyTenant } from '../../db/operator/apply-tenant'
import { proposals } from '../../db/schema'
import { withTenant } from '../../db/tenant-context'
import { createTestProposer, type TestProposer } from '~/operations/proposals/testing.server'
import { createHarness, formRequest, getRequest, sessionCookieFrom, statusOf, type Harness } from '~/test/harness'
import { createLogger } from '~/utils/logger.server'
import { appliedTenantsIn, createTenantRegistry, type TenantRegistry } from '~/utils/tenant-registry.server'
import * as cityLayout from '~/routes/$city'
import * as cityHomePage from '~/routes/$city._index'
import * as proposeRoute from '~/routes/$city.propose'
import * as cityInvitationPage from '~/routes/$city.invitation.$token'
import * as deskStaffPage from '~/routes/$city.desk.staff'
import * as deskThemesPage from '~/routes/$city.desk.themes'
import * as myProposalsPage from '~/routes/proposals._index'
import * as proposerProposalPage from '~/routes/proposals.$city.$proposalId'
import * as proposalFormPage from '~/routes/proposals.new'

/**
 * Issue 10: a city applied from its file starts as a draft. Its first desk
 * admin joins from the invitation and prepares the desk (themes) before it
 * goes live; the portal stays a 404 for everyone else; and the database
 * itself refuses proposals in a city that is not live (draft or suspended).
 */

const FILE = 'e2e/fixtures/tenants/sample-town.yaml'
const SLUG = 'sample-town'

let h: Harness
let registry: TenantRegistry
let tenantId: string
let token: string
let business: TestProposer

/** The load context of a request, with a registry that follows the database's applied cities. */
const contextFor = (cookie?: string | null): Promise<AppLoadContext> =>
  h.contextFor(cookie, { tenants: registry })


async function eventually(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20))
  expect(check()).toBe(true)
}

beforeAll(async () => {
  h = await createHarness()
  registry = await createTenantRegistry({
    directory: 'tenants',
    logger: createLogger('silent'),
    watch: false,
    applied: appliedTenantsIn(h.db.runtimeDb),
    pollMs: 50,
  })
  const applied = await applyTenant(h.db.ownerSql, {
    source: await readFile(FILE, 'utf8'),
    file: FILE,
    tenantsDir: 'tenants',
    actorUserId: null,
    invitation: {
      email: 'first-admin@town.example.jp',
      origin: 'http://localhost',
      mail: (link) => ({ subject: 'Invitation', text: link }),
    },
  })
  tenantId = applied.tenantId
  token = applied.invitationLink!.split('/').pop()!
  business = await createTestProposer(h.db.ownerSql)
  await eventually(() => registry.get(SLUG)?.status === 'draft')
})
afterAll(async () => {
  await registry?.close()
  await h?.close()
})

/** A proposer's own insert, straight through withTenant as the runtime role: no route, no operation. */
function insertProposal() {
  return withTenant(h.db.runtimeDb, { tenantId, userId: business.actor.userId, actor: 'proposer' }, (tx) =>
    tx
      .insert(proposals)
      .values({
        tenantId,
        organisationId: business.organisationId,
        submitterUserId: business.actor.userId,
        proposalType: 'pilot',
        track: 'town_pilot',
        state: 'draft',
        title: '朝市の試行',
        answers: {},
        idempotencyKey: randomUUID(),
      })
      .returning({ id: proposals.id }),
  )
}

/** The PostgreSQL error code behind a drizzle error. */
function pgCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause ?? error
  return (cause as { code?: string }).code
}

describe('a draft city', () => {
  const layout = (path: string, cookie: string | null) =>
    statusOf(async () =>
      cityLayout.loader({
        request: getRequest(path, cookie),
        context: await contextFor(cookie),
        params: { city: SLUG },
      }),
    )

  it('is a 404 for visitors, but its invitation link opens', async () => {
    expect(await layout(`/${SLUG}`, null)).toBe(404)
    expect(await layout(`/${SLUG}/desk/staff`, null)).toBe(404)
    const path = `/${SLUG}/invitation/${token}`
    expect(await layout(path, null)).toBe(200)
    const page = (await cityInvitationPage.loader({
      request: getRequest(path),
      context: await contextFor(null),
      params: { city: SLUG, token },
    })) as Response
    expect(await page.json()).toMatchObject({
      state: 'open',
      invitation: { email: 'first-admin@town.example.jp', role: 'desk_admin' },
    })
  })

  let adminCookie: string
  it('lets its first desk admin accept and prepare themes while it is still a draft', async () => {
    const path = `/${SLUG}/invitation/${token}`
    const accepted = (await cityInvitationPage.action({
      request: formRequest(path, {
        intent: 'create',
        displayName: '見本 花子',
        password: 'town admin passphrase',
        locale: 'ja',
      }),
      context: await contextFor(null),
      params: { city: SLUG, token },
    })) as Response
    expect(accepted.status).toBe(302)
    adminCookie = sessionCookieFrom(accepted)!
    expect(registry.get(SLUG)?.status).toBe('draft')

    expect(await layout(`/${SLUG}/desk/staff`, adminCookie)).toBe(200)
    expect(await layout(`/${SLUG}`, adminCookie)).toBe(200)
    const context = await contextFor(adminCookie)
    const params = { city: SLUG }
    expect(
      await statusOf(() =>
        deskStaffPage.loader({ request: getRequest(`/${SLUG}/desk/staff`, adminCookie), context, params }),
      ),
    ).toBe(200)
    const saved = await deskThemesPage.action({
      request: formRequest(
        `/${SLUG}/desk/themes`,
        {
          intent: 'save',
          titleJa: '朝市のにぎわいづくり',
          titleEn: '',
          backgroundJa: '',
          backgroundEn: '',
          expectedOutcomeJa: '',
          expectedOutcomeEn: '',
          departmentKey: '',
          deadline: '',
        },
        adminCookie,
      ),
      context,
      params,
    })
    expect(await statusOf(async () => saved)).toBeLessThan(400)
    expect(await h.db.adminSql`SELECT title_ja FROM themes WHERE tenant_id = ${tenantId}`).toEqual([
      { title_ja: '朝市のにぎわいづくり' },
    ])
    // A used link says so.
    const again = (await cityInvitationPage.loader({
      request: getRequest(path),
      context: await contextFor(null),
      params: { city: SLUG, token },
    })) as Response
    expect(await again.json()).toMatchObject({ state: 'used', invitation: null })
  })

  it('offers no "propose to this city" while it is a draft, and its propose link is a 404', async () => {
    const context = await contextFor(adminCookie)
    const params = { city: SLUG }
    const home = (await cityHomePage.loader({
      request: getRequest(`/${SLUG}`, adminCookie),
      context,
      params,
    })) as Response
    expect(await home.json()).toMatchObject({ proposable: false })
    expect(
      await statusOf(async () =>
        proposeRoute.loader({ request: getRequest(`/${SLUG}/propose`, adminCookie), context, params }),
      ),
    ).toBe(404)
  })

  it('refuses a proposal in the database while it is a draft', async () => {
    const refused = await insertProposal().catch((error: unknown) => error)
    expect(pgCode(refused)).toBe('42501')
    expect(await h.db.adminSql`SELECT 1 FROM proposals WHERE tenant_id = ${tenantId}`).toHaveLength(0)
  })
})

describe('live, then suspended', () => {
  let proposalId: string

  it('takes a proposal once live', async () => {
    await h.db.adminSql`UPDATE tenants SET status = 'live' WHERE id = ${tenantId}`
    const [row] = await insertProposal()
    proposalId = row!.id
    expect(proposalId).toBeTruthy()
    await eventually(() => registry.get(SLUG)?.status === 'live')
    const propose = await statusOf(async () =>
      proposeRoute.loader({
        request: getRequest(`/${SLUG}/propose`),
        context: await contextFor(null),
        params: { city: SLUG },
      }),
    )
    expect(propose).toBe(302)
  })

  it('refuses new proposals and changes to existing ones when suspended; the data is kept', async () => {
    await h.db.adminSql`UPDATE tenants SET status = 'suspended' WHERE id = ${tenantId}`
    expect(pgCode(await insertProposal().catch((error: unknown) => error))).toBe('42501')
    const changed = await withTenant(
      h.db.runtimeDb,
      { tenantId, userId: business.actor.userId, actor: 'proposer' },
      (tx) => tx.execute(`UPDATE proposals SET title = 'changed' WHERE id = '${proposalId}'`),
    ).catch((error: unknown) => error)
    expect(pgCode(changed)).toBe('42501')
    expect(await h.db.adminSql`SELECT title FROM proposals WHERE id = ${proposalId}`).toEqual([
      { title: '朝市の試行' },
    ])
  })

  it('keeps a draft saved before it was suspended in its proposer’s sight, and says why it cannot go on', async () => {
    await eventually(() => registry.get(SLUG)?.status === 'suspended')
    const cookie = await h.cookieOf('biz1@example.com')
    const [biz] = await h.db.adminSql<{ userId: string; organisationId: string }[]>`
      SELECT u.id AS "userId", m.organisation_id AS "organisationId"
        FROM users u JOIN organisation_members m ON m.user_id = u.id
       WHERE u.email = 'biz1@example.com' LIMIT 1`
    // Saved while the city was live (as the owner: the city is suspended now).
    const [draft] = await h.db.adminSql<{ id: string }[]>`
      INSERT INTO proposals (tenant_id, organisation_id, submitter_user_id, proposal_type, track, state, title,
                             answers, idempotency_key)
      VALUES (${tenantId}, ${biz!.organisationId}, ${biz!.userId}, 'pilot', 'town_pilot', 'draft',
              '朝市の下書き', '{}'::jsonb, ${randomUUID()})
      RETURNING id`
    const draftId = draft!.id
    const load = async (route: { loader: unknown }, path: string, params: Record<string, string> = {}) => {
      const loader = route.loader as (args: {
        request: Request
        context: AppLoadContext
        params: Record<string, string>
      }) => Promise<Response>
      const response = await loader({ request: getRequest(path, cookie), context: await contextFor(cookie), params })
      return { status: response.status, data: (await response.json()) as Record<string, unknown> }
    }

    // The proposer's list still has it, marked as waiting for the city.
    const list = await load(myProposalsPage, '/proposals')
    expect(list.data.rows).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: draftId, citySlug: SLUG, accepting: false })]),
    )
    // Its page shows it, with no way to go on for now.
    const page = await load(proposerProposalPage, `/proposals/${SLUG}/${draftId}`, {
      city: SLUG,
      proposalId: draftId,
    })
    expect(page.status).toBe(200)
    expect(page.data).toMatchObject({ accepting: false, proposal: { title: '朝市の下書き' } })
    // Its "continue" link names the city as not taking proposals: the draft is neither shown nor dropped silently.
    const form = await load(proposalFormPage, `/proposals/new?draft=${SLUG}:${draftId}`)
    expect(form.status).toBe(200)
    expect(form.data).toMatchObject({
      cities: [],
      closedDrafts: [{ slug: SLUG, cityName: '見本町', proposalId: draftId }],
    })
    expect(await h.db.adminSql`SELECT title, state FROM proposals WHERE id = ${draftId}`).toEqual([
      { title: '朝市の下書き', state: 'draft' },
    ])
  })
})
