/**
 * The bare baseline of `pnpm bench` (issue 11): a plain `node:http` server
 * that runs the same SQL as the app's pages with postgres.js — through the
 * same operation functions (drizzle builds the statements; withTenant and
 * row-level security as in the app) — but without Express, Remix, React,
 * the session middleware or the multipart parser. Started by run.ts as its
 * own process; configured through BENCH_BASELINE (JSON).
 *   GET  /home          the city's home page HTML, from memory
 *   GET  /inbox?state=  the desk inbox query (listDeskInbox) as a minimal HTML table
 *   POST /submit        one proposal submission (submitProposal)
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { parseTenantSource } from '@desk/tenant-config'
import { createRuntimeDb } from '../../db/runtime'
import { listDeskInbox } from '../../app/operations/inbox/desk-inbox.server'
import { submitProposal } from '../../app/operations/proposals/submit-proposal.server'

type Config = {
  port: number
  runtimeUrl: string
  poolSize: number
  homeHtmlFile: string
  tenantFile: string
  tenantId: string
  staffUserId: string
  proposerUserId: string
  organisationId: string
  answers: Record<string, unknown>
  proposalTypeId: string
  trackId?: string
}

const config = JSON.parse(process.env.BENCH_BASELINE ?? '{}') as Config
const home = readFileSync(config.homeHtmlFile)
const parsed = parseTenantSource(readFileSync(config.tenantFile, 'utf8'), config.tenantFile)
if (!parsed.ok) throw new Error(`baseline: ${config.tenantFile} does not parse`)
const tenant = {
  id: config.tenantId,
  config: parsed.tenant.config,
  configVersion: parsed.tenant.contentVersion,
}
const db = createRuntimeDb(config.runtimeUrl, { max: config.poolSize })
const noteIds = (parsed.tenant.config.notes?.items ?? []).map((note) => note.id)
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const fail = (error: unknown) => {
    res.writeHead(500).end(String(error))
  }
  if (url.pathname === '/home') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(home)
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
  if (url.pathname === '/submit' && req.method === 'POST') {
    req.resume()
    req.on('end', () => {
      submitProposal(db, {
        tenant,
        actor: { kind: 'proposer', userId: config.proposerUserId },
        proposal: {
          organisationId: config.organisationId,
          proposalTypeId: config.proposalTypeId,
          trackId: config.trackId,
        },
        idempotencyKey: randomUUID(),
        answers: config.answers,
        acknowledgedNoteIds: noteIds,
        locale: 'ja',
      }).then((result) => {
        res.writeHead(302, { Location: `/proposals?submitted=${result.proposal.referenceCode}` }).end()
      }, fail)
    })
    return
  }
  res.writeHead(404).end()
})
server.listen(config.port, '127.0.0.1', () => process.stdout.write('ready\n'))
process.on('SIGTERM', () => {
  server.close()
  void db.$client.end({ timeout: 2 }).then(() => process.exit(0))
})
