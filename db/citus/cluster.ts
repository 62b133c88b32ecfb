import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  appendFileSync,
  rmSync,
  chownSync,
} from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { quoteIdentifier } from '../embedded'
import { OWNER_ROLE, RUNTIME_ROLE, RUNTIME_ROLE_OPTIONS } from '../roles'

/**
 * A local Citus cluster for tests and measurements: one coordinator and two
 * workers, each an ordinary PostgreSQL 15 cluster of the machine's binaries
 * with `shared_preload_libraries = 'citus'`, under `.data/citus/`, run as an
 * unprivileged OS user (`postgres` when started by root). Citus itself is
 * built by `../shared/citus/build.sh` (beside the clone, as on CI) when the
 * extension is missing. Test settings: trust on 127.0.0.1 only, fsync off.
 */

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

function runAsUser(): string | null {
  // PostgreSQL refuses to run as root; as root we run its binaries as `postgres`.
  return process.getuid?.() === 0 ? 'postgres' : null
}

/**
 * `.data/citus` in the clone — unless the clone lies where the unprivileged
 * user cannot reach (a root-only home on a CI machine): then a directory of
 * its own under the system's temporary directory, named after the clone.
 */
function defaultClusterDir(): string {
  const inClone = path.join(REPO, '.data', 'citus')
  const user = runAsUser()
  if (!user) return inClone
  const reachable = spawnSync('runuser', ['-u', user, '--', 'test', '-x', REPO]).status === 0
  if (reachable) return inClone
  return path.join(os.tmpdir(), `desk-citus-${createHash('sha256').update(REPO).digest('hex').slice(0, 12)}`)
}
const PG_BIN = process.env.CITUS_PG_BIN ?? '/usr/lib/postgresql/15/bin'
const BUILD_SCRIPT = path.resolve(REPO, '..', 'shared', 'citus', 'build.sh')
export const CLUSTER_DIR = path.resolve(process.env.CITUS_DATA_DIR ?? defaultClusterDir())
const STATE_FILE = path.join(CLUSTER_DIR, 'cluster.json')
/** First port tried; the next free ones are taken. Keep clear of the developers' 543xx/544xx. */
const BASE_PORT = Number(process.env.CITUS_BASE_PORT ?? 57000)
const NODE_NAMES = ['coordinator', 'worker1', 'worker2'] as const
const SUPERUSER = 'postgres'

export class CitusClusterError extends Error {}

export type CitusNode = { name: (typeof NODE_NAMES)[number]; port: number; dataDir: string }
export type CitusCluster = { nodes: CitusNode[]; coordinatorPort: number }

/** The superuser URL of `database` on the coordinator (or on another node's port). */
export function nodeUrl(port: number, database: string): string {
  return `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`
}

function pgCommand(binary: string, args: string[], options: { quiet?: boolean } = {}): void {
  const user = runAsUser()
  const [command, commandArgs] = user
    ? ['runuser', ['-u', user, '--', path.join(PG_BIN, binary), ...args]]
    : [path.join(PG_BIN, binary), args]
  const result = spawnSync(command, commandArgs, { encoding: 'utf8', cwd: os.tmpdir() })
  if (result.status !== 0) {
    throw new CitusClusterError(
      `${binary} ${args.join(' ')} failed (${result.status}): ${(result.stderr || result.stdout || '').trim().split('\n').slice(-3).join(' / ')}`,
    )
  }
  if (!options.quiet && result.stdout.trim()) process.stdout.write(result.stdout)
}

/** Whether the Citus extension is installed in the machine's PostgreSQL 15. */
export function citusInstalled(): boolean {
  try {
    const libdir = execFileSync(path.join(PG_BIN, 'pg_config'), ['--pkglibdir'], { encoding: 'utf8' }).trim()
    const sharedir = execFileSync(path.join(PG_BIN, 'pg_config'), ['--sharedir'], { encoding: 'utf8' }).trim()
    return (
      existsSync(path.join(libdir, 'citus.so')) &&
      existsSync(path.join(sharedir, 'extension', 'citus.control'))
    )
  } catch {
    return false
  }
}

/** Builds and installs Citus with ../shared/citus/build.sh unless it is installed already. */
export function ensureCitusBuilt(log: (line: string) => void = console.log): void {
  if (!existsSync(path.join(PG_BIN, 'initdb')))
    throw new CitusClusterError(`no PostgreSQL 15 binaries in ${PG_BIN} (apt-get install postgresql-15)`)
  if (citusInstalled()) return
  if (!existsSync(BUILD_SCRIPT))
    throw new CitusClusterError(`Citus is not installed and ${BUILD_SCRIPT} is missing`)
  if (process.getuid?.() !== 0)
    throw new CitusClusterError(`Citus is not installed; run ${BUILD_SCRIPT} as root`)
  log(`building Citus with ${BUILD_SCRIPT} (about 5 minutes)…`)
  const result = spawnSync('bash', [BUILD_SCRIPT], { stdio: 'inherit' })
  if (result.status !== 0) throw new CitusClusterError(`${BUILD_SCRIPT} failed (${result.status})`)
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.once('listening', () => server.close(() => resolve(true)))
    server.listen(port, '127.0.0.1')
  })
}

async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = []
  for (let port = BASE_PORT; ports.length < count && port < BASE_PORT + 1000; port++) {
    if (await isPortFree(port)) ports.push(port)
  }
  if (ports.length < count) throw new CitusClusterError(`no ${count} free ports from ${BASE_PORT}`)
  return ports
}

function readState(): CitusCluster | null {
  if (!existsSync(STATE_FILE)) return null
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as CitusCluster
}

function running(node: CitusNode): boolean {
  const pidFile = path.join(node.dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return false
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function ownByRunUser(dir: string): void {
  const user = runAsUser()
  if (!user) return
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim())
  chownSync(dir, uid, gid)
}

function initNode(node: CitusNode): void {
  mkdirSync(node.dataDir, { recursive: true, mode: 0o700 })
  ownByRunUser(node.dataDir)
  pgCommand(
    'initdb',
    ['-D', node.dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8'],
    {
      quiet: true,
    },
  )
  appendFileSync(
    path.join(node.dataDir, 'postgresql.conf'),
    [
      '',
      '# Citus test cluster (db/citus/cluster.ts)',
      "shared_preload_libraries = 'citus'",
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${node.dataDir}'`,
      'max_connections = 300',
      'shared_buffers = 128MB',
      // A throw-away test cluster: losing it on a crash is fine, waiting for disks is not.
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      "log_min_messages = 'warning'",
      '',
    ].join('\n'),
  )
}

function startNode(node: CitusNode): void {
  if (running(node)) return
  pgCommand(
    'pg_ctl',
    ['-D', node.dataDir, '-o', `-p ${node.port}`, '-l', path.join(node.dataDir, 'server.log'), '-w', 'start'],
    {
      quiet: true,
    },
  )
}

/**
 * Starts the cluster (initialising it on first use) and returns its nodes.
 * Idempotent: a running cluster is returned as it is.
 */
export async function startCitusCluster(log: (line: string) => void = console.log): Promise<CitusCluster> {
  ensureCitusBuilt(log)
  let cluster = readState()
  if (!cluster) {
    mkdirSync(CLUSTER_DIR, { recursive: true })
    ownByRunUser(CLUSTER_DIR)
    const ports = await freePorts(NODE_NAMES.length)
    cluster = {
      nodes: NODE_NAMES.map((name, i) => ({ name, port: ports[i]!, dataDir: path.join(CLUSTER_DIR, name) })),
      coordinatorPort: ports[0]!,
    }
    for (const node of cluster.nodes) initNode(node)
    writeFileSync(STATE_FILE, JSON.stringify(cluster, null, 2))
  }
  for (const node of cluster.nodes) {
    if (!running(node) && !(await isPortFree(node.port)))
      throw new CitusClusterError(
        `port ${node.port} of the ${node.name} is taken; run citus:down --purge and up again`,
      )
    startNode(node)
  }
  await ensureRolesOnEveryNode(cluster)
  return cluster
}

/**
 * The product's two roles as every node needs them, made on each node where missing. The owner logs
 * in: Citus carries DDL to the workers on connections of the current role, and migrations run as
 * desk_owner (here trust on 127.0.0.1; a real deployment gives it a password or certificate in
 * pg_dist_authinfo). db/setup.ts later sets the runtime role's password and keeps these attributes.
 *
 * Made directly on each node, through its `postgres` database (which has no Citus extension, so
 * nothing is forwarded), before any test database exists. Left to Citus, a role reaches a worker
 * only when it is created or altered on the coordinator in a database that lists that worker; a
 * cluster kept between runs (CI's under the system's temporary directory) once held `desk_app` on
 * the coordinator and not on a worker, and every file of `pnpm test:citus` failed on it ("role
 * desk_app does not exist", from the worker).
 */
export async function ensureRolesOnEveryNode(
  cluster: CitusCluster,
  roles: { name: string; options: string }[] = [
    { name: OWNER_ROLE, options: 'LOGIN' },
    { name: RUNTIME_ROLE, options: RUNTIME_ROLE_OPTIONS },
  ],
): Promise<void> {
  for (const node of cluster.nodes) {
    const server = postgres(nodeUrl(node.port, 'postgres'), { max: 1, onnotice: () => {} })
    try {
      const present = new Set(
        (
          await server<
            { name: string }[]
          >`SELECT rolname AS name FROM pg_roles WHERE rolname IN ${server(roles.map((role) => role.name))}`
        ).map((row) => row.name),
      )
      for (const role of roles) {
        const verb = present.has(role.name) ? 'ALTER' : 'CREATE'
        await server.unsafe(`${verb} ROLE ${quoteIdentifier(role.name)} ${role.options}`)
      }
    } finally {
      await server.end()
    }
  }
}

/** Stops every node; with `purge`, removes `.data/citus` too. */
export function stopCitusCluster(options: { purge?: boolean } = {}): void {
  const cluster = readState()
  for (const node of cluster?.nodes ?? []) {
    if (running(node)) pgCommand('pg_ctl', ['-D', node.dataDir, '-m', 'fast', '-w', 'stop'], { quiet: true })
  }
  if (options.purge) rmSync(CLUSTER_DIR, { recursive: true, force: true })
}

/** The running cluster, or an error telling how to start it. */
export function runningCitusCluster(): CitusCluster {
  const cluster = readState()
  if (!cluster || !cluster.nodes.every(running))
    throw new CitusClusterError('no Citus cluster is running: pnpm citus:up')
  return cluster
}

/**
 * Creates `database` on every node with the Citus extension and registers the
 * workers with the coordinator (Citus keeps its metadata per database).
 * Idempotent. Returns the coordinator's superuser URL of the database.
 */
export async function createCitusDatabase(cluster: CitusCluster, database: string): Promise<string> {
  for (const node of cluster.nodes) {
    const server = postgres(nodeUrl(node.port, 'postgres'), { max: 1, onnotice: () => {} })
    try {
      const [exists] = await server`SELECT 1 FROM pg_database WHERE datname = ${database}`
      if (!exists) await server.unsafe(`CREATE DATABASE ${quoteIdentifier(database)}`)
    } finally {
      await server.end()
    }
    const db = postgres(nodeUrl(node.port, database), { max: 1, onnotice: () => {} })
    try {
      await db`CREATE EXTENSION IF NOT EXISTS citus`
    } finally {
      await db.end()
    }
  }
  const coordinator = postgres(nodeUrl(cluster.coordinatorPort, database), { max: 1, onnotice: () => {} })
  try {
    await coordinator`SELECT citus_set_coordinator_host('127.0.0.1', ${cluster.coordinatorPort})`
    for (const worker of cluster.nodes.filter((node) => node.name !== 'coordinator')) {
      const [known] = await coordinator`
        SELECT 1 FROM pg_dist_node WHERE nodename = '127.0.0.1' AND nodeport = ${worker.port}`
      if (!known) await coordinator`SELECT citus_add_node('127.0.0.1', ${worker.port})`
    }
  } finally {
    await coordinator.end()
  }
  return nodeUrl(cluster.coordinatorPort, database)
}

/**
 * `database` on every node as a copy of `template` (CREATE DATABASE … TEMPLATE, node by node): a
 * distributed database is its coordinator's catalogue plus each worker's shards, all under the same
 * name, so copies made of one consistent template on every node form another consistent database
 * on the same cluster. A few seconds instead of migrating and distributing again. The template must
 * be idle: the connections Citus keeps to it (its maintenance daemon, the coordinator's cached
 * connections to the workers) are ended first; a copy that still finds one is retried. The copy
 * does not take the database's own privileges (they are the `pg_database` row's, not its
 * contents), and Citus forwards no `GRANT … ON DATABASE` to the workers for a database it did not
 * create; so each node grants the roles what `prepareDatabase` gives them (db/setup.ts), without
 * which a later migration's `CREATE SCHEMA IF NOT EXISTS` is refused on the workers to desk_owner.
 */
export async function copyCitusDatabase(
  cluster: CitusCluster,
  template: string,
  database: string,
): Promise<string> {
  for (const node of cluster.nodes) {
    const server = postgres(nodeUrl(node.port, 'postgres'), { max: 1, onnotice: () => {} })
    try {
      for (let attempt = 1; ; attempt++) {
        await server`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${template} AND pid <> pg_backend_pid()`
        try {
          await server.unsafe(
            `CREATE DATABASE ${quoteIdentifier(database)} TEMPLATE ${quoteIdentifier(template)}`,
          )
          break
        } catch (error) {
          const inUse = error instanceof postgres.PostgresError && error.code === '55006'
          if (!inUse || attempt >= 20) throw error
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt))
        }
      }
      await server.unsafe(
        `GRANT CONNECT, CREATE ON DATABASE ${quoteIdentifier(database)} TO ${quoteIdentifier(OWNER_ROLE)}`,
      )
      await server.unsafe(
        `GRANT CONNECT ON DATABASE ${quoteIdentifier(database)} TO ${quoteIdentifier(RUNTIME_ROLE)}`,
      )
    } finally {
      await server.end()
    }
  }
  return nodeUrl(cluster.coordinatorPort, database)
}

/** Whether `database` exists on every node of the cluster. */
export async function citusDatabaseExists(cluster: CitusCluster, database: string): Promise<boolean> {
  for (const node of cluster.nodes) {
    const server = postgres(nodeUrl(node.port, 'postgres'), { max: 1, onnotice: () => {} })
    try {
      const [exists] = await server`SELECT 1 FROM pg_database WHERE datname = ${database}`
      if (!exists) return false
    } finally {
      await server.end()
    }
  }
  return true
}

/** Drops `database` on every node (the coordinator first, so it forgets its workers' shards). */
export async function dropCitusDatabase(cluster: CitusCluster, database: string): Promise<void> {
  for (const node of cluster.nodes) {
    const server = postgres(nodeUrl(node.port, 'postgres'), { max: 1, onnotice: () => {} })
    try {
      await server.unsafe(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`)
    } finally {
      await server.end()
    }
  }
}
