/**
 * The bare baseline of `pnpm bench` (issue 11): a plain `node:http` server
 * that runs the same SQL as the app's pages with postgres.js — through the
 * same operation functions (drizzle builds the statements; withTenant and
 * row-level security as in the app) — but without Express, Remix, React,
 * the session middleware or the multipart parser. Started by run.ts as its
 * own process; configured through BENCH_BASELINE (JSON).
 *   GET  /home          the city's home page HTML, from memory
 *   GET  /page/NAME     a page the app served, saved by run.ts (pageFiles), from memory
 *   GET  /inbox?state=  the desk inbox query (listDeskInbox) as a minimal HTML table
 *   POST /submit        one proposal submission, as the route does it after parsing the form:
 *                       submitProposal, the (empty) attachment transaction, the desk's
 *                       notification mails; the client's multipart body is read whole and
 *                       only its idempotency key is taken from it (each key a new proposal);
 *                       answers as prepared by run.ts. Answers 302 to /proposals?submitted=REF.
 *   GET  /themes?field= the cross-city theme list's read (parseThemeSearch + searchOpenThemes, one page)
 *   GET  /cases?field=  the cross-city case list's read (parseCaseSearch + searchPublishedCases)
 *                       each as a minimal HTML list, no cache (every request runs the query).
 */
import cluster from 'node:cluster'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { loadTaxonomy, parseTenantSource } from '@desk/tenant-config'
import { createRuntimeDb } from '../../db/runtime'
import {
  searchOpenThemes,
  searchPublishedCases,
} from '../../app/operations/across-cities/across-cities.server'
import { parseCaseSearch, parseThemeSearch } from '../../app/operations/across-cities/search'
import { attachFiles } from '../../app/operations/attachments/attach-files.server'
import { mailCityNotifications } from '../../app/operations/dialogue/notification-mail.server'
import { listDeskInbox } from '../../app/operations/inbox/desk-inbox.server'
import { inProposalTransaction } from '../../app/operations/proposals/context.server'
import { submitProposal } from '../../app/operations/proposals/submit-proposal.server'
import { tenantText } from '../../app/utils/tenant-text'

type Config = {
  port: number
  runtimeUrl: string
  poolSize: number
  homeHtmlFile: string
  /** Pages by name (served at /page/NAME), each an HTML file. */
  pageFiles?: Record<string, string>
  tenantFile: string
  tenantId: string
  staffUserId: string
  proposerUserId: string
  organisationId: string
  answers: Record<string, unknown>
  proposalTypeId: string
  trackId?: string
  /** Processes sharing the port (node:cluster), as the app's WEB_CONCURRENCY (`pnpm bench --processes`). */
  processes?: number
}

const config = JSON.parse(process.env.BENCH_BASELINE ?? '{}') as Config
/** What a serving process tells the primary, or run.ts directly, once it listens. */
const ready = () => (process.send ? process.send('ready') : process.stdout.write('ready\n'))

if (cluster.isPrimary && (config.processes ?? 1) > 1) {
  // The primary only starts the serving processes (this module again, from the top) and never serves itself.
  let listening = 0
  for (let index = 0; index < config.processes!; index++)
    cluster.fork().on('message', (message) => {
      if (message === 'ready' && ++listening === config.processes) process.stdout.write('ready\n')
    })
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM')
    process.exit(0)
  })
  await new Promise<never>(() => {})
}
const home = readFileSync(config.homeHtmlFile)
const pages = new Map(
  Object.entries(config.pageFiles ?? {}).map(([name, file]) => [`/page/${name}`, readFileSync(file)]),
)
const parsed = parseTenantSource(readFileSync(config.tenantFile, 'utf8'), config.tenantFile)
if (!parsed.ok) throw new Error(`baseline: ${config.tenantFile} does not parse`)
const tenant = {
  id: config.tenantId,
  config: parsed.tenant.config,
  configVersion: parsed.tenant.contentVersion,
}
const db = createRuntimeDb(config.runtimeUrl, { max: config.poolSize })
const taxonomy = await loadTaxonomy('tenants')
if (!taxonomy.ok) throw new Error('baseline: tenants/platform/taxonomy.yaml does not parse')
/** The filters' vocabulary: the taxonomy (the bench filters by field only, so no city is needed). */
const vocabulary = { taxonomy: taxonomy.taxonomy, cities: [] }
const noteIds = (parsed.tenant.config.notes?.items ?? []).map((note) => note.id)
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

const IDEMPOTENCY_KEY = /name="idempotencyKey"\r\n\r\n([^\r]+)\r\n/
const proposer = { kind: 'proposer' as const, userId: config.proposerUserId }
const cityName = (locale: string) =>
  tenantText(tenant.config.identity.name, locale, tenant.config.defaultLocale)

/** What the route's action does once the form is parsed and checked (app/routes/proposals.new.tsx). */
async function submit(idempotencyKey: string): Promise<string> {
  const { proposal, replayed } = await submitProposal(db, {
    tenant,
    actor: proposer,
    proposal: {
      organisationId: config.organisationId,
      proposalTypeId: config.proposalTypeId,
      trackId: config.trackId,
    },
    idempotencyKey,
    answers: config.answers,
    acknowledgedNoteIds: noteIds,
  })
  if (!replayed)
    await inProposalTransaction(db, tenant, proposer, (tx) =>
      attachFiles(tx, tenant, proposer, { proposalId: proposal.id }, []),
    )
  await mailCityNotifications(db, { tenant, origin: `http://127.0.0.1:${config.port}`, cityName })
  return proposal.referenceCode ?? ''
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const fail = (error: unknown) => {
    res.writeHead(500).end(String(error))
  }
  if (url.pathname === '/home') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(home)
    return
  }
  const page = pages.get(url.pathname)
  if (page) {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page)
    return
  }
  if (url.pathname === '/inbox') {
    listDeskInbox(db, {
      tenant,
      actor: { kind: 'staff', userId: config.staffUserId },
      filters: { state: url.searchParams.get('state') ?? undefined },
      locale: 'ja',
    }).then((inbox) => {
      const rows = inbox.rows
        .map(
          (row) =>
            `<tr><td>${escape(row.referenceCode ?? '')}</td><td>${escape(row.title)}</td><td>${escape(row.organisationName)}</td><td>${escape(row.stepLabel)}</td><td>${row.unread}</td></tr>`,
        )
        .join('')
      res
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><table>${rows}</table><p>${inbox.total}</p>`)
    }, fail)
    return
  }
  const list = (items: { citySlug: string; titleJa: string }[], total: number) =>
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><ul>${items.map((item) => `<li>${escape(item.citySlug)} ${escape(item.titleJa)}</li>`).join('')}</ul><p>${total}</p>`,
      )
  if (url.pathname === '/themes') {
    searchOpenThemes(db, parseThemeSearch(url.searchParams, vocabulary), vocabulary).then(
      (found) => list(found.themes, found.total),
      fail,
    )
    return
  }
  if (url.pathname === '/cases') {
    searchPublishedCases(db, parseCaseSearch(url.searchParams, vocabulary), vocabulary).then(
      (found) => list(found.cases, found.total),
      fail,
    )
    return
  }
  if (url.pathname === '/submit' && req.method === 'POST') {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const key = IDEMPOTENCY_KEY.exec(Buffer.concat(chunks).toString('utf8'))?.[1]
      if (!key) {
        res.writeHead(400).end('no idempotency key')
        return
      }
      submit(key).then(
        (reference) => res.writeHead(302, { Location: `/proposals?submitted=${reference}` }).end(),
        fail,
      )
    })
    return
  }
  res.writeHead(404).end()
})
server.listen(config.port, '127.0.0.1', ready)
process.on('SIGTERM', () => {
  server.close()
  void db.$client.end({ timeout: 2 }).then(() => process.exit(0))
})
