import { randomUUID } from 'node:crypto'
import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CityFormSection } from '~/components/proposal/city-form-section'
import { cityFormView } from '~/http/city-form'
import type { FormValues } from '~/http/form-schemas'
import { createHarness, type Harness } from '~/test/harness'
import type { TenantRegistry } from '~/utils/tenant-registry.server'
import { demoProposer } from '~/test/operations-world'
import { getI18n } from '~/utils/i18n.server'
import { resources } from '~/i18n'
import { proposalSubmission } from '../../e2e/harness/proposal-form'
import * as newProposal from '~/routes/proposals.new'
import type * as TenantConfigPackage from '@desk/tenant-config'
import type * as RemixReact from '@remix-run/react'

/**
 * The proposal form's action: one parse of the form with the schema built
 * from the city's tenant form, each answer checked once (the file fields,
 * which the draft's saved files complete, in the submission's transaction);
 * after a refusal the form shows what was sent, also without JavaScript.
 */

// How often each answer of a city form is checked: every schema the package builds counts its fields' checks.
const checks = vi.hoisted(() => new Map<string, number>())
vi.mock('@desk/tenant-config', async (importOriginal) => {
  const actual = await importOriginal<typeof TenantConfigPackage>()
  const { z } = await import('zod')
  return {
    ...actual,
    buildProposalFormSchema: (config: TenantConfigPackage.ProposalFormRules, proposalTypeId: string) => {
      const schema = actual.buildProposalFormSchema(config, proposalTypeId)
      return z
        .object(
          Object.fromEntries(
            Object.entries(schema.shape).map(([id, field]) => [
              id,
              field.superRefine(() => void checks.set(id, (checks.get(id) ?? 0) + 1)),
            ]),
          ),
        )
        .strict()
    },
  }
})

// The section and the page outside a Remix router: their data is given here, and no route data says a
// text is in another language.
const page = vi.hoisted(() => ({ loaderData: undefined as unknown, actionData: undefined as unknown }))
vi.mock('@remix-run/react', async (importOriginal) => {
  const { createElement } = await import('react')
  return {
    ...(await importOriginal<typeof RemixReact>()),
    useMatches: () => [],
    useLoaderData: () => page.loaderData,
    useActionData: () => page.actionData,
    useNavigation: () => ({ state: 'idle' }),
    Form: (props: Record<string, unknown>) => createElement('form', props),
    Link: ({ to, ...props }: { to: string }) => createElement('a', { ...props, href: to }),
  }
})

const CITY = 'komatsu'
let h: Harness
let cookie: string
let organisationId: string

beforeAll(async () => {
  h = await createHarness()
  ;({ cookie, organisationId } = await demoProposer(h))
}, 120_000)

afterAll(async () => {
  await h?.close()
})

/** The city's complete form as a browser posts it, with `change` applied to its entries. */
async function cityForm(change: (form: FormData) => void = () => {}): Promise<FormData> {
  const sample = proposalSubmission(h.tenants.get(CITY)!.config, organisationId).body({
    title: `一度だけ確かめる ${randomUUID().slice(0, 8)}`,
  })
  const form = await new Response(sample.body, { headers: { 'Content-Type': sample.contentType } }).formData()
  change(form)
  return form
}

async function post(form: FormData, cities: string[] = [CITY]): Promise<Response> {
  const query = new URLSearchParams(cities.map((city) => ['city', city]))
  return (await newProposal.action({
    request: new Request(`http://localhost/proposals/new?${query}`, {
      method: 'POST',
      headers: { Origin: 'http://localhost', Cookie: cookie },
      body: form,
    }),
    context: await h.contextFor(cookie),
    params: {},
  })) as Response
}

/** The form for CITY and `second`, each part complete (the second city's proposal titled on its own). */
async function twoCityForm(second: string): Promise<FormData> {
  const form = await cityForm()
  const part = proposalSubmission(h.tenants.get(second)!.config, organisationId).body({
    title: `二市目の提案 ${randomUUID().slice(0, 8)}`,
  })
  const partForm = await new Response(part.body, { headers: { 'Content-Type': part.contentType } }).formData()
  for (const [name, value] of partForm) if (name.startsWith(`${second}.`)) form.append(name, value)
  return form
}

/** The page as the proposer sees it after the action answered `failure`. */
async function renderedAfter(failure: unknown, cities: string[], locale: 'ja' | 'en'): Promise<string> {
  const query = new URLSearchParams(cities.map((city) => ['city', city]))
  const loaded = (await newProposal.loader({
    request: new Request(`http://localhost/proposals/new?${query}`, { headers: { Cookie: cookie } }),
    context: await h.contextFor(cookie),
    params: {},
  })) as Response
  page.loaderData = await loaded.json()
  page.actionData = failure
  return renderToStaticMarkup(
    <I18nextProvider i18n={await getI18n(locale)}>
      <newProposal.default />
    </I18nextProvider>,
  )
}

describe('the proposal form’s action', () => {
  it('checks each answer of the city form once per submission', async () => {
    const form = await cityForm()
    checks.clear()
    const response = await post(form)
    expect(response.status).toBe(302)
    const config = h.tenants.get(CITY)!.config
    const typeId = String(form.get(`${CITY}.proposalType`))
    const formId = config.proposalTypes.find((type) => type.id === typeId)!.form
    const fieldIds = config.forms
      .find((candidate) => candidate.id === formId)!
      .fields.map((field) => field.id)
    expect(fieldIds.length).toBeGreaterThan(2)
    expect(Object.fromEntries(fieldIds.map((id) => [id, checks.get(id) ?? 0]))).toEqual(
      Object.fromEntries(fieldIds.map((id) => [id, 1])),
    )
  })

  it('answers a refusal with what was sent, and the form shows it again', async () => {
    const config = h.tenants.get(CITY)!.config
    const view = cityFormView(config, 'ja', undefined, [])
    const tooLong = 'x'.repeat(500)
    const [first, ...others] = view.toConfirm.map((criterion) => criterion.id)
    expect(others.length).toBeGreaterThan(0)
    const form = await cityForm((data) => {
      data.set(`${CITY}.title`, tooLong)
      data.delete(`${CITY}.criteria`)
      for (const id of others) data.append(`${CITY}.criteria`, id)
    })
    const response = await post(form)
    expect(response.status).toBe(400)
    const failure = (await response.json()) as { fieldErrors: Record<string, string>; values: FormValues }
    expect(failure.fieldErrors[`${CITY}.title`]).toMatch(/文字以内/)
    expect(failure.fieldErrors[`${CITY}.criteria.${first}`]).toBe('確認してチェックしてください。')
    expect(failure.values[`${CITY}.title`]).toEqual(tooLong)
    expect(failure.values[`${CITY}.criteria`]).toEqual(others)
    expect(failure.values).not.toHaveProperty('idempotencyKey')

    const page = renderToStaticMarkup(
      <I18nextProvider i18n={await getI18n('ja')}>
        <CityFormSection
          city={view}
          draft={undefined}
          preselectedTheme={null}
          errors={failure.fieldErrors}
          values={failure.values}
        />
      </I18nextProvider>,
    )
    expect(page).toContain(`value="${tooLong}"`)
    const box = (id: string) => page.match(new RegExp(`<input[^>]*id="${CITY}.criteria.${id}"[^>]*>`))?.[0]
    for (const id of others) expect(box(id)).toContain('checked=""')
    expect(box(first!)).not.toContain('checked=""')
    expect(box(first!)).toContain('aria-invalid="true"')
  })

  it('without JavaScript, a free proposal sent with the theme list the page showed for a theme proposal is submitted, answering no theme', async () => {
    // The page opens on the city's first type, a theme proposal, with its theme list; without JavaScript
    // that list stays on the page (and is sent) when the proposer ticks the free type instead.
    const shown = await renderedAfter(undefined, [CITY], 'ja')
    const themeId = shown.match(
      new RegExp(`<select[^>]*name="${CITY}.themeId"[^>]*>\\s*<option value="([^"]+)"`),
    )?.[1]
    expect(themeId).toBeDefined()
    const form = await cityForm((data) => data.set(`${CITY}.themeId`, themeId!))
    const type = h.tenants
      .get(CITY)!
      .config.proposalTypes.find((candidate) => candidate.id === form.get(`${CITY}.proposalType`))
    expect(type?.answersPublishedTheme).toBe(false)
    const response = await post(form)
    expect(response.status).toBe(302)
    const title = String(form.get(`${CITY}.title`))
    const [stored] = await h.db.ownerSql<{ theme_id: string | null }[]>`
      SELECT theme_id FROM proposals WHERE title = ${title}`
    expect(stored).toEqual({ theme_id: null })
  })

  it('a support track the type does not offer (a page out of date) is refused at its field in the proposer’s language', async () => {
    const SECOND = 'aomori'
    const sample = proposalSubmission(h.tenants.get(SECOND)!.config, organisationId).body()
    const form = await new Response(sample.body, {
      headers: { 'Content-Type': sample.contentType },
    }).formData()
    form.set(`${SECOND}.trackId`, 'no-such-track')
    const response = await post(form, [SECOND])
    expect(response.status).toBe(422)
    const failure = (await response.json()) as { fieldErrors: Record<string, string> }
    expect(failure.fieldErrors[`${SECOND}.trackId`]).toBe(
      'この提案の種類で選べる支援の区分から選んでください。',
    )
  })

  it('when a chosen city stopped taking proposals after the form was shown, sends nothing and says which city, in the proposer’s language', async () => {
    const SECOND = 'aomori'
    const form = await twoCityForm(SECOND)
    const titles = [String(form.get(`${CITY}.title`)), String(form.get(`${SECOND}.title`))]
    // This server already knows the second city is suspended (the operator's console, a reload).
    const registry: TenantRegistry = {
      ...h.tenants,
      get: (slug) => {
        const tenant = h.tenants.get(slug)
        return tenant && slug === SECOND ? { ...tenant, status: 'suspended' } : tenant
      },
      list: () => h.tenants.list().filter((tenant) => tenant.slug !== SECOND),
    }
    const query = new URLSearchParams([CITY, SECOND].map((city) => ['city', city]))
    const response = (await newProposal.action({
      request: new Request(`http://localhost/proposals/new?${query}`, {
        method: 'POST',
        headers: { Origin: 'http://localhost', Cookie: cookie },
        body: form,
      }),
      context: await h.contextFor(cookie, { tenants: registry }),
      params: {},
    })) as Response
    expect(response.status).toBe(409)
    const failure = await response.json()
    // Nothing was sent, to either city: the proposer is not left believing it went to every city chosen.
    const [stored] = await h.db.ownerSql<{ count: number }[]>`
      SELECT count(*)::int AS count FROM proposals WHERE title IN ${h.db.ownerSql(titles)}`
    expect(stored!.count).toBe(0)
    expect(failure.values[`${CITY}.title`]).toBe(titles[0])

    // The closed city by name, as the action wrote it for the proposer (in Japanese here: the request's language).
    const secondName = h.tenants.get(SECOND)!.config.identity.name.ja
    for (const [locale, texts] of [
      ['ja', ['現在提案を受け付けていない市があります', `${secondName}は現在提案を受け付けていません`]],
      ['en', ['A city is not taking proposals at the moment', `${secondName}: not taking proposals`]],
    ] as const) {
      const html = await renderedAfter(failure, [CITY, SECOND], locale)
      for (const text of texts) expect(html).toContain(text)
      // The form that is left goes to the first city only, with what was written.
      expect(html).toContain(`action="/proposals/new?city=${CITY}&amp;organisation=${organisationId}"`)
      // Its fields are marked required, but the browser never blocks the post (a draft is saved incomplete,
      // and without JavaScript the action's summary names every error at once).
      expect(html.match(/<form[^>]*action="\/proposals\/new\?[^"]*"[^>]*>/)?.[0]).toContain('novalidate=""')
      expect(html).toContain(titles[0])
    }
  })

  it('when a later city’s transaction fails (the city suspended a moment ago), keeps the first city’s proposal and says which cities have it, never a 500', async () => {
    const SECOND = 'aomori'
    const form = await twoCityForm(SECOND)
    const title = String(form.get(`${CITY}.title`))
    const secondTitle = String(form.get(`${SECOND}.title`))
    // Suspended in the database after the request's registry said live (another server suspended it):
    // row-level security refuses the second city's insert (42501), a database failure, not a refusal.
    await h.db.ownerSql`UPDATE tenants SET status = 'suspended' WHERE slug = ${SECOND}`
    try {
      const response = await post(form, [CITY, SECOND])
      expect(response.status).toBeLessThan(500)
      const failure = (await response.json()) as {
        formError: string
        submitted?: { slug: string; proposalId: string; referenceCode: string }[]
        notSent?: string
      }
      const [stored] = await h.db.ownerSql<{ id: string; reference_code: string }[]>`
        SELECT p.id, p.reference_code FROM proposals p JOIN tenants t ON t.id = p.tenant_id
         WHERE t.slug = ${CITY} AND p.title = ${title} AND p.submitted_at IS NOT NULL`
      expect(stored?.reference_code).toBeTruthy()
      expect(failure.submitted).toEqual([
        { slug: CITY, proposalId: stored!.id, referenceCode: stored!.reference_code },
      ])
      const [secondStored] = await h.db.ownerSql<{ count: number }[]>`
        SELECT count(*)::int AS count FROM proposals WHERE title = ${secondTitle}`
      expect(secondStored!.count).toBe(0)

      // In the proposer's language: which city has it, which has not, and that they may send it again.
      for (const [locale, texts] of [
        [
          'ja',
          ['一部の市には提出済みです', `受付番号：${stored!.reference_code}`, 'もう一度提出してください'],
        ],
        ['en', ['Submitted to some of the cities', `reference ${stored!.reference_code}`, 'submit it again']],
      ] as const) {
        const html = await renderedAfter(failure, [CITY, SECOND], locale)
        for (const text of texts) expect(html).toContain(text)
        // Not the database's word alone ("not allowed", "nothing was saved"): one city has it.
        for (const message of Object.values(resources[locale].common.errors.operation))
          expect(html).not.toContain(message)
        expect(html).toContain(`action="/proposals/new?city=${SECOND}&amp;organisation=${organisationId}"`)
      }
    } finally {
      await h.db.ownerSql`UPDATE tenants SET status = 'live' WHERE slug = ${SECOND}`
    }
  })

  it('after a later city refuses, names the cities already submitted with their reference codes', async () => {
    const SECOND = 'aomori'
    const [theme] = await h.db.ownerSql<{ id: string }[]>`
      SELECT th.id FROM themes th JOIN tenants t ON t.id = th.tenant_id
       WHERE t.slug = ${SECOND} AND th.status = 'open' LIMIT 1`
    expect(theme).toBeDefined()
    // The second city's part answers a theme that was open when the form was loaded.
    const form = await cityForm()
    const second = proposalSubmission(h.tenants.get(SECOND)!.config, organisationId).body({
      title: `二市目の提案 ${randomUUID().slice(0, 8)}`,
    })
    const secondForm = await new Response(second.body, {
      headers: { 'Content-Type': second.contentType },
    }).formData()
    for (const [name, value] of secondForm)
      if (name.startsWith(`${SECOND}.`) && name !== `${SECOND}.proposalType`) form.append(name, value)
    form.set(`${SECOND}.proposalType`, 'issue')
    form.set(`${SECOND}.themeId`, theme!.id)
    const title = String(form.get(`${CITY}.title`))
    const countOf = async (slug: string) => {
      const [row] = await h.db.ownerSql<{ count: number }[]>`
        SELECT count(*)::int AS count FROM proposals p JOIN tenants t ON t.id = p.tenant_id WHERE t.slug = ${slug}`
      return row!.count
    }
    const secondBefore = await countOf(SECOND)
    // The theme closes between load and submit: only the second city's transaction can tell.
    await h.db.ownerSql`UPDATE themes SET status = 'closed' WHERE id = ${theme!.id}`
    try {
      const response = await post(form, [CITY, SECOND])
      expect(response.status).toBe(422)
      const failure = (await response.json()) as {
        fieldErrors: Record<string, string>
        submitted?: { slug: string; cityName: string; proposalId: string; referenceCode: string }[]
      }
      expect(failure.fieldErrors[`${SECOND}.themeId`]).toBeTruthy()
      const [stored] = await h.db.ownerSql<{ id: string; reference_code: string }[]>`
        SELECT p.id, p.reference_code FROM proposals p JOIN tenants t ON t.id = p.tenant_id
         WHERE t.slug = ${CITY} AND p.title = ${title} AND p.submitted_at IS NOT NULL`
      expect(stored?.reference_code).toBeTruthy()
      expect(failure.submitted).toEqual([
        expect.objectContaining({
          slug: CITY,
          proposalId: stored!.id,
          referenceCode: stored!.reference_code,
        }),
      ])
      expect(await countOf(SECOND)).toBe(secondBefore)

      // The page tells the proposer, in their language, and keeps only the city still to submit.
      const loaded = (await newProposal.loader({
        request: new Request(`http://localhost/proposals/new?city=${CITY}&city=${SECOND}`, {
          headers: { Cookie: cookie },
        }),
        context: await h.contextFor(cookie),
        params: {},
      })) as Response
      page.loaderData = await loaded.json()
      page.actionData = failure
      const html = renderToStaticMarkup(
        <I18nextProvider i18n={await getI18n('ja')}>
          <newProposal.default />
        </I18nextProvider>,
      )
      expect(html).toContain('一部の市には提出済みです')
      expect(html).toContain(`href="/proposals/${CITY}/${stored!.id}"`)
      expect(html).toContain(`受付番号：${stored!.reference_code}`)
      expect(html).toContain(`action="/proposals/new?city=${SECOND}&amp;organisation=${organisationId}"`)
      expect(html).not.toContain(`name="${CITY}.proposalType"`)
      expect(html).toContain(`name="${SECOND}.proposalType"`)
    } finally {
      await h.db.ownerSql`UPDATE themes SET status = 'open' WHERE id = ${theme!.id}`
    }
  })

  it('a reopened draft to two cities, refused without JavaScript, shows its saved files again (and the boxes ticked); corrected, it is submitted with them', async () => {
    const SECOND = 'aomori'
    const pdf = (filler: string) => new Blob([new Uint8Array(Buffer.from(`%PDF-1.7\n${filler.repeat(500)}`))])
    const form = await twoCityForm(SECOND)
    const title = String(form.get(`${CITY}.title`))
    form.set('intent', 'save')
    form.append(`${CITY}.documents`, pdf('k'), 'keep-plan.pdf')
    form.append(`${CITY}.documents`, pdf('d'), 'drop-plan.pdf')
    form.append(`${SECOND}.documents`, pdf('a'), 'second-plan.pdf')
    const saved = await post(form, [CITY, SECOND])
    expect(saved.status).toBe(302)

    // The draft reopened (the page the save redirects to), as the browser gets it.
    const load = async (address: string) => {
      const loaded = (await newProposal.loader({
        request: new Request(`http://localhost${address}`, { headers: { Cookie: cookie } }),
        context: await h.contextFor(cookie),
        params: {},
      })) as Response
      return (await loaded.json()) as {
        drafts: Record<string, { id: string; version: number; answers: Record<string, unknown> }>
      }
    }
    const render = async (loaderData: unknown, actionData: unknown) => {
      page.loaderData = loaderData
      page.actionData = actionData
      return renderToStaticMarkup(
        <I18nextProvider i18n={await getI18n('ja')}>
          <newProposal.default />
        </I18nextProvider>,
      )
    }
    const reopened = await load(saved.headers.get('Location')!)
    const reopenedPage = await render(reopened, undefined)
    const address = reopenedPage
      .match(/<form[^>]*method="post"[^>]*action="([^"]*)"/)?.[1]
      ?.replaceAll('&amp;', '&')
    expect(address).toBeDefined()
    const draftFiles = (slug: string) =>
      reopened.drafts[slug]!.answers.documents as { name: string; attachmentId: string }[]
    const dropId = draftFiles(CITY).find((file) => file.name === 'drop-plan.pdf')!.attachmentId

    // Sent without JavaScript with the first city's title too long and one saved file ticked to go.
    const sent = new FormData()
    for (const [name, value] of form) if (typeof value === 'string') sent.append(name, value)
    sent.set('intent', 'submit')
    for (const slug of [CITY, SECOND]) {
      sent.set(`${slug}.draftId`, reopened.drafts[slug]!.id)
      sent.set(`${slug}.draftVersion`, String(reopened.drafts[slug]!.version))
    }
    sent.set(`${CITY}.title`, 'x'.repeat(500))
    sent.append(`${CITY}.removeFile`, dropId)
    const postTo = async (body: FormData) =>
      (await newProposal.action({
        request: new Request(`http://localhost${address}`, {
          method: 'POST',
          headers: { Origin: 'http://localhost', Cookie: cookie },
          body,
        }),
        context: await h.contextFor(cookie),
        params: {},
      })) as Response
    const refused = await postTo(sent)
    expect(refused.status).toBe(400)
    // Without JavaScript the page after the post is loaded from the address the form posted to.
    const html = await render(await load(address!), await refused.json())
    for (const slug of [CITY, SECOND])
      expect(html).toContain(`name="${slug}.draftId" value="${reopened.drafts[slug]!.id}"`)
    for (const name of ['keep-plan.pdf', 'drop-plan.pdf', 'second-plan.pdf']) expect(html).toContain(name)
    const removeBox = (id: string) => html.match(new RegExp(`<input[^>]*value="${id}"[^>]*>`))?.[0]
    expect(removeBox(dropId)).toContain('checked=""')
    expect(
      removeBox(draftFiles(CITY).find((file) => file.name === 'keep-plan.pdf')!.attachmentId),
    ).not.toContain('checked=""')

    // Corrected and sent again: each city's proposal has its draft's files, less the one taken out.
    sent.set(`${CITY}.title`, title)
    const submitted = await postTo(sent)
    expect(submitted.status).toBe(302)
    const draftIds = [CITY, SECOND].map((slug) => reopened.drafts[slug]!.id)
    const attached = await h.db.ownerSql<{ id: string; original_name: string }[]>`
      SELECT p.id, a.original_name FROM attachments a
        JOIN proposals p ON p.tenant_id = a.tenant_id AND p.id = a.proposal_id
       WHERE p.id IN ${h.db.ownerSql(draftIds)} AND p.submitted_at IS NOT NULL
       ORDER BY a.original_name`
    expect(attached).toEqual([
      { id: draftIds[0], original_name: 'keep-plan.pdf' },
      { id: draftIds[1], original_name: 'second-plan.pdf' },
    ])

    // The address again (a bookmark, or the page after a post that submitted one city of several):
    // the drafts are named as submitted, with their reference codes, and offered to nobody again.
    const again = await render(await load(address!), undefined)
    expect(again).toContain('この提案はすべての市に提出済みです')
    expect(again).not.toContain('一部の市には提出済みです')
    for (const slug of [CITY, SECOND]) {
      expect(again).toContain(`href="/proposals/${slug}/${reopened.drafts[slug]!.id}"`)
      expect(again).not.toContain(`name="${slug}.proposalType"`)
    }
  })

  it('without JavaScript, the page after a post refused for a city closed since keeps the other city’s draft and leaves the closed one’s unread', async () => {
    const SECOND = 'aomori'
    const form = await twoCityForm(SECOND)
    form.set('intent', 'save')
    const saved = await post(form, [CITY, SECOND])
    expect(saved.status).toBe(302)
    const draftIds = new URLSearchParams(saved.headers.get('Location')!.split('?')[1]).getAll('draft')
    expect(draftIds).toHaveLength(2)
    // Closed in the database and on this server (the operator's console).
    const registry: TenantRegistry = {
      ...h.tenants,
      get: (slug) => {
        const tenant = h.tenants.get(slug)
        return tenant && slug === SECOND ? { ...tenant, status: 'suspended' } : tenant
      },
    }
    await h.db.ownerSql`UPDATE tenants SET status = 'suspended' WHERE slug = ${SECOND}`
    try {
      const query = new URLSearchParams([
        ['city', CITY],
        ['city', SECOND],
        ...draftIds.map((value) => ['draft', value]),
      ])
      const loaded = (await newProposal.loader({
        request: new Request(`http://localhost/proposals/new?${query}`, { headers: { Cookie: cookie } }),
        context: await h.contextFor(cookie, { tenants: registry }),
        params: {},
      })) as Response
      expect(loaded.status).toBe(200)
      const data = (await loaded.json()) as { drafts: Record<string, unknown>; cities: { slug: string }[] }
      expect(Object.keys(data.drafts)).toEqual([CITY])
      expect(data.cities.map((city) => city.slug)).toEqual([CITY])
    } finally {
      await h.db.ownerSql`UPDATE tenants SET status = 'live' WHERE slug = ${SECOND}`
    }
  })
})
