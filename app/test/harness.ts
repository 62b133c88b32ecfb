import type { AppLoadContext } from '@remix-run/node'
import { loadTenantDirectory } from '@desk/tenant-config'
import { createTestDatabase, type TestDatabase } from '../../db/testing'
import { DEMO_PASSWORD, seedDemo } from '../../db/seed/demo'
import { seedTenantFromConfig } from '../../db/seed/tenants'
import { loadPlatformTaxonomy } from '~/utils/taxonomy.server'
import { createOperatorTasks } from '../../db/operator/tasks'
import { createAuth, type Auth, type SESSION_LIMITS } from '~/utils/auth.server'
import { parseEnv } from '~/utils/env.server'
import { createLogger } from '~/utils/logger.server'
import { createTenantRegistry, type TenantRegistry } from '~/utils/tenant-registry.server'
import { settle } from '~/jobs/testing'
import { startJobWorker, type JobWorker } from '~/jobs/worker.server'
import { fileStoreFor } from '../../db/file-storage/index.server'
import * as signInPage from '~/routes/sign-in'

/**
 * A real database with the demo seed, the tenant registry and the session
 * service, and load contexts built the way the server builds them: the
 * cookie validated once, as the session middleware does.
 */
export type Harness = {
  db: TestDatabase
  auth: Auth
  tenants: TenantRegistry
  /** The load context of a request carrying this Cookie header. */
  contextFor: (cookie?: string | null, overrides?: Partial<AppLoadContext>) => Promise<AppLoadContext>
  /** The session cookie of a demo user (DEMO_PASSWORD) signed in through the sign-in page, once per harness. */
  cookieOf: (email: string) => Promise<string>
  /** Waits until the job worker has delivered every mail queued so far (with `jobWorker`). */
  settleMail: () => Promise<void>
  close: () => Promise<void>
}

export async function createHarness(
  options: {
    limits?: typeof SESSION_LIMITS
    env?: Record<string, string>
    /** Run a job worker as the server does (mail over `env.SMTP_URL`, notifications). */
    jobWorker?: boolean
  } = {},
): Promise<Harness> {
  const db = await createTestDatabase()
  const loaded = await loadTenantDirectory('tenants')
  await seedDemo(db.ownerSql, { tenants: loaded.tenants.map(seedTenantFromConfig) })
  const logger = createLogger('silent')
  const tenants = await createTenantRegistry({ directory: 'tenants', logger, watch: false })
  const auth = createAuth({ db: db.runtimeDb, production: false, limits: options.limits })
  const env = parseEnv({ NODE_ENV: 'test', ...options.env })
  const files = fileStoreFor(env, db.runtimeDb)
  const operatorTasks = createOperatorTasks({ adminUrl: db.adminUrl, tenantsDir: 'tenants' })
  const taxonomy = await loadPlatformTaxonomy('tenants')
  const worker: JobWorker | null = options.jobWorker
    ? await startJobWorker({
        runtimeUrl: db.runtimeUrl,
        services: { db: db.runtimeDb, env, auth, tenants, files, log: logger },
        pollingIntervalSeconds: 0.5,
        maintenanceIntervalSeconds: 1,
      })
    : null

  async function contextFor(
    cookie?: string | null,
    overrides: Partial<AppLoadContext> = {},
  ): Promise<AppLoadContext> {
    const sessionId = auth.readSessionId(cookie)
    const validated = sessionId ? await auth.validateSession(sessionId) : null
    return {
      env,
      log: logger,
      requestId: 'test',
      cspNonce: 'nonce',
      tenants,
      taxonomy,
      db: db.runtimeDb,
      readiness: async () => ({ ready: true, checks: {} }),
      auth,
      session: validated?.session ?? null,
      user: validated?.user ?? null,
      clientIp: '192.0.2.1',
      operatorTasks,
      files,
      ...overrides,
    }
  }

  const cookies = new Map<string, string>()
  async function cookieOf(email: string): Promise<string> {
    if (!cookies.has(email)) {
      const response = (await signInPage.action({
        request: formRequest('/sign-in', { email, password: DEMO_PASSWORD }),
        context: await contextFor(null),
        params: {},
      })) as Response
      cookies.set(email, sessionCookieFrom(response)!)
    }
    return cookies.get(email)!
  }

  return {
    db,
    auth,
    tenants,
    contextFor,
    cookieOf,
    settleMail: async () => {
      await settle(db.adminSql, 'notifications.mail')
      await settle(db.adminSql, 'mail.deliver')
    },
    close: async () => {
      await worker?.stop()
      await operatorTasks.close()
      await db.drop()
    },
  }
}

/** `name=value` of the first Set-Cookie for the session in a response, or null. */
export function sessionCookieFrom(response: Response, name = 'session'): string | null {
  const header = response.headers.get('Set-Cookie') ?? ''
  const match = new RegExp(`(?:^|, )${name}=([^;]*)`).exec(header)
  return match ? `${name}=${match[1]}` : null
}

/** A form POST from this site, as a browser sends it. */
export function formRequest(path: string, fields: Record<string, string>, cookie?: string | null): Request {
  const headers = new Headers({
    Origin: 'http://localhost',
    'Content-Type': 'application/x-www-form-urlencoded',
  })
  if (cookie) headers.set('Cookie', cookie)
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(fields),
  })
}

/**
 * The session cookies of demo accounts, each signed in once through the sign-in page with the demo password.
 * `harness` is read at the first sign-in, so the cache can be made before the harness is.
 */
export function demoSessionCookies(harness: () => Harness): (email: string) => Promise<string> {
  const cookies = new Map<string, string>()
  return async (email) => {
    if (!cookies.has(email)) {
      const response = (await signInPage.action({
        request: formRequest('/sign-in', { email, password: DEMO_PASSWORD }),
        context: await harness().contextFor(null),
        params: {},
      })) as Response
      cookies.set(email, sessionCookieFrom(response)!)
    }
    return cookies.get(email)!
  }
}

/** The HTTP status a loader or action ends with: its Response's, a thrown Response's, or 200 for data. */
export async function statusOf(run: () => Promise<unknown>): Promise<number> {
  try {
    const result = await run()
    return result instanceof Response ? result.status : 200
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status
    throw thrown
  }
}

export function getRequest(path: string, cookie?: string | null): Request {
  return new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} })
}

/**
 * Runs `fn` and counts the database work it does on the runtime pool:
 * - `transactions`: every `withTenant` reserves one pooled connection, so reservations count transactions;
 * - `statements`: what is sent on those connections (BEGIN, the settings, each query, COMMIT);
 * - `roundTrips`: how many times a request waits for the database — statements issued in the same turn of
 *   the event loop travel together (postgres.js pipelines them on the connection), so each turn that sends
 *   at least one statement counts once. Turns of concurrent transactions count separately;
 * - `repeated`: the statements (text and parameters) a transaction sent more than once, other than its
 *   BEGIN and COMMIT — a page that reads the same thing twice in its one transaction (a read shared by two
 *   loaders that each ran it) is doing work for nothing.
 */
export async function countDatabaseWork<T>(
  h: Harness,
  fn: () => Promise<T>,
): Promise<{ transactions: number; statements: number; roundTrips: number; repeated: string[]; result: T }> {
  const client = h.db.runtimeDb.$client
  const reserve = client.reserve
  let transactions = 0
  let statements = 0
  let roundTrips = 0
  let turnCounted = false
  const repeated: string[] = []
  const sent = (seen: Set<string>, text: string, parameters: unknown) => {
    const statement = `${text} ${JSON.stringify(parameters ?? [])}`
    if (seen.has(statement) && !/^\s*(begin|commit)\b/i.test(text)) repeated.push(statement)
    seen.add(statement)
    statements += 1
    if (turnCounted) return
    turnCounted = true
    roundTrips += 1
    setImmediate(() => {
      turnCounted = false
    })
  }
  client.reserve = (async (...args: Parameters<typeof reserve>) => {
    transactions += 1
    const connection = await reserve.apply(client, args)
    const seen = new Set<string>()
    const unsafe = connection.unsafe
    connection.unsafe = ((...query: Parameters<typeof unsafe>) => {
      sent(seen, query[0], query[1])
      return unsafe.apply(connection, query)
    }) as typeof unsafe
    // Tagged-template statements (`connection\`commit\``) call the connection itself.
    return new Proxy(connection, {
      apply(target, self, query) {
        const [strings, ...parameters] = query as [TemplateStringsArray, ...unknown[]]
        sent(seen, strings.join('$'), parameters)
        return Reflect.apply(target, self, query)
      },
    })
  }) as typeof reserve
  try {
    const result = await fn()
    return { transactions, statements, roundTrips, repeated, result }
  } finally {
    client.reserve = reserve
  }
}

/** Runs `fn` and counts the database transactions it opens (see countDatabaseWork). */
export async function countTransactions<T>(
  h: Harness,
  fn: () => Promise<T>,
): Promise<{ transactions: number; result: T }> {
  const { transactions, result } = await countDatabaseWork(h, fn)
  return { transactions, result }
}
