import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTenantDirectory, type TenantConfig } from '@desk/tenant-config'
import { freePort, signIn, startApp, type AppProcess } from '../harness/app-process'
import { disposableCluster, type DisposableCluster } from '../harness/postgres'
import { proposalSubmission, type ProposalSubmission } from '../harness/proposal-form'
import { sleep, submissionLoad } from './load'

/**
 * Issue 11's resilience suite: the production build on its own embedded
 * PostgreSQL, which the suite restarts; the server killed with SIGKILL; the
 * pool exhausted; 2,000 malformed requests (with issue 17's five causes of
 * 500s: content types, impossible dates, NUL, TRACE). Every acknowledged
 * submission must be in the database afterwards, and no bad request may get a
 * 500 or store anything.
 */

const PASSWORD = 'demo-pass-2026'
const PROPOSER = 'biz1@example.com'
const POOL_SIZE = 4
const POOL_TIMEOUT_MS = 1500

let cluster: DisposableCluster
let app: AppProcess
let appPort: number
let dataDir: string
let owner: postgres.Sql
let cookie: string
/** A desk staff member of the city: the desk's search, themes and cases are fuzzed too. */
let deskCookie: string
let city: TenantConfig
let submission: ProposalSubmission
let organisationId: string

const appEnv = () => ({
  DATABASE_URL: cluster.adminUrl,
  DATABASE_RUNTIME_PASSWORD: 'resilience-runtime-password',
  DATA_DIR: dataDir,
  DATABASE_POOL_SIZE: String(POOL_SIZE),
  DATABASE_POOL_TIMEOUT_MS: String(POOL_TIMEOUT_MS),
  SEED_DEMO: 'true',
  TENANTS_DIR: 'tenants',
})

async function missingReferences(references: string[]): Promise<string[]> {
  if (references.length === 0) return []
  const found = await owner<{ reference_code: string }[]>`
    SELECT reference_code FROM proposals WHERE reference_code = ANY(${references}) AND submitted_at IS NOT NULL`
  const present = new Set(found.map((row) => row.reference_code))
  return references.filter((reference) => !present.has(reference))
}

async function countRows(table: 'proposals' | 'attachments'): Promise<number> {
  const [row] = await owner<{ n: number }[]>`SELECT count(*)::int AS n FROM ${owner(table)}`
  return row!.n
}

/** Rows a half-done submission would leave: a submitted proposal without its history, or a stray draft of ours. */
async function partialRows(): Promise<number> {
  const [row] = await owner<{ n: number }[]>`
    SELECT count(*)::int AS n FROM proposals p
     WHERE p.submitted_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM proposal_events e WHERE e.tenant_id = p.tenant_id AND e.proposal_id = p.id)`
  return row!.n
}

beforeAll(async () => {
  cluster = await disposableCluster(await freePort(Number(process.env.RESILIENCE_PG_PORT) || undefined))
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'desk-resilience-app-'))
  appPort = await freePort(Number(process.env.RESILIENCE_PORT) || undefined)
  app = await startApp({ port: appPort, env: appEnv() })
  owner = postgres(cluster.adminUrl, { max: 2, onnotice: () => {} })
  cookie = await signIn(app.url, PROPOSER, PASSWORD)
  const [membership] = await owner<{ organisation_id: string }[]>`
    SELECT m.organisation_id FROM organisation_members m JOIN users u ON u.id = m.user_id
     WHERE u.email = ${PROPOSER} ORDER BY m.organisation_id LIMIT 1`
  organisationId = membership!.organisation_id
  const { tenants } = await loadTenantDirectory('tenants')
  city = tenants[0]!.config
  submission = proposalSubmission(city, organisationId)
  deskCookie = await signIn(app.url, `desk-staff@${city.slug}.example.jp`, PASSWORD)
})

afterAll(async () => {
  await app?.stop()
  await owner?.end({ timeout: 5 })
  await cluster?.dispose()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('resilience', () => {
  it('PostgreSQL restarted under submission load: the server stays up, recovers within 10 s, loses no acknowledged submission', async () => {
    const load = submissionLoad({ url: () => app.url, cookie, submission, clients: 4 })
    await sleep(1500)
    await cluster.stop()
    const stoppedAt = Date.now()
    await sleep(2000)
    await cluster.start()
    const startedAt = Date.now()
    // Until the first submission acknowledged after the restart, at most 10 s.
    while (!load.acknowledged().some((outcome) => outcome.at > startedAt) && Date.now() - startedAt < 15_000)
      await sleep(50)
    const recoveredAt = load.acknowledged().find((outcome) => outcome.at > startedAt)?.at
    await sleep(500)
    await load.stop()

    expect(app.alive(), app.output()).toBe(true)
    expect(recoveredAt, 'no submission acknowledged after the restart').toBeDefined()
    expect(recoveredAt! - startedAt).toBeLessThanOrEqual(10_000)
    const before = load.acknowledged().filter((outcome) => outcome.at < stoppedAt)
    expect(before.length).toBeGreaterThan(0)
    // While the database was down: a 503 page (or a connection the client gave up), never a 500.
    const statuses = new Set(load.outcomes.map((outcome) => outcome.status))
    expect(
      [...statuses].filter((status) => status !== 302 && status !== 503 && status !== 'network-error'),
      app.output(),
    ).toEqual([])
    expect(await missingReferences(load.acknowledged().flatMap((outcome) => outcome.references))).toEqual([])
    expect(await partialRows()).toBe(0)
  })

  it('the server killed with SIGKILL under submission load: every acknowledged proposal is there after the restart', async () => {
    const load = submissionLoad({ url: () => app.url, cookie, submission, clients: 4 })
    await sleep(1500)
    app.child.kill('SIGKILL')
    await app.exited
    await sleep(300)
    await load.stop()
    const acknowledged = load.acknowledged().flatMap((outcome) => outcome.references)
    expect(acknowledged.length).toBeGreaterThan(0)

    app = await startApp({ port: appPort, env: appEnv() })
    expect(await missingReferences(acknowledged)).toEqual([])
    expect(await partialRows()).toBe(0)
    // The same session still works: nothing about the crash is left in the way.
    const response = await fetch(`${app.url}/proposals`, { headers: { Cookie: cookie } })
    expect(response.status).toBe(200)
  })

  it('pool exhaustion: requests wait for a connection, then get a localised 503 page; the server carries on', async () => {
    // Hold every pooled connection: the session lookup of each signed-in request waits on this lock.
    const holder = await owner.reserve()
    await holder`BEGIN`
    await holder`LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE`
    const started = Date.now()
    const requests = Array.from({ length: POOL_SIZE * 3 }, () =>
      fetch(`${app.url}/proposals`, { headers: { Cookie: cookie } }).then(async (response) => ({
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: await response.text(),
        ms: Date.now() - started,
      })),
    )
    await sleep(POOL_TIMEOUT_MS + 2500)
    await holder`COMMIT`
    holder.release()
    const results = await Promise.all(requests)

    const unavailable = results.filter((result) => result.status === 503)
    expect(unavailable.length).toBeGreaterThanOrEqual(POOL_SIZE)
    for (const result of unavailable) {
      // Waited for the acquire timeout first, then the page in the visitor's language (Japanese by default).
      expect(result.ms).toBeGreaterThanOrEqual(POOL_TIMEOUT_MS - 100)
      expect(result.body).toContain('ただいま混み合っています')
      expect(result.retryAfter).toBe('5')
    }
    expect(results.every((result) => result.status === 503 || result.status === 200)).toBe(true)
    expect(app.alive(), app.output()).toBe(true)
    const after = await fetch(`${app.url}/proposals`, { headers: { Cookie: cookie } })
    expect(after.status).toBe(200)
    // In English for a visitor who chose English.
    const busy = await owner.reserve()
    await busy`BEGIN`
    await busy`LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE`
    const english = Array.from({ length: POOL_SIZE + 1 }, () =>
      fetch(`${app.url}/proposals`, {
        headers: {
          Cookie: `${cookie}; lng=${encodeURIComponent(Buffer.from(JSON.stringify('en')).toString('base64'))}`,
        },
      }).then(async (response) => ({
        status: response.status,
        body: await response.text(),
      })),
    )
    await sleep(POOL_TIMEOUT_MS + 1000)
    await busy`COMMIT`
    busy.release()
    const englishResults = await Promise.all(english)
    expect(
      englishResults.some((result) => result.status === 503 && result.body.includes('The service is busy')),
    ).toBe(true)
  })

  it('2,000 malformed requests: never a 500, never a crash, no partial rows, nothing stored by a refusal', async () => {
    const proposalsBefore = await countRows('proposals')
    const deskState = async () => {
      const [row] = await owner<{ themes: string; cases: string }[]>`
        SELECT (SELECT json_agg(t ORDER BY t.id)::text FROM themes t) AS themes,
               (SELECT json_agg(c ORDER BY c.id)::text FROM published_cases c) AS cases`
      return row!
    }
    const deskBefore = await deskState()
    const attachmentsBefore = await countRows('attachments')
    const uploadsDir = path.join(dataDir, 'uploads')
    const uploadsBefore = existsSync(uploadsDir) ? (await readdir(uploadsDir)).length : 0
    const failures: string[] = []
    let sent = 0
    const check = async (label: string, send: () => Promise<Response>) => {
      sent += 1
      try {
        const response = await send()
        await response.arrayBuffer().catch(() => {})
        if (response.status >= 500) failures.push(`${label}: ${response.status}`)
      } catch (error) {
        // The server may cut a request it refuses (an oversized body or header); it must still be up.
        if (!app.alive()) throw new Error(`the server died at ${label} (${String(error)}):\n${app.output()}`)
      }
    }
    const post = (
      pathAndQuery: string,
      body: BodyInit,
      contentType: string,
      extra: Record<string, string> = {},
    ) =>
      fetch(app.url + pathAndQuery, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': contentType, Cookie: cookie, Origin: app.url, ...extra },
        body,
        signal: AbortSignal.timeout(20_000),
      })
    const slug = city.slug
    const bytes = (chunks: Buffer[]) => new Uint8Array(Buffer.concat(chunks))
    const multipart = (parts: [string, string, string?][], boundary = 'fuzzboundary') =>
      bytes([
        ...parts.map(([name, value, filename]) =>
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${
              filename !== undefined ? `; filename="${filename}"\r\nContent-Type: application/pdf` : ''
            }\r\n\r\n${value}\r\n`,
            'utf8',
          ),
        ),
        Buffer.from(`--${boundary}--\r\n`),
      ])

    // 1. Fuzzed form fields (fast-check): 700 submissions with arbitrary values in every field.
    const text = fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.fullUnicodeString({ maxLength: 200 }),
      fc.constantFrom(
        '',
        ' ',
        '\u0000',
        '%00',
        '../../etc/passwd',
        "'; DROP TABLE proposals; --",
        'x'.repeat(5000),
      ),
      fc.uuid(),
    )
    const fieldNames = [
      'intent',
      'organisationId',
      'idempotencyKey',
      `${slug}.proposalType`,
      `${slug}.trackId`,
      `${slug}.themeId`,
      `${slug}.draftId`,
      `${slug}.draftVersion`,
      `${slug}.criteria`,
      `${slug}.notes`,
      ...city.forms.flatMap((form) => form.fields.map((field) => `${slug}.${field.id}`)),
    ]
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...fieldNames), text), { maxLength: 20 }),
        fc.constantFrom('submit', 'preview', 'save', 'other'),
        fc.boolean(),
        async (fields, intent, validOrganisation) => {
          const parts: [string, string][] = [
            ['intent', intent],
            ...(validOrganisation ? ([['organisationId', organisationId]] as [string, string][]) : []),
            ...fields,
          ]
          await check(`fuzzed fields ${JSON.stringify(parts).slice(0, 200)}`, () =>
            post(submission.path, multipart(parts), 'multipart/form-data; boundary=fuzzboundary'),
          )
        },
      ),
      { numRuns: 700 },
    )

    // 2. Bodies and encodings no browser sends.
    const valid = submission.body()
    const cases: [string, () => Promise<Response>][] = [
      [
        'huge urlencoded body',
        () => post(submission.path, 'a='.padEnd(30 * 1024 * 1024, 'x'), 'application/x-www-form-urlencoded'),
      ],
      [
        'huge multipart field',
        () =>
          post(
            submission.path,
            multipart([
              ['intent', 'submit'],
              [`${slug}.title`, 'x'.repeat(20 * 1024 * 1024)],
            ]),
            'multipart/form-data; boundary=fuzzboundary',
          ),
      ],
      [
        'huge sign-in body',
        () => post('/sign-in', 'email='.padEnd(10 * 1024 * 1024, 'a'), 'application/x-www-form-urlencoded'),
      ],
      ['multipart without boundary', () => post(submission.path, valid.body, 'multipart/form-data')],
      [
        'multipart with the wrong boundary',
        () => post(submission.path, valid.body, 'multipart/form-data; boundary=nope'),
      ],
      [
        'truncated multipart',
        () =>
          post(submission.path, valid.body.subarray(0, Math.floor(valid.body.length / 2)), valid.contentType),
      ],
      [
        'multipart header only',
        () =>
          post(
            submission.path,
            Buffer.from('--fuzzboundary\r\nContent-Disposition: form-data; name="intent"\r\n'),
            'multipart/form-data; boundary=fuzzboundary',
          ),
      ],
      [
        'urlencoded body to the multipart form',
        () => post(submission.path, 'intent=submit&organisationId=x', 'application/x-www-form-urlencoded'),
      ],
      ['json body to the form', () => post(submission.path, '{"intent":"submit"}', 'application/json')],
      ['no content type', () => post(submission.path, 'intent=submit', '')],
      [
        'invalid UTF-8 in multipart',
        () =>
          post(
            submission.path,
            Buffer.concat([
              Buffer.from('--fuzzboundary\r\nContent-Disposition: form-data; name="intent"\r\n\r\n'),
              Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]),
              Buffer.from('\r\n--fuzzboundary--\r\n'),
            ]),
            'multipart/form-data; boundary=fuzzboundary',
          ),
      ],
      [
        'invalid UTF-8 in a field name',
        () =>
          post(
            submission.path,
            Buffer.concat([
              Buffer.from('--fuzzboundary\r\nContent-Disposition: form-data; name="'),
              Buffer.from([0xff, 0xc0]),
              Buffer.from('"\r\n\r\nx\r\n--fuzzboundary--\r\n'),
            ]),
            'multipart/form-data; boundary=fuzzboundary',
          ),
      ],
      [
        'invalid UTF-8 urlencoded sign-in',
        () =>
          post(
            '/sign-in',
            Buffer.from([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x3d, 0xff, 0xfe, 0x26]),
            'application/x-www-form-urlencoded',
          ),
      ],
      [
        'bad %-escapes in sign-in',
        () => post('/sign-in', 'email=%ZZ%&password=%', 'application/x-www-form-urlencoded'),
      ],
      ['invalid UTF-8 in the path', () => fetch(`${app.url}/%FF%FE/desk`)],
      ['bad %-escape in the path', () => fetch(`${app.url}/%E0%A4%A/themes`)],
      [
        'invalid UTF-8 in the query',
        () => fetch(`${app.url}/proposals/new?city=%FF%FE`, { headers: { Cookie: cookie } }),
      ],
      ['NUL in the path', () => fetch(`${app.url}/%00/cases`)],
      [
        'oversized cookie header',
        () => fetch(`${app.url}/`, { headers: { Cookie: `a=${'x'.repeat(100 * 1024)}` } }),
      ],
      [
        'many headers',
        () =>
          fetch(`${app.url}/`, {
            headers: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`x-h${i}`, 'y'.repeat(40)])),
          }),
      ],
      ['oversized URL', () => fetch(`${app.url}/${'a'.repeat(70 * 1024)}`)],
      [
        'garbage session cookie',
        () =>
          fetch(`${app.url}/proposals`, { headers: { Cookie: `__Host-session=${'\u00ff'.repeat(10)}%ZZ` } }),
      ],
      [
        'cross-site post',
        () =>
          fetch(app.url + submission.path, {
            method: 'POST',
            headers: { Origin: 'https://evil.example', 'Content-Type': valid.contentType, Cookie: cookie },
            body: valid.body,
          }),
      ],
    ]
    // Path traversal in uploaded file names, on each file field of the city's form.
    const fileFields = city.forms.flatMap((form) => form.fields.filter((field) => field.type === 'file'))
    for (const field of fileFields)
      for (const filename of [
        '../../../../tmp/desk-traversal.pdf',
        '..\\..\\..\\desk-traversal.pdf',
        '/etc/passwd',
        'a/../../desk-traversal.pdf',
        '\u0000.pdf',
        '%2e%2e%2fdesk-traversal.pdf',
      ])
        cases.push([
          `file name ${JSON.stringify(filename)}`,
          () =>
            post(
              submission.path,
              multipart([
                ['intent', 'preview'],
                ['organisationId', organisationId],
                [`${slug}.${field.id}`, '%PDF-1.4 fuzz', filename],
              ]),
              'multipart/form-data; boundary=fuzzboundary',
            ),
        ])
    // Unknown city slugs, on every kind of route.
    for (const unknown of [
      'no-such-city',
      'scale-9999',
      '..',
      '.%2E',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'x'.repeat(300),
      '市',
      'CON',
      '-',
    ])
      for (const route of [
        '',
        '/cases',
        '/desk',
        '/propose',
        '/themes/00000000-0000-0000-0000-000000000000',
        '/cases.json',
      ])
        cases.push([
          `unknown city ${unknown}${route}`,
          () => fetch(`${app.url}/${unknown}${route}`, { headers: { Cookie: cookie }, redirect: 'manual' }),
        ])
    cases.push([
      'unknown city in the form',
      () => post('/proposals/new?city=no-such-city', valid.body, valid.contentType),
    ])
    // Issue 17, finding 8: the five causes of 500s, on every kind of action.
    const [someCase] = await owner<{ id: string }[]>`
      SELECT c.id FROM published_cases c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = ${slug} LIMIT 1`
    const [someTheme] = await owner<{ id: string }[]>`
      SELECT th.id FROM themes th JOIN tenants t ON t.id = th.tenant_id WHERE t.slug = ${slug} LIMIT 1`
    const [someProposal] = await owner<{ id: string }[]>`
      SELECT p.id FROM proposals p JOIN tenants t ON t.id = p.tenant_id
       WHERE t.slug = ${slug} AND p.organisation_id = ${organisationId} AND p.submitted_at IS NOT NULL LIMIT 1`
    const caseId = someCase?.id ?? '00000000-0000-0000-0000-000000000000'
    const themeId = someTheme?.id ?? '00000000-0000-0000-0000-000000000000'
    const proposalId = someProposal?.id ?? '00000000-0000-0000-0000-000000000000'
    const actions = [
      '/sign-in',
      '/sign-up',
      '/forgot-password',
      '/reset-password/not-a-token',
      '/locale',
      '/sign-out',
      '/account/settings',
      `/organisations/${organisationId}`,
      submission.path,
      `/proposals/${slug}/${proposalId}`,
      `/proposals/${slug}/${proposalId}/experiment`,
      `/${slug}/desk/themes`,
      `/${slug}/desk/cases`,
      `/${slug}/desk/cases/${caseId}`,
      `/${slug}/desk/proposals/${proposalId}`,
      `/${slug}/desk/proposals/${proposalId}/agreement`,
      `/${slug}/desk/staff`,
      `/${slug}/desk/know-how`,
      '/operator/apply',
    ]
    const as = (session: string) => ({ Cookie: session })
    for (const route of actions)
      for (const session of [cookie, deskCookie]) {
        // A POST that is not a form: no content type, text, JSON, XML, multipart without a boundary.
        for (const [contentType, body] of [
          ['', 'intent=save'],
          ['text/plain', 'intent=save'],
          ['application/json', '{"intent":"save","title":"x"}'],
          ['application/xml', '<intent>save</intent>'],
          ['multipart/form-data', 'intent=save'],
          ['application/x-www-form-urlencoded; charset=utf-16le', 'i\u0000n\u0000'],
        ] as const)
          cases.push([
            `POST ${route} as ${contentType || 'no content type'}`,
            () => post(route, body, contentType, as(session)),
          ])
        // Methods no page uses.
        for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND'])
          cases.push([
            `${method} ${route}`,
            () =>
              fetch(app.url + route, {
                method,
                redirect: 'manual',
                headers: { ...as(session), Origin: app.url },
              }),
          ])
        // A NUL in a text field and in the query.
        cases.push([
          `NUL in a form field of ${route}`,
          () =>
            post(
              route,
              // Every field of the theme form is there: with a NUL in its title it reached PostgreSQL.
              'intent=save&email=a%00b%40example.com&password=x%00&titleJa=a%00b&titleEn=&backgroundJa=&backgroundEn=' +
                '&expectedOutcomeJa=&expectedOutcomeEn=&departmentKey=&deadline=&body=a%00b&q=%00',
              'application/x-www-form-urlencoded',
              as(session),
            ),
        ])
        cases.push([
          `NUL in the query of ${route}`,
          () => fetch(`${app.url}${route}?q=a%00b&page=%00`, { headers: as(session), redirect: 'manual' }),
        ])
      }
    // Impossible dates: a case's dates and a theme's deadline, with every other field as the desk's form sends it.
    const themeForm = {
      intent: 'save',
      titleJa: '日付の確認',
      titleEn: '',
      backgroundJa: '',
      backgroundEn: '',
      expectedOutcomeJa: '',
      expectedOutcomeEn: '',
      departmentKey: '',
      deadline: '',
    }
    const impossibleDates = [
      '2026-13-01',
      '2026-02-30',
      '0000-00-00',
      '0000-01-01',
      '9999-99-99',
      '2026-00-10',
      '2026-1-1',
      '20260-01-01',
      '2026-02-29',
    ]
    for (const date of impossibleDates) {
      for (const field of ['startedOn', 'endedOn'])
        cases.push([
          `case ${field} ${date}`,
          () =>
            post(
              `/${slug}/desk/cases/${caseId}`,
              new URLSearchParams({
                intent: 'save',
                titleJa: '日付の確認',
                startedOn: '2026-01-01',
                [field]: date,
              }).toString(),
              'application/x-www-form-urlencoded',
              as(deskCookie),
            ),
        ])
      for (const target of [{}, { themeId }] as Record<string, string>[])
        cases.push([
          `theme deadline ${date} ${'themeId' in target ? 'on an existing theme' : 'on a new theme'}`,
          () =>
            post(
              `/${slug}/desk/themes`,
              new URLSearchParams({ ...themeForm, deadline: date, ...target }).toString(),
              'application/x-www-form-urlencoded',
              as(deskCookie),
            ),
        ])
    }
    // The desk's search with a NUL, as in the attack run (/aomori/desk?q=a%00b).
    for (const query of ['q=a%00b', 'q=%00', 'q=a%00', 'state=%00', 'theme=%00&q=x', 'page=1%00'])
      cases.push([
        `desk search ${query}`,
        () => fetch(`${app.url}/${slug}/desk?${query}`, { headers: as(deskCookie), redirect: 'manual' }),
      ])
    for (const [label, send] of cases) await check(label, send)

    // 3. The rest of the 2,000: fuzzed paths and queries of GET requests, as the business and as the desk.
    const rest = 2000 - sent
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          `/${slug}`,
          `/${slug}/cases`,
          `/${slug}/desk`,
          '/proposals',
          '/proposals/new',
          `/${slug}/themes`,
          '/sign-in',
          `/${slug}/desk/themes`,
          `/${slug}/desk/cases`,
          `/${slug}/desk/know-how`,
        ),
        fc.array(
          fc.tuple(
            fc.constantFrom('city', 'state', 'page', 'q', 'sort', 'theme', 'draft', 'redirectTo', 'lng'),
            text,
          ),
          { maxLength: 5 },
        ),
        fc.boolean(),
        async (route, query, asDesk) => {
          await check(`GET ${route} ${JSON.stringify(query).slice(0, 200)}`, () =>
            fetch(`${app.url}${route}?${new URLSearchParams(query)}`, {
              headers: { Cookie: asDesk ? deskCookie : cookie },
              redirect: 'manual',
              signal: AbortSignal.timeout(20_000),
            }),
          )
        },
      ),
      { numRuns: Math.max(rest, 0) },
    )

    expect(sent).toBeGreaterThanOrEqual(2000)
    expect(failures).toEqual([])
    // Refused desk changes stored nothing: no theme or case differs (valid fuzz input does not reach the desk).
    expect(await deskState()).toEqual(deskBefore)
    expect(app.alive(), app.output()).toBe(true)
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200)
    // Nothing half-written: no submitted proposal without its history, no attachment, no file left behind.
    expect(await partialRows()).toBe(0)
    const attachmentsAfter = await countRows('attachments')
    expect(attachmentsAfter).toBe(attachmentsBefore)
    expect(existsSync(uploadsDir) ? (await readdir(uploadsDir)).length : 0).toBe(uploadsBefore)
    expect(existsSync('/tmp/desk-traversal.pdf')).toBe(false)
    expect(existsSync(path.join(dataDir, '..', 'desk-traversal.pdf'))).toBe(false)
    // Fuzzed submissions that happened to be valid are whole proposals; record how many for the log.
    const proposalsAfter = await countRows('proposals')
    console.log(
      `malformed requests: ${sent} sent, ${failures.length} answered 5xx, ${proposalsAfter - proposalsBefore} proposals created by valid fuzz input`,
    )
  }, 600_000)
})
