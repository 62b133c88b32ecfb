import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { E2E_PORT } from './playwright.config'
import { freshCitusDatabase } from './harness/citus-database'

const SERVER_START_TIMEOUT_MS = 120_000
const RUNTIME_PASSWORD = 'e2e-runtime-password'

async function waitUntilReady(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the e2e server exited with code ${server.exitCode}`)
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
  throw new Error(`the e2e server was not ready at ${url} within ${SERVER_START_TIMEOUT_MS} ms`)
}

/**
 * A database of its own for this run: with E2E_CITUS=true a distributed one on the local Citus cluster
 * (e2e/harness/citus-database.ts), else a fresh one on DATABASE_URL's server, or a fresh embedded cluster.
 */
async function freshDatabase(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (process.env.E2E_CITUS === 'true')
    return freshCitusDatabase({
      runtimePassword: RUNTIME_PASSWORD,
      dataDir: process.env.E2E_DATA_DIR ?? '.data/e2e-citus',
    })
  const external = process.env.DATABASE_URL
  if (!external) {
    const dataDir = process.env.E2E_DATA_DIR ?? '.data/e2e'
    await rm(dataDir, { recursive: true, force: true })
    return {
      env: { DATA_DIR: dataDir, EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? '54331' },
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    }
  }
  const name = `desk_e2e_${randomBytes(4).toString('hex')}`
  const admin = postgres(external, { max: 1, onnotice: () => {} })
  await admin.unsafe(`CREATE DATABASE ${name}`)
  const url = new URL(external)
  url.pathname = `/${name}`
  return {
    env: { DATABASE_URL: url.toString(), DATA_DIR: '.data/e2e' },
    cleanup: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.end()
    },
  }
}

export default async function globalSetup() {
  if (!existsSync('build/server.js')) throw new Error('build/server.js is missing: run `pnpm build` first')
  const database = await freshDatabase()
  // The tests reach the server's database as the CLIs would (tenants:apply in schema-city.e2e.ts).
  process.env.E2E_DATABASE_ENV = JSON.stringify(database.env)
  const server = spawn('node', ['build/server.js'], {
    env: {
      ...process.env,
      ...database.env,
      NODE_ENV: 'production',
      PORT: String(E2E_PORT),
      HOST: '127.0.0.1',
      // The browser's origin (playwright.config.ts baseURL): links in mails and the origin check use it.
      APP_ORIGIN: `http://localhost:${E2E_PORT}`,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      DATABASE_RUNTIME_PASSWORD: RUNTIME_PASSWORD,
      // Invitations and resets are read from the mail outbox page, as in the demo.
      MAIL_OUTBOX_PAGE: 'true',
      // Notification mails are written by the job worker after the request: poll fast (tests wait for them).
      JOB_POLL_SECONDS: '0.5',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  await waitUntilReady(`http://localhost:${E2E_PORT}/readyz`, server)
  return async () => {
    server.kill('SIGTERM')
    await new Promise((resolve) => server.once('exit', resolve))
    await database.cleanup()
  }
}
