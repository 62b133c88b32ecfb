import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  countDatabaseWork,
  createHarness,
  formRequest,
  getRequest,
  demoSessionCookies,
  type Harness,
} from '~/test/harness'
import * as root from '~/root'
import * as cityLayout from '~/routes/$city'
import * as deskLayout from '~/routes/$city.desk'
import * as inboxPage from '~/routes/$city.desk._index'
import * as deskProposalPage from '~/routes/$city.desk.proposals.$proposalId'
import * as proposerProposalPage from '~/routes/proposals.$city.$proposalId'
import * as deskCaseImage from '~/routes/$city.desk.cases.$caseId.images.$imageId'
import * as newProposalPage from '~/routes/proposals.new'
import * as knowHowPage from '~/routes/$city.desk.know-how'
import * as dashboardPage from '~/routes/$city.desk.dashboard'
import * as deskThemesPage from '~/routes/$city.desk.themes'
import * as deskCasesPage from '~/routes/$city.desk.cases._index'
import * as deskCasePage from '~/routes/$city.desk.cases.$caseId'
import * as staffPage from '~/routes/$city.desk.staff'
import * as dataPage from '~/routes/$city.desk.data'
import * as agreementPage from '~/routes/$city.desk.proposals.$proposalId_.agreement'
import * as disclosurePage from '~/routes/$city.desk.proposals.$proposalId_.disclosure'
import * as experimentPage from '~/routes/$city.desk.proposals.$proposalId_.experiment'
import * as implementationPage from '~/routes/$city.desk.proposals.$proposalId_.implementation'
import * as organisationPage from '~/routes/organisations.$organisationId'
import { proposalSubmission } from '../../e2e/harness/proposal-form'

/**
 * How much database work a page costs, counted on the runtime pool while the
 * page's loaders run as Remix runs them for a document (all matched routes at
 * once): one tenant transaction per page besides the session's (issue 19),
 * and a bounded number of round trips. The session is validated before
 * counting, as the session middleware does before Remix. The portal's
 * published-content snapshot (app/utils/portal/published-content.server.ts) is
 * read at most once per 5 s per city and process, not per request: each
 * measurement warms it first, as a running server has.
 */
let h: Harness
const DESK = 'desk-staff@komatsu.example.jp'
const DEPARTMENT = 'dept-staff@komatsu.example.jp'
const PROPOSER = 'biz1@example.com'
const ADMIN = 'desk-admin@komatsu.example.jp'

const cookieOf = demoSessionCookies(() => h)

type Loader = (args: { request: Request; context: never; params: Record<string, string> }) => Promise<unknown>

/** The loaders of `routes` for one GET of `path`, started together with one load context, as Remix does. */
async function documentLoad(
  routes: { loader: unknown }[],
  path: string,
  email: string,
  params: Record<string, string>,
) {
  const cookie = await cookieOf(email)
  const context = await h.contextFor(cookie) // the session middleware's own work, not counted
  if (params.city)
    await (cityLayout.loader as Loader)({
      request: getRequest(`/${params.city}`),
      context: context as never,
      params,
    })
  const work = await countDatabaseWork(h, async () => {
    const answers = await Promise.all(
      routes.map((route) =>
        (route.loader as Loader)({
          request: getRequest(path, cookie),
          context: context as never,
          params,
        }).catch((thrown: unknown) => thrown),
      ),
    )
    return answers.map((answer) => (answer instanceof Response ? answer.status : 'not a response'))
  })
  if (process.env.SHOW_WORK) console.log(path, email, work)
  return work
}

let deskProposalId: string
let proposerProposalId: string
let deskCaseId: string
let experimentProposalId: string
let proposerOrganisationId: string

beforeAll(async () => {
  h = await createHarness()
  const [routed] = await h.db.ownerSql<{ id: string }[]>`
    SELECT p.id FROM proposals p JOIN tenants t ON t.id = p.tenant_id
     WHERE t.slug = 'komatsu' AND p.submitted_at IS NOT NULL
       AND EXISTS (SELECT 1 FROM proposal_departments d WHERE d.tenant_id = p.tenant_id AND d.proposal_id = p.id)
       AND EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = p.tenant_id AND m.proposal_id = p.id)
     LIMIT 1`
  deskProposalId = routed!.id
  const [own] = await h.db.ownerSql<{ id: string }[]>`
    SELECT p.id FROM proposals p
      JOIN tenants t ON t.id = p.tenant_id
      JOIN organisation_members om ON om.organisation_id = p.organisation_id
      JOIN users u ON u.id = om.user_id
     WHERE t.slug = 'komatsu' AND u.email = ${PROPOSER} AND p.submitted_at IS NOT NULL
     LIMIT 1`
  proposerProposalId = own!.id
  const [organisation] = await h.db.ownerSql<{ id: string }[]>`
    SELECT om.organisation_id AS id FROM organisation_members om JOIN users u ON u.id = om.user_id
     WHERE u.email = ${PROPOSER} AND om.role = 'owner' LIMIT 1`
  proposerOrganisationId = organisation!.id
  const [publishedCase] = await h.db.ownerSql<{ id: string }[]>`
    SELECT c.id FROM published_cases c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'komatsu' LIMIT 1`
  deskCaseId = publishedCase!.id
  const [experiment] = await h.db.ownerSql<{ id: string }[]>`
    SELECT e.proposal_id AS id FROM experiments e JOIN tenants t ON t.id = e.tenant_id WHERE t.slug = 'aomori' LIMIT 1`
  experimentProposalId = experiment!.id
  // The city's row id is looked up once per process: warm it, as any running server has.
  await documentLoad([deskLayout], '/komatsu/desk', DESK, { city: 'komatsu' })
}, 120_000)

afterAll(async () => {
  await h?.close()
})

describe('one tenant transaction per page', () => {
  it("the session's validation, which every signed-in request pays: one transaction in one round trip", async () => {
    const cookie = await cookieOf(DESK)
    const work = await countDatabaseWork(h, () => h.contextFor(cookie))
    expect(work.result.user?.email).toBe(DESK)
    expect(work.transactions).toBe(1)
    // BEGIN, settings, find_session, touch_session and COMMIT written together (withTenantStatements).
    expect(work.statements).toBe(5)
    expect(work.roundTrips).toBe(1)
  })

  it('the desk proposal page: membership, counts and the whole page in one transaction', async () => {
    const params = { city: 'komatsu', proposalId: deskProposalId }
    const path = `/komatsu/desk/proposals/${deskProposalId}`
    for (const email of [DESK, DEPARTMENT]) {
      const work = await documentLoad([root, cityLayout, deskLayout, deskProposalPage], path, email, params)
      expect(work.result).toEqual([200, 200, 200, 200])
      expect(work.transactions).toBe(1)
      // BEGIN + settings + membership; the proposal; its parts; the thread's files and authors; the names of
      // who marked know-how (app_people, migration 0034); the read marker and the audit record, which wait for
      // every read (on Citus a definer's read after the request's write is refused), so they go with the
      // names or, when the names' reply is late, on their own; COMMIT.
      expect(work.roundTrips).toBeLessThanOrEqual(8)
      expect(work.statements).toBeLessThanOrEqual(20)
      // The layout and the page share the membership's read: sent once.
      expect(work.repeated).toEqual([])
    }
  })

  it('the desk inbox: membership, counts, the page of proposals and the themes in one transaction', async () => {
    const work = await documentLoad([root, cityLayout, deskLayout, inboxPage], '/komatsu/desk', DESK, {
      city: 'komatsu',
    })
    expect(work.result).toEqual([200, 200, 200, 200])
    expect(work.transactions).toBe(1)
    // …and the page's organisation names (app_organisations, migration 0034: the policy shows staff none).
    expect(work.roundTrips).toBeLessThanOrEqual(5)
    expect(work.statements).toBeLessThanOrEqual(10)
    expect(work.repeated).toEqual([])
  })

  it("the proposer's proposal page: status, thread and files in one transaction", async () => {
    const params = { city: 'komatsu', proposalId: proposerProposalId }
    const path = `/proposals/komatsu/${proposerProposalId}`
    await documentLoad([root, proposerProposalPage], path, PROPOSER, params) // the city's id, once per process
    const work = await documentLoad([root, proposerProposalPage], path, PROPOSER, params)
    expect(work.result).toEqual([200, 200])
    expect(work.transactions).toBe(1)
    expect(work.roundTrips).toBeLessThanOrEqual(4)
    // The thread's authors (app_people) go with its files and read marker.
    expect(work.statements).toBeLessThanOrEqual(12)
    expect(work.repeated).toEqual([])
  })

  it("an organisation's page: the membership, profile, members and invitations in one transaction", async () => {
    const params = { organisationId: proposerOrganisationId }
    const work = await documentLoad([root, organisationPage], `/organisations/${proposerOrganisationId}`, PROPOSER, params)
    expect(work.result).toEqual([200, 200])
    expect(work.transactions).toBe(1)
    expect(work.repeated).toEqual([])
    // Not a member: the same one transaction answers 404, as for an organisation that does not exist.
    const outsider = await documentLoad([root, organisationPage], `/organisations/${proposerOrganisationId}`, 'univ@example.com', params)
    expect(outsider.result).toEqual([200, 404])
    expect(outsider.transactions).toBe(1)
  })

  it("the desk's case image: the membership and the image's row in one transaction", async () => {
    const params = { city: 'komatsu', caseId: randomUUID(), imageId: randomUUID() }
    const path = `/komatsu/desk/cases/${params.caseId}/images/${params.imageId}`
    const work = await documentLoad([deskCaseImage], path, DESK, params)
    expect(work.result).toEqual([404])
    expect(work.transactions).toBe(1)
  })

  it('a refusal still comes from the one transaction (another city’s staff: 403)', async () => {
    const work = await documentLoad(
      [deskLayout, deskProposalPage],
      `/komatsu/desk/proposals/${deskProposalId}`,
      'desk-admin@aomori.example.jp',
      { city: 'komatsu', proposalId: deskProposalId },
    )
    expect(work.result).toEqual([403, 403])
  })
})

describe("the desk's other pages", () => {
  /** Each page as the city's desk admin opens it (Aomori's for the experiment: Komatsu's file has none). */
  const pages = () => {
    const city = { city: 'komatsu' }
    const proposal = { ...city, proposalId: deskProposalId }
    const proposalPath = `/komatsu/desk/proposals/${deskProposalId}`
    const experiment = { city: 'aomori', proposalId: experimentProposalId }
    return [
      { route: knowHowPage, path: '/komatsu/desk/know-how', params: city },
      { route: dashboardPage, path: '/komatsu/desk/dashboard', params: city },
      { route: deskThemesPage, path: '/komatsu/desk/themes', params: city },
      { route: deskCasesPage, path: '/komatsu/desk/cases', params: city },
      {
        route: deskCasePage,
        path: `/komatsu/desk/cases/${deskCaseId}`,
        params: { ...city, caseId: deskCaseId },
      },
      { route: staffPage, path: '/komatsu/desk/staff', params: city },
      { route: dataPage, path: '/komatsu/desk/data', params: city },
      { route: agreementPage, path: `${proposalPath}/agreement`, params: proposal },
      { route: disclosurePage, path: `${proposalPath}/disclosure`, params: proposal },
      { route: implementationPage, path: `${proposalPath}/implementation`, params: proposal },
      {
        route: experimentPage,
        path: `/aomori/desk/proposals/${experimentProposalId}/experiment`,
        params: experiment,
        email: 'desk-admin@aomori.example.jp',
      },
    ]
  }

  it('each runs its reads in the one transaction that reads the membership, with the desk layout', async () => {
    for (const { route, path, params, email } of pages()) {
      if (params.city === 'aomori') await documentLoad([deskLayout], `/aomori/desk`, email!, params) // the city's id
      const work = await documentLoad([root, cityLayout, deskLayout, route], path, email ?? ADMIN, params)
      expect(work.result, path).toEqual([200, 200, 200, 200])
      expect(work.transactions, path).toBe(1)
      expect(work.repeated, path).toEqual([])
    }
  })
})

describe("a proposal page's posts", () => {
  /** The page's action for one POST, as the session middleware hands it on (its own work not counted). */
  async function postTo(route: { action: unknown }, path: string, email: string, params: Record<string, string>, body: Record<string, string>) {
    const cookie = await cookieOf(email)
    const context = await h.contextFor(cookie)
    // A note is a plain form; a reply may carry files, so the page posts it as multipart.
    const form = new FormData()
    for (const [name, value] of Object.entries(body)) form.set(name, value)
    const request = body.intent
      ? formRequest(path, body, cookie)
      : new Request(`http://localhost${path}`, { method: 'POST', headers: { Origin: 'http://localhost', Cookie: cookie }, body: form })
    return countDatabaseWork(h, async () => {
      const answer = await (route.action as (args: unknown) => Promise<unknown>)({ request, context, params }).catch((thrown: unknown) => thrown)
      return answer instanceof Response ? answer.status : 'not a response'
    })
  }

  it("the desk's note and reply: the membership's transaction, then the operation's, no statement sent twice", async () => {
    const params = { city: 'komatsu', proposalId: deskProposalId }
    const path = `/komatsu/desk/proposals/${deskProposalId}`
    const bodies: Record<string, string>[] = [{ intent: 'note', body: 'A note for the desk' }, { body: 'A reply to the proposer' }]
    for (const body of bodies) {
      const work = await postTo(deskProposalPage, path, DESK, params, body)
      expect(work.result).toBe(302)
      // The form (and a reply's files) is read between the two: no pooled connection waits for a body.
      expect(work.transactions).toBeLessThanOrEqual(2)
      expect(work.repeated).toEqual([])
    }
  })

  it("the proposer's reply: one transaction", async () => {
    const params = { city: 'komatsu', proposalId: proposerProposalId }
    const work = await postTo(proposerProposalPage, `/proposals/komatsu/${proposerProposalId}`, PROPOSER, params, { body: 'A reply to the desk' })
    expect(work.result).toBe(302)
    expect(work.transactions).toBe(1)
    expect(work.repeated).toEqual([])
  })
})

describe('one transaction per city for a submission', () => {
  const cities = ['komatsu', 'aomori']

  /** A complete form for the two cities, as the browser posts it (the harness's form of each city, merged). */
  async function twoCityForm(idempotencyKey: string, title: string): Promise<FormData> {
    const [member] = await h.db.ownerSql<{ organisationId: string }[]>`
      SELECT om.organisation_id AS "organisationId" FROM organisation_members om
        JOIN users u ON u.id = om.user_id WHERE u.email = ${PROPOSER} LIMIT 1`
    const form = new FormData()
    for (const slug of cities) {
      const submission = proposalSubmission(h.tenants.get(slug)!.config, member!.organisationId)
      const sample = submission.body({ idempotencyKey, title: `${title} ${slug}` })
      const parsed = await new Response(sample.body, {
        headers: { 'Content-Type': sample.contentType },
      }).formData()
      for (const [name, value] of parsed)
        if (!form.has(name) || name.startsWith(`${slug}.`)) form.append(name, value)
    }
    return form
  }

  /** The action's answer to `body`, posted as the session middleware hands it on (its own work not counted). */
  async function poster() {
    const cookie = await cookieOf(PROPOSER)
    const context = await h.contextFor(cookie)
    return (body: FormData) => post(body, cookie, context)
  }

  function post(body: FormData, cookie: string, context: unknown): Promise<Response> {
    return newProposalPage.action({
      request: new Request(
        `http://localhost/proposals/new?${cities.map((slug) => `city=${slug}`).join('&')}`,
        {
          method: 'POST',
          headers: { Origin: 'http://localhost', Cookie: cookie },
          body,
        },
      ),
      context: context as never,
      params: {},
    }) as Promise<Response>
  }

  const withIntent = (form: FormData, intent: string, extra: [string, string][] = []) => {
    const copy = new FormData()
    for (const [name, value] of form) if (name !== 'intent') copy.append(name, value)
    copy.append('intent', intent)
    for (const [name, value] of extra) copy.append(name, value)
    return copy
  }

  it('a submission to two cities opens one tenant transaction per city for the proposal and its files', async () => {
    const form = await twoCityForm(randomUUID(), '二都市への提案')
    const post = await poster()
    // A first submission warms what a running server keeps (the cities' row ids, the published content).
    const first = new FormData()
    for (const [name, value] of form) first.append(name, name === 'idempotencyKey' ? randomUUID() : value)
    expect((await post(first)).status).toBe(302)
    const work = await countDatabaseWork(h, () => post(form))
    expect(work.result.status).toBe(302)
    const references = new URL(work.result.headers.get('Location')!, 'http://localhost').searchParams.get(
      'submitted',
    )!
    expect(references.split(' ')).toHaveLength(2)
    // Each city: the submission with its files, its notifications and their mail job (one transaction).
    if (process.env.SHOW_WORK) console.log('submission', work)
    expect(work.transactions).toBeLessThanOrEqual(cities.length)
    expect(work.roundTrips).toBeLessThanOrEqual(25 * cities.length)
  })

  it('two saved drafts: their preview and their submission each open one tenant transaction per city', async () => {
    const form = await twoCityForm(randomUUID(), '二都市の下書き')
    const post = await poster()
    const saved = await post(withIntent(form, 'save'))
    expect(saved.status).toBe(302)
    const drafts = new URL(saved.headers.get('Location')!, 'http://localhost').searchParams.getAll('draft')
    expect(drafts).toHaveLength(2)
    const draftFields: [string, string][] = []
    for (const value of drafts) {
      const [slug, id] = value.split(':') as [string, string]
      const [row] = await h.db.ownerSql<{ version: number }[]>`SELECT version FROM proposals WHERE id = ${id}`
      draftFields.push([`${slug}.draftId`, id], [`${slug}.draftVersion`, String(row!.version)])
    }
    const preview = await countDatabaseWork(h, () => post(withIntent(form, 'preview', draftFields)))
    if (process.env.SHOW_WORK) console.log('preview of drafts', preview)
    expect(preview.result.status).toBe(200)
    expect(Object.keys(((await preview.result.json()) as { preview: object }).preview)).toEqual(cities)
    expect(preview.transactions).toBeLessThanOrEqual(cities.length)

    const submitted = await countDatabaseWork(h, () => post(withIntent(form, 'submit', draftFields)))
    if (process.env.SHOW_WORK) console.log('submission of drafts', submitted)
    expect(submitted.result.status).toBe(302)
    expect(submitted.transactions).toBeLessThanOrEqual(cities.length)
    const [{ n }] = await h.db.ownerSql<[{ n: number }]>`
      SELECT count(*)::int AS n FROM proposals
       WHERE id = ANY(${drafts.map((value) => value.split(':')[1]!)}) AND submitted_at IS NOT NULL`
    expect(n).toBe(2)
  })
})
