import { randomUUID } from 'node:crypto'
import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FormAlert, type ActionFailure } from '~/components/forms'
import type { Locale } from '~/i18n'
import { createHarness, formRequest, type Harness } from '~/test/harness'
import { getFixedT, getI18n } from '~/utils/i18n.server'
import { localeCookie } from '~/utils/locale.server'
import { PASSWORD_MIN_LENGTH } from '~/utils/password-rules'
import * as deskProposalPage from '~/routes/$city.desk.proposals.$proposalId'
import * as deskAgreementPage from '~/routes/$city.desk.proposals.$proposalId_.agreement'
import * as deskImplementationPage from '~/routes/$city.desk.proposals.$proposalId_.implementation'
import * as deskExperimentPage from '~/routes/$city.desk.proposals.$proposalId_.experiment'
import * as deskDisclosurePage from '~/routes/$city.desk.proposals.$proposalId_.disclosure'
import * as knowHowPage from '~/routes/$city.desk.know-how'
import * as themesPage from '~/routes/$city.desk.themes'
import * as casesPage from '~/routes/$city.desk.cases._index'
import * as casePage from '~/routes/$city.desk.cases.$caseId'
import * as proposerProposalPage from '~/routes/proposals.$city.$proposalId'
import * as proposerImplementationPage from '~/routes/proposals.$city.$proposalId_.implementation'
import * as proposerExperimentPage from '~/routes/proposals.$city.$proposalId_.experiment'
import * as proposerDisclosurePage from '~/routes/proposals.$city.$proposalId_.disclosure'

/**
 * Every form of the desk and of the pages after the decision is read with its
 * zod schema (issue 19): a malformed post — a field left out or malformed, an
 * option the city does not offer, an unknown form — is a 400 whose fields'
 * messages are locale keys, worded in Japanese and in English, and it changes
 * nothing in the database.
 */
let h: Harness
const DESK = 'desk-staff@aomori.example.jp'
const PROPOSER = 'biz1@example.com'
let deskProposalId: string
let ownProposalId: string

/** What the tables a form could change hold, row by row. */
async function everything(): Promise<string> {
  const tables = [
    'themes',
    'proposals',
    'proposal_departments',
    'proposal_events',
    'messages',
    'internal_notes',
    'know_how_entries',
    'attachments',
    'eligibility_screenings',
    'audit_log',
    'agreements',
    'implementation_milestones',
    'implementation_notes',
    'published_cases',
    'case_images',
    'experiments',
    'experiment_checklist',
    'experiment_permits',
    'disclosure_requests',
    'disclosure_documents',
    'stored_file_chunks',
  ]
  const rows = await Promise.all(
    tables.map(
      (table) =>
        h.db.adminSql.unsafe(
          `SELECT '${table}' AS t, count(*) AS n, md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS sum FROM ${table} x`,
        ) as Promise<{ t: string; n: string; sum: string }[]>,
    ),
  )
  return JSON.stringify(rows.flat())
}

type Action = (args: { request: Request; context: never; params: Record<string, string> }) => Promise<unknown>
type Post = {
  name: string
  route: { action: unknown }
  who: string
  path: () => string
  params: () => Record<string, string>
  fields: Record<string, string | string[]>
  /** A multipart form (the thread's reply, a form with a file). */
  multipart?: boolean
  /** The refused fields and their messages (locale keys); none for a value the page itself set (a stale form). */
  refused: Record<string, string>
  /** A value the page itself set was refused: the whole form is out of date (`stale_form`), no field is named. */
  stale?: boolean
}

const desk = (suffix = '') => ({
  who: DESK,
  path: () => `/aomori/desk/proposals/${deskProposalId}${suffix}`,
  params: () => ({ city: 'aomori', proposalId: deskProposalId }),
})
const proposer = (suffix = '') => ({
  who: PROPOSER,
  path: () => `/proposals/aomori/${ownProposalId}${suffix}`,
  params: () => ({ city: 'aomori', proposalId: ownProposalId }),
})
const caseId = randomUUID()
const documentId = randomUUID()

const posts: Post[] = [
  {
    name: 'desk: a transition with a method the city does not offer',
    route: deskProposalPage,
    ...desk(),
    fields: { intent: 'transition', transitionId: 'accept', version: '1', collaborationMethod: 'no-such-method' },
    refused: { collaborationMethod: 'auth:validation.choose' },
  },
  {
    name: 'desk: a transition with a malformed version (set by the page)',
    route: deskProposalPage,
    ...desk(),
    fields: { intent: 'transition', transitionId: 'accept', version: 'three' },
    refused: {},
    stale: true,
  },
  {
    name: 'desk: a form the page does not have',
    route: deskProposalPage,
    ...desk(),
    fields: { intent: 'delete-everything' },
    refused: {},
    stale: true,
  },
  {
    name: 'desk: a routing to a department the city does not have',
    route: deskProposalPage,
    ...desk(),
    fields: { intent: 'route', departments: ['no-such-department'] },
    refused: { departments: 'auth:validation.choose' },
  },
  {
    name: 'desk: a screening with a judgement that is not one',
    route: deskProposalPage,
    ...desk(),
    fields: { intent: 'screening', 'judgement.purpose': 'perhaps' },
    refused: { 'judgement.purpose': 'auth:validation.choose' },
  },
  {
    // The screening keeps a note of at most 2000 characters: refused at the note's field, before the operation.
    name: 'desk: a screening note longer than a screening keeps',
    route: deskProposalPage,
    ...desk(),
    fields: { intent: 'screening', 'judgement.purpose': 'pass', 'note.purpose': 'あ'.repeat(2001) },
    refused: { 'note.purpose': 'desk:proposal.noteTooLong' },
  },
  {
    name: 'desk: an empty internal note',
    route: deskProposalPage,
    ...desk(),
    fields: { intent: 'note', body: '   ' },
    refused: { body: 'proposals:thread.bodyError' },
  },
  {
    name: 'desk: an empty reply in the thread',
    route: deskProposalPage,
    ...desk(),
    multipart: true,
    fields: { intent: 'message', body: '' },
    refused: { body: 'proposals:thread.bodyError' },
  },
  {
    name: 'proposer: a transition without its version',
    route: proposerProposalPage,
    ...proposer(),
    fields: { intent: 'transition', transitionId: 'withdraw' },
    refused: {},
    stale: true,
  },
  {
    name: 'proposer: an empty reply in the thread',
    route: proposerProposalPage,
    ...proposer(),
    multipart: true,
    fields: { intent: 'message', body: ' ' },
    refused: { body: 'proposals:thread.bodyError' },
  },
  {
    name: 'know-how: a mark with a title too long and fields the city does not have',
    route: knowHowPage,
    who: DESK,
    path: () => '/aomori/desk/know-how',
    params: () => ({ city: 'aomori' }),
    fields: { intent: 'mark', noteId: randomUUID(), title: 'x'.repeat(81), fields: 'no-such-field' },
    refused: { title: 'auth:validation.tooLong', fields: 'auth:validation.choose' },
  },
  {
    name: 'know-how: a mark of a malformed note id (set by the page)',
    route: knowHowPage,
    who: DESK,
    path: () => '/aomori/desk/know-how',
    params: () => ({ city: 'aomori' }),
    fields: { intent: 'unmark', noteId: 'note-1' },
    refused: {},
    stale: true,
  },
  {
    name: 'themes: a theme without its title, with an impossible deadline and an unknown department',
    route: themesPage,
    who: DESK,
    path: () => '/aomori/desk/themes',
    params: () => ({ city: 'aomori' }),
    fields: { intent: 'save', titleJa: '', deadline: '2026-02-30', departmentKey: 'no-such-department' },
    refused: {
      titleJa: 'desk:themes.errors.required',
      deadline: 'desk:themes.errors.invalidDate',
      departmentKey: 'auth:validation.choose',
    },
  },
  {
    name: 'themes: a status that is not one (set by the page)',
    route: themesPage,
    who: DESK,
    path: () => '/aomori/desk/themes',
    params: () => ({ city: 'aomori' }),
    fields: { intent: 'status', themeId: randomUUID(), status: 'forgotten' },
    refused: {},
    stale: true,
  },
  {
    name: 'cases: a case from a malformed proposal id',
    route: casesPage,
    who: DESK,
    path: () => '/aomori/desk/cases',
    params: () => ({ city: 'aomori' }),
    fields: { proposalId: 'latest' },
    refused: {},
    stale: true,
  },
  {
    name: 'case: a case without its title, in a field the city does not have',
    route: casePage,
    who: DESK,
    path: () => `/aomori/desk/cases/${caseId}`,
    params: () => ({ city: 'aomori', caseId }),
    fields: { intent: 'save', titleJa: ' ', fields: 'no-such-field', startedOn: 'spring' },
    refused: {
      titleJa: 'after:cases.errors.required',
      fields: 'after:cases.errors.unknownField',
      startedOn: 'auth:validation.date',
    },
  },
  {
    name: 'case: an image without its Japanese description',
    route: casePage,
    who: DESK,
    path: () => `/aomori/desk/cases/${caseId}`,
    params: () => ({ city: 'aomori', caseId }),
    multipart: true,
    fields: { altEn: 'A market' },
    refused: { altJa: 'after:cases.errors.altRequired' },
  },
  {
    name: 'agreement: a malformed date and a kind the city does not have',
    route: deskAgreementPage,
    ...desk('/agreement'),
    multipart: true,
    fields: { version: '1', agreementKind: 'no-such-kind', concludedOn: '2026-13-01' },
    refused: { agreementKind: 'auth:validation.choose', concludedOn: 'auth:validation.date' },
  },
  {
    name: 'implementation (desk): a milestone without its title, with a malformed date and owner',
    route: deskImplementationPage,
    ...desk('/implementation'),
    fields: { intent: 'milestone', title: '', dueOn: 'next week', owner: 'mayor' },
    refused: { title: 'auth:validation.required', dueOn: 'auth:validation.date', owner: 'auth:validation.choose' },
  },
  {
    name: 'implementation (desk): a status that is not one',
    route: deskImplementationPage,
    ...desk('/implementation'),
    fields: { intent: 'status', milestoneId: randomUUID(), status: 'abandoned' },
    refused: { status: 'auth:validation.choose' },
  },
  {
    name: 'implementation (proposer): an empty progress note',
    route: proposerImplementationPage,
    ...proposer('/implementation'),
    fields: { intent: 'note', body: '' },
    refused: { body: 'auth:validation.required' },
  },
  {
    name: 'experiment (desk): an item with an impossible date',
    route: deskExperimentPage,
    ...desk('/experiment'),
    fields: { intent: 'item', itemKey: 'step:area_notice', dueOn: '2026-04-31' },
    refused: { dueOn: 'auth:validation.date' },
  },
  {
    name: 'experiment (desk): an item the checklist does not have (set by the page)',
    route: deskExperimentPage,
    ...desk('/experiment'),
    fields: { intent: 'item', itemKey: 'no-such-item' },
    refused: {},
    stale: true,
  },
  {
    name: 'experiment (desk): offers the city does not make',
    route: deskExperimentPage,
    ...desk('/experiment'),
    fields: { intent: 'details', offers: 'free-money' },
    refused: { offers: 'auth:validation.choose' },
  },
  {
    name: 'experiment (proposer): a permit without its issuer, reference and date',
    route: proposerExperimentPage,
    ...proposer('/experiment'),
    fields: { intent: 'permit', kind: '道路使用許可' },
    refused: {
      issuedBy: 'auth:validation.required',
      reference: 'auth:validation.required',
      issuedOn: 'auth:validation.required',
    },
  },
  {
    name: 'experiment (proposer): the cost rule acknowledged without its box ticked',
    route: proposerExperimentPage,
    ...proposer('/experiment'),
    fields: { intent: 'acknowledge' },
    refused: { acknowledged: 'auth:validation.required' },
  },
  {
    name: 'disclosure (desk): a request without its date, requester, documents and question',
    route: deskDisclosurePage,
    ...desk('/disclosure'),
    fields: { intent: 'request', opinionDueOn: '2026-02-29' },
    refused: {
      receivedOn: 'auth:validation.required',
      opinionDueOn: 'auth:validation.date',
      requesterDescription: 'auth:validation.required',
      documents: 'auth:validation.required',
      question: 'auth:validation.required',
    },
  },
  {
    name: 'disclosure (desk): a decision that is not one',
    route: deskDisclosurePage,
    ...desk('/disclosure'),
    fields: { intent: 'decide', requestId: randomUUID(), [`decision.${documentId}`]: 'shred' },
    refused: { [`decision.${documentId}`]: 'auth:validation.choose' },
  },
  {
    name: 'disclosure (proposer): an opinion on a malformed request id',
    route: proposerDisclosurePage,
    ...proposer('/disclosure'),
    fields: { intent: 'opinion', requestId: '1', opinion: '特になし' },
    refused: {},
    stale: true,
  },
]

function postOf(post: Post, cookie: string): Request {
  if (!post.multipart) {
    const request = formRequest(post.path(), {}, cookie)
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(post.fields)) for (const one of [value].flat()) body.append(name, one)
    return new Request(request.url, { method: 'POST', headers: request.headers, body })
  }
  const body = new FormData()
  for (const [name, value] of Object.entries(post.fields)) for (const one of [value].flat()) body.append(name, one)
  return new Request(`http://localhost${post.path()}`, {
    method: 'POST',
    headers: { Origin: 'http://localhost', Cookie: cookie },
    body,
  })
}

/** The refusal as the page shows it (the error summary) in the reader's language. */
async function shown(failure: ActionFailure, locale: Locale) {
  return renderToStaticMarkup(
    <I18nextProvider i18n={await getI18n(locale)}>
      <FormAlert failure={failure} />
    </I18nextProvider>,
  )
}

beforeAll(async () => {
  h = await createHarness()
  const [submitted] = await h.db.ownerSql<{ id: string }[]>`
    SELECT p.id FROM proposals p JOIN tenants t ON t.id = p.tenant_id
      JOIN organisation_members om ON om.organisation_id = p.organisation_id
      JOIN users u ON u.id = om.user_id
     WHERE t.slug = 'aomori' AND u.email = ${PROPOSER} AND p.submitted_at IS NOT NULL
     LIMIT 1`
  deskProposalId = submitted!.id
  ownProposalId = submitted!.id
}, 120_000)

afterAll(async () => {
  await h?.close()
})

describe('a malformed post to a desk or after-decision form', () => {
  for (const post of posts) {
    it(`${post.name}: a 400 in ja and en, worded from the locale files, and nothing changes`, async () => {
      const before = await everything()
      for (const locale of ['ja', 'en'] as const) {
        const cookie = `${await h.cookieOf(post.who)}; ${(await localeCookie.serialize(locale)).split(';')[0]}`
        const answer = (await (post.route.action as Action)({
          request: postOf(post, cookie),
          context: (await h.contextFor(cookie)) as never,
          params: post.params(),
        })) as Response
        expect(answer.status).toBe(400)
        const failure = (await answer.json()) as ActionFailure
        // The answers come back, with the intent that tells the page which of its forms was refused.
        expect(failure.values?.intent).toEqual(post.fields.intent)
        const t = await getFixedT(locale)
        const page = await shown(failure, locale)
        if (post.stale) {
          expect(failure).toMatchObject({ formError: 'common:errors.request.stale_form', fieldErrors: {} })
          expect(page).toContain(t('common:errors.request.stale_form'))
        } else {
          expect(failure.formError).toBe('common:errors.operation.invalid_input')
          expect(failure.fieldErrors).toEqual(post.refused)
        }
        for (const message of Object.values(failure.fieldErrors ?? {})) {
          // Every message is a locale key, shown in the reader's language.
          expect(message).toMatch(/^[a-z]+:[a-zA-Z.]+$/)
          const worded = t(message, { min: PASSWORD_MIN_LENGTH })
          expect(worded).not.toBe(message)
          expect(page).toContain(worded.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;'))
        }
      }
      expect(await everything()).toBe(before)
    })
  }
})
