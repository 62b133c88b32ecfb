import type { SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import type { RuntimeDb } from './runtime'

/**
 * Who is acting:
 * - `staff`: city staff; must be a member of `tenantId` (checked in the database).
 * - `proposer`: a member of one or more organisations; sees those organisations'
 *   proposals in every city, or only in `tenantId` when it is set. Writes need `tenantId`.
 * - `public`: anonymous; sees what the city `tenantId` has published.
 * - `operator`: platform operator (users.platform_role = 'operator'); no tenant rows.
 * - `system`: server-internal work only — sign-in lookups, session validation,
 *   throttling, the mail and notification senders. Never for rendering a request's data.
 */
export const actorKinds = ['staff', 'proposer', 'public', 'operator', 'system'] as const
export type ActorKind = (typeof actorKinds)[number]

export type TenantContext = {
  tenantId: string | null
  userId: string | null
  actor: ActorKind
}

declare const tenantTxBrand: unique symbol

/**
 * A drizzle database on one reserved connection, inside the transaction withTenant opened and with its
 * context set. Branded, so the runtime pool itself (no transaction, no context) is not one. It has no
 * relational queries (`tx.query`: nothing uses them, and building them per transaction costs CPU) and no
 * nested transactions (nothing needs a savepoint; drizzle's would ask the pool for a new connection).
 */
export type TenantTx = Omit<PostgresJsDatabase, 'transaction' | '$client'> & {
  readonly [tenantTxBrand]: true
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export class TenantContextError extends Error {}

function checkContext(context: TenantContext): void {
  if (!actorKinds.includes(context.actor))
    throw new TenantContextError(`unknown actor kind: ${String(context.actor)}`)
  if (context.tenantId !== null && !UUID.test(context.tenantId))
    throw new TenantContextError('tenantId is not a uuid')
  if (context.userId !== null && !UUID.test(context.userId))
    throw new TenantContextError('userId is not a uuid')
}

/** Errors after which the connection is gone: postgres.js has already put it back in its pool as closed. */
const CONNECTION_LOST = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'ECONNRESET',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
])

function lostConnection(error: unknown): boolean {
  // drizzle wraps the driver's error ("Failed query: …"); the code is on its cause.
  const root = error instanceof Error && error.cause ? error.cause : error
  const code = (root as { code?: unknown } | null)?.code
  return typeof code === 'string' && CONNECTION_LOST.has(code)
}

/** The database cannot be reached now (refused, restarting, starting up) — worth a retry, not a bug. */
const UNREACHABLE = new Set([
  ...CONNECTION_LOST,
  'ECONNREFUSED',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '53300',
  '08001',
  '08006',
])

/**
 * The database refused the runtime role's login: its password was set by a server that arrived at another
 * one (db/bootstrap.ts, `runtimePasswordFor`), or pg_hba.conf turns the role away. Not the visitor's doing.
 */
const LOGIN_REFUSED = new Set(['28P01', '28000'])

const UNAVAILABLE_MESSAGES = {
  pool_timeout: 'no database connection became free in time',
  unreachable: 'the database is unreachable',
  login_refused:
    "the database refused the runtime role's login: every server on one database needs the same runtime " +
    'password (DATABASE_URL with the same password, or the same DATABASE_RUNTIME_PASSWORD; docs/scaling.md)',
} as const

const UNAVAILABLE_BRAND = Symbol.for('desk.DatabaseUnavailableError')

/**
 * No connection could be had: every pooled connection stayed busy for the
 * pool's acquire timeout (`pool_timeout`), the server is unreachable or
 * restarting (`unreachable`), or it refused the runtime role's login
 * (`login_refused`). The web server shows a 503 for it.
 */
export class DatabaseUnavailableError extends Error {
  readonly [UNAVAILABLE_BRAND] = true
  constructor(
    readonly reason: keyof typeof UNAVAILABLE_MESSAGES,
    options?: { cause?: unknown },
  ) {
    super(UNAVAILABLE_MESSAGES[reason], options)
    this.name = 'DatabaseUnavailableError'
  }
}

/**
 * Whether `error` is a DatabaseUnavailableError — by a registered symbol, not
 * `instanceof`: the server bundle and the Remix bundle each carry their own
 * copy of this module, so the classes differ between them.
 */
export function isDatabaseUnavailable(error: unknown): error is DatabaseUnavailableError {
  return typeof error === 'object' && error !== null && UNAVAILABLE_BRAND in error
}

/**
 * A transient loss of the database, or a refused login, as a DatabaseUnavailableError (the cause kept);
 * anything else unchanged.
 */
export function asUnavailable(error: unknown): unknown {
  if (isDatabaseUnavailable(error)) return error
  const root = error instanceof Error && error.cause ? error.cause : error
  const code = (root as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return error
  if (UNREACHABLE.has(code)) return new DatabaseUnavailableError('unreachable', { cause: error })
  if (LOGIN_REFUSED.has(code)) return new DatabaseUnavailableError('login_refused', { cause: error })
  return error
}

/** Waits for a pooled connection at most `timeoutMs`; a reservation that arrives later goes straight back. */
async function reserveWithin(client: RuntimeDb['$client'], timeoutMs: number) {
  const reservation = client.reserve()
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  try {
    const winner = await Promise.race([reservation, timedOut])
    if (winner === 'timeout') {
      // postgres.js cannot withdraw a queued reservation: release it as soon as it is granted.
      reservation.then(
        (late) => late.release(),
        () => {},
      )
      throw new DatabaseUnavailableError('pool_timeout')
    }
    return winner
  } finally {
    clearTimeout(timer)
  }
}

/** A transaction opened on a reserved connection with its context statement sent, not yet awaited. */
type OpenedTransaction = {
  connection: Awaited<ReturnType<typeof reserveWithin>>
  /** `BEGIN` and the context statement, settled: they never reject (the first failure is `setupError()`). */
  setup: Promise<void>[]
  setupError: () => unknown
  /** The connection closed under the transaction (a restart): it must be neither used nor released. */
  closed: () => boolean
  /** Rejects when the connection closes. */
  lost: Promise<never>
}

/**
 * Reserves a connection and writes `BEGIN` and `select app_set_context(…)` on it without waiting: whatever
 * the caller sends next on the connection goes out in the same write (postgres.js coalesces the writes of
 * one tick) and runs after them, in the transaction, with the context set.
 */
async function openTransaction(runtimeDb: RuntimeDb, context: TenantContext): Promise<OpenedTransaction> {
  checkContext(context)
  let connection: OpenedTransaction['connection']
  try {
    connection = await reserveWithin(runtimeDb.$client, runtimeDb.acquireTimeoutMs)
  } catch (error) {
    throw runtimeDb.mapUnavailable(asUnavailable(error))
  }
  let closed = false
  // Rejected when the connection closes: a statement postgres.js had queued on the reserved connection
  // (behind one still being described) is never answered nor rejected after a close, so `fn` would wait forever.
  let connectionLost: (error: unknown) => void = () => {}
  const lost = new Promise<never>((_, reject) => {
    connectionLost = reject
  })
  lost.catch(() => {})
  let setupError: unknown
  const setup = [
    connection
      .unsafe('begin', [], {
        // postgres.js hands over its connection object here (as its own begin() does): its onclose
        // tells us the connection died, after which it must be neither used nor released.
        onexecute: (raw: { onclose?: () => void }) => {
          raw.onclose = () => {
            closed = true
            connectionLost(
              Object.assign(new Error('the database connection was lost'), { code: 'CONNECTION_CLOSED' }),
            )
          }
          return true // keep pipelining
        },
      } as object)
      .execute(),
    connection`select app_set_context(${context.tenantId}::uuid, ${context.userId}::uuid, ${context.actor})`.execute(),
  ].map((query) =>
    Promise.resolve(query).then(
      () => {},
      (error: unknown) => {
        setupError ??= error
      },
    ),
  )
  return { connection, setup, setupError: () => setupError, closed: () => closed, lost }
}

/**
 * After a failure inside the transaction: rolls it back (not on a lost connection: that would never be
 * answered, and the request would hang) and gives the error to throw — a failed `BEGIN` or context
 * statement first, as it aborted the transaction: the caller gets that cause, not "transaction aborted".
 */
async function failTransaction(runtimeDb: RuntimeDb, opened: OpenedTransaction, error: unknown): Promise<unknown> {
  await Promise.all(opened.setup)
  const setupError = opened.setupError()
  if (!opened.closed() && !lostConnection(error) && !lostConnection(setupError))
    await opened.connection`rollback`.catch(() => {})
  return runtimeDb.mapUnavailable(asUnavailable(setupError ?? error))
}

/**
 * A tenant transaction already open, handed to code written for the runtime pool. `withTenant` on it with
 * the same context runs in it, with no transaction of its own; with another context, in a transaction of
 * its own on the pool, as it would have. A page whose loaders share one transaction (the membership, the
 * desk layout's reads and the page's: app/http/request-transaction.server.ts) passes it to the operations
 * it calls in place of the pool, so that their reads join that transaction.
 */
export class OpenTenantTransaction {
  constructor(
    readonly runtimeDb: RuntimeDb,
    readonly tx: TenantTx,
    readonly context: TenantContext,
  ) {}

  /** Whether work in `context` may run in this transaction: the same city, user and actor, so the same settings. */
  serves(context: TenantContext): boolean {
    return (
      context.tenantId === this.context.tenantId &&
      context.userId === this.context.userId &&
      context.actor === this.context.actor
    )
  }
}

/** Where tenant work runs: the runtime pool (a transaction of its own) or an open tenant transaction. */
export type TenantDb = RuntimeDb | OpenTenantTransaction

/**
 * The one way into tenant data. Opens a transaction on the runtime connection,
 * sets `app.tenant_id`, `app.user_id` and `app.actor` transaction-locally with
 * one parameterised statement, `select app_set_context($1, $2, $3)`, and runs
 * `fn` inside it. Row-level security reads those settings; they vanish at
 * commit or rollback, so a pooled connection never carries one request's
 * context into the next. The function (migration 0020) makes them with SET
 * LOCAL, the ids bound as uuids, so that a Citus coordinator forwards them to
 * the workers as well (`set_config` is not forwarded): same effect and same
 * round trips on plain PostgreSQL (docs/decisions/008-tenant-context-on-citus.md).
 *
 * Round trips: postgres.js's `begin()` waits for `BEGIN`, then drizzle waits
 * for each statement — four round trips for a one-query request (BEGIN,
 * set_config, query, COMMIT), which made the runtime path ~1.4× the owner's
 * single statement (docs/performance.md). Here the connection is reserved and
 * `BEGIN`, the context statement and `fn`'s first statement are written
 * together (postgres.js pipelines queries issued on one connection before the
 * next write): two round trips. The order on the wire is the order of issue,
 * so the settings are in place before `fn`'s first statement runs; if `BEGIN`
 * or `app_set_context` fails, everything after it fails in the aborted transaction
 * and that first error is what the caller gets. Public APIs only: postgres.js's
 * `reserve()` and queries on the reserved connection, and drizzle's
 * `drizzle(client)` over that connection as `tx`. Statements that do not depend
 * on one another's results can go in one round trip with `withTenantStatements`. Given an
 * OpenTenantTransaction of the same context, `fn` runs in that transaction instead.
 */
export async function withTenant<T>(
  db: TenantDb,
  context: TenantContext,
  fn: (tx: TenantTx) => Promise<T>,
): Promise<T> {
  if (db instanceof OpenTenantTransaction && db.serves(context)) return fn(db.tx)
  const runtimeDb = db instanceof OpenTenantTransaction ? db.runtimeDb : db
  const opened = await openTransaction(runtimeDb, context)
  const { connection, closed } = opened
  // Once the connection has closed (a restart between two statements of `fn`), postgres.js would still
  // take a query on it and write it to the gone socket from a setImmediate — an uncaught TypeError
  // that ends the process (porsager/postgres#1208). `fn`'s statements after that are refused here.
  const unsafe = connection.unsafe.bind(connection)
  const refuse = () => {
    const refused = Promise.reject(
      Object.assign(new Error('the database connection was lost'), { code: 'CONNECTION_CLOSED' }),
    )
    return Object.assign(refused, { values: () => refused, execute: () => refused })
  }
  Object.assign(connection, {
    // drizzle sends every statement as `unsafe(text, parameters, { prepare: false })` (true only for its
    // own `.prepare(name)`), which postgres.js runs as an unnamed statement; an unnamed statement with parameters is first sent alone
    // (Parse, Describe) for the server to type its parameters, a round trip per statement that also
    // holds back the statements behind it (16 writes to the socket for the desk proposal page's one
    // transaction). Prepared, a statement is described once per connection and then only bound and
    // executed, pipelined with the rest (docs/performance.md, "the desk proposal page (session 10)").
    // The connection's statements last as long as it (postgres.js's max_lifetime), and so do their generic
    // plans (plan_cache_mode, ./runtime.ts).
    unsafe: ((query: string, parameters?: Parameters<typeof unsafe>[1], options?: Parameters<typeof unsafe>[2]) =>
      closed() ? refuse() : unsafe(query, parameters, { ...options, prepare: true })) as unknown as typeof unsafe,
    // The pool's options (postgres.js's reserved client does not carry them): drizzle sets its type
    // parsers there, as it already did on the pool when the runtime database was made.
    options: runtimeDb.$client.options,
  })
  try {
    // drizzle's public constructor over the reserved connection: its statements go to this connection, in order.
    const tx = drizzle(connection) as unknown as TenantTx
    const result = await Promise.race([fn(tx), opened.lost])
    await Promise.all(opened.setup)
    if (opened.setupError()) throw opened.setupError()
    await connection`commit`
    return result
  } catch (error) {
    throw await failTransaction(runtimeDb, opened, error)
  } finally {
    if (!closed()) connection.release()
  }
}

const dialect = new PgDialect()

/**
 * `statements`, which do not depend on one another's results, in one transaction with the context set
 * (as `withTenant`), written at once with `BEGIN`, the context statement and `COMMIT`: **one round trip**,
 * where `withTenant` needs two at least (its `COMMIT` waits for `fn`). For a request's small fixed reads,
 * such as the session's validation on every signed-in request. Each statement's rows, in order.
 *
 * If a statement fails, the ones after it fail in the aborted transaction, the `COMMIT` ends it as a
 * rollback (PostgreSQL answers `COMMIT` in a failed transaction with `ROLLBACK`, nothing written), and the
 * first error is thrown. Prepared, as `withTenant`'s; postgres.js parses the rows with the pool's types,
 * as drizzle's `execute` gives them.
 */
export async function withTenantStatements(
  runtimeDb: RuntimeDb,
  context: TenantContext,
  statements: readonly SQL[],
): Promise<Record<string, unknown>[][]> {
  const opened = await openTransaction(runtimeDb, context)
  const { connection } = opened
  let firstError: unknown
  const failed = (error: unknown) => {
    firstError ??= error
    return []
  }
  try {
    const sent = statements.map((statement) => {
      const query = dialect.sqlToQuery(statement)
      return connection
        .unsafe(query.sql, query.params as never[], { prepare: true })
        .then((rows) => [...rows] as Record<string, unknown>[], failed)
    })
    // Answered after every statement before it (in order on one connection), so the first error is a statement's.
    const commit = connection`commit`.execute().then(() => [], failed)
    const [rows] = await Promise.race([Promise.all([Promise.all(sent), commit, ...opened.setup]), opened.lost])
    // No rollback after a failure: the COMMIT already ended the transaction, as a rollback.
    const error = opened.setupError() ?? firstError
    if (error) throw error
    return rows
  } catch (error) {
    throw runtimeDb.mapUnavailable(asUnavailable(error))
  } finally {
    if (!opened.closed()) connection.release()
  }
}
