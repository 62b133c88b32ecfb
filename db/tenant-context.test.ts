import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntimeDb, type RuntimeDb } from './runtime'
import { proposals } from './schema'
import { createTestDatabase, type TestDatabase } from './testing'
import {
  type DatabaseUnavailableError,
  isDatabaseUnavailable,
  OpenTenantTransaction,
  withTenant,
  withTenantStatements,
  type TenantContext,
} from './tenant-context'

/** withTenant's own contract: pipelined set-up, transaction-local settings, rollback, pool timeout. */
let db: TestDatabase
let one: RuntimeDb
const tenantId = randomUUID()
const userId = randomUUID()
const staff: TenantContext = { tenantId, userId, actor: 'staff' }

const settings = (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) =>
  tx.execute<{ tenant: string; user_id: string; actor: string; in_tx: boolean }>(sql`select
    current_setting('app.tenant_id', true) as tenant, current_setting('app.user_id', true) as user_id,
    current_setting('app.actor', true) as actor, now() = statement_timestamp() as in_tx`)

beforeAll(async () => {
  db = await createTestDatabase()
  // One connection: whatever a transaction leaves behind, the next one on the pool would see.
  one = createRuntimeDb(db.runtimeUrl, { max: 1, acquireTimeoutMs: 300 })
  // Opened here: the 300 ms bound the tests check is the wait for a busy connection, not a first
  // connect (which takes longer than that on the Citus coordinator of a loaded machine).
  await one.$client`select 1`
})
afterAll(async () => {
  await one?.$client.end({ timeout: 5 })
  await db?.drop()
})

describe('withTenant', () => {
  it('sets the context before the first statement, inside one transaction, and nothing survives it', async () => {
    const [row] = await withTenant(one, staff, (tx) => settings(tx))
    expect(row).toMatchObject({ tenant: tenantId, user_id: userId, actor: 'staff' })
    // In a transaction: now() is the transaction's start, earlier than this statement's.
    const [second] = await withTenant(one, staff, async (tx) => {
      await tx.execute(sql`select pg_sleep(0.01)`)
      return settings(tx)
    })
    expect(second!.in_tx).toBe(false)
    // The same (only) connection, outside withTenant: the settings are gone.
    const [after] = await one.$client<{ tenant: string | null; actor: string | null }[]>`
      select current_setting('app.tenant_id', true) as tenant, current_setting('app.actor', true) as actor`
    expect([after!.tenant ?? '', after!.actor ?? '']).toEqual(['', ''])
  })

  it('rolls back everything when fn throws, and the connection goes back to the pool', async () => {
    const marker = `withtenant-${randomUUID()}`
    await expect(
      withTenant(one, staff, async (tx) => {
        await tx.execute(sql`select set_config('app.marker', ${marker}, false)`)
        throw new Error('refused')
      }),
    ).rejects.toThrow('refused')
    const [row] = await one.$client<
      { marker: string | null }[]
    >`select current_setting('app.marker', true) as marker`
    expect(row!.marker ?? '').toBe('')
    // The pool of one still serves: the connection was released.
    expect((await withTenant(one, staff, (tx) => settings(tx)))[0]!.actor).toBe('staff')
  })

  it('reports a failed statement with its own error, not "transaction aborted"', async () => {
    const error = await withTenant(one, staff, (tx) => tx.execute(sql`select 1/0`)).catch(
      (caught: unknown) => caught,
    )
    // drizzle wraps the driver's error; its cause is PostgreSQL's own.
    expect(String((error as Error).cause)).toMatch(/division by zero/)
    expect((await withTenant(one, staff, (tx) => settings(tx)))[0]!.actor).toBe('staff')
  })

  it('offers no nested transactions, and the runtime pool is not a tenant transaction (types)', async () => {
    await withTenant(one, staff, async (tx) => {
      // @ts-expect-error drizzle's transaction() would take another pooled connection, outside this one
      void tx.transaction
      return settings(tx)
    })
    // @ts-expect-error the pool has neither the transaction nor the context
    const pool: Parameters<Parameters<typeof withTenant>[2]>[0] = one
    expect(pool).toBe(one)
  })

  it("keeps a statement's plan: past five custom plans, a statement under the policies runs its generic plan", async () => {
    // Forcing a custom plan for every execution made each statement plan the policies' expressions again:
    // most of a desk page's PostgreSQL time (ADR 015). Prepared on the one connection, run seven times.
    const marker = `plan-cache-${randomUUID()}`
    for (let run = 0; run < 7; run++)
      await withTenant(one, staff, (tx) =>
        tx.select({ id: proposals.id }).from(proposals).where(and(eq(proposals.tenantId, tenantId), eq(proposals.title, marker))),
      )
    const [statement] = await one.$client<{ generic: number }[]>`
      select generic_plans::int as generic from pg_prepared_statements
       where statement like '%from "proposals"%' and statement like '%"title" = $2%'`
    expect(statement).toBeDefined()
    expect(statement!.generic).toBeGreaterThan(0)
  })

  it('waits for a pooled connection at most acquireTimeoutMs, then says the database is unavailable', async () => {
    let release!: () => void
    const held = withTenant(one, staff, () => new Promise<void>((resolve) => (release = resolve)))
    const started = Date.now()
    const error = await withTenant(one, staff, (tx) => settings(tx)).catch((caught: unknown) => caught)
    expect(isDatabaseUnavailable(error)).toBe(true)
    expect((error as DatabaseUnavailableError).reason).toBe('pool_timeout')
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
    release()
    await held
    // The reservation that timed out was handed back when it arrived: the pool still works.
    expect((await withTenant(one, staff, (tx) => settings(tx)))[0]!.actor).toBe('staff')
  })

  it('a connection the server ends mid-transaction fails the request at once: no rollback on it, nothing escapes', async () => {
    // Its own pool: after a killed reserved connection postgres.js 3.4.9 may not recover a pool slot
    // (docs/performance.md, "PostgreSQL restarts"), and the other tests share `one`.
    const own = createRuntimeDb(db.runtimeUrl, { max: 1, acquireTimeoutMs: 300 })
    const uncaught: unknown[] = []
    const record = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', record)
    try {
      // What fn's first statement after the loss got. withTenant fails as soon as the connection closes,
      // which may be before fn has even sent it: the test waits for it (it must be refused, promptly).
      let settleAfter: (outcome: unknown) => void = () => {}
      const afterLoss = new Promise<unknown>((resolve) => {
        settleAfter = resolve
      })
      const outcome = await Promise.race([
        withTenant(own, staff, async (tx) => {
          const [{ pid }] = (await tx.execute<{ pid: number }>(
            sql`select pg_backend_pid() as pid`,
          )) as unknown as [{ pid: number }]
          // What a PostgreSQL restart does to each backend: 57P01, then the socket closes.
          await db.adminSql`select pg_terminate_backend(${pid}::int)` // ::int: Citus adds a (bigint, bigint) overload
          await tx.execute(sql`select 1`).then(
            () => settleAfter('answered'),
            (error: unknown) => settleAfter(error),
          )
          // A statement after the loss (fn carried on): refused, not written to the closed socket.
          return tx.execute(sql`select 2`)
        }).catch((caught: unknown) => caught),
        // It used to hang here: the rollback was sent on the dead connection (drizzle wraps the
        // driver's error, so the lost connection was not recognised) and never answered.
        new Promise((resolve) => setTimeout(() => resolve('hung'), 5000)),
      ])
      expect(isDatabaseUnavailable(outcome), String(outcome)).toBe(true)
      const after = await Promise.race([
        afterLoss,
        new Promise((resolve) => setTimeout(() => resolve('no answer within 3 s'), 3000)),
      ])
      expect(after).toBeInstanceOf(Error)
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(uncaught).toEqual([])
    } finally {
      process.off('uncaughtException', record)
      await own.$client.end({ timeout: 1 })
    }
  })

  it('maps an unreachable server through mapUnavailable', async () => {
    const nowhere = createRuntimeDb('postgres://desk_app:x@127.0.0.1:1/none', {
      max: 1,
      mapUnavailable: (error) =>
        isDatabaseUnavailable(error) ? new Response('busy', { status: 503 }) : error,
    })
    const thrown = await withTenant(nowhere, staff, (tx) => settings(tx)).catch((caught: unknown) => caught)
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).status).toBe(503)
    await nowhere.$client.end({ timeout: 1 })
  })

  it("answers a refused login (another server's runtime password) as unavailable, saying what to fix", async () => {
    // A role the server does not know is refused at login on every server: 28000 with trust, 28P01 with a password.
    const url = new URL(db.runtimeUrl)
    url.username = 'desk_no_such_role'
    const refused = createRuntimeDb(url.toString(), { max: 1 })
    const thrown = await withTenant(refused, staff, (tx) => settings(tx)).catch((caught: unknown) => caught)
    expect(isDatabaseUnavailable(thrown), String(thrown)).toBe(true)
    expect((thrown as DatabaseUnavailableError).reason).toBe('login_refused')
    expect((thrown as Error).message).toContain('DATABASE_RUNTIME_PASSWORD')
    await refused.$client.end({ timeout: 1 })
  })
})

describe('withTenant on an open tenant transaction', () => {
  const transactionId = (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) =>
    tx.execute<{ id: string }>(sql`select txid_current()::text as id`).then(([row]) => row!.id)

  it('runs work of the same context in that transaction: no connection of its own', async () => {
    // The pool has one connection, held by the open transaction: a transaction of its own would wait and fail.
    const [outer, inner] = await withTenant(one, staff, async (tx) => {
      const open = new OpenTenantTransaction(one, tx, staff)
      return [await transactionId(tx), await withTenant(open, { ...staff }, transactionId)]
    })
    expect(inner).toBe(outer)
  })

  it('runs work of another context in a transaction of its own, with its own settings', async () => {
    const two = createRuntimeDb(db.runtimeUrl, { max: 2 })
    try {
      const proposer: TenantContext = { tenantId: null, userId, actor: 'proposer' }
      const [outer, inner] = await withTenant(two, staff, async (tx) => {
        const open = new OpenTenantTransaction(two, tx, staff)
        return [
          await transactionId(tx),
          await withTenant(open, proposer, async (own) => ({
            id: await transactionId(own),
            ...(await settings(own))[0],
          })),
        ] as const
      })
      expect(inner.id).not.toBe(outer)
      expect(inner).toMatchObject({ tenant: '', actor: 'proposer' })
    } finally {
      await two.$client.end({ timeout: 5 })
    }
  })
})

describe('withTenantStatements', () => {
  const settingsStatement = sql`select current_setting('app.tenant_id', true) as tenant,
    current_setting('app.actor', true) as actor, now() = statement_timestamp() as in_tx`
  const exists = async (table: string) =>
    (
      await withTenant(one, staff, (tx) =>
        tx.execute<{ present: boolean }>(
          sql`select to_regclass(${`pg_temp.${table}`}) is not null as present`,
        ),
      )
    )[0]!.present

  it('runs the statements in order in one transaction with the context set, and commits', async () => {
    const [created, context, counted] = await withTenantStatements(one, staff, [
      sql.raw('create temp table statements_kept (x int)'),
      settingsStatement,
      sql`select ${2}::int + 1 as three`,
    ])
    expect(created).toEqual([])
    expect(context).toEqual([{ tenant: tenantId, actor: 'staff', in_tx: false }])
    expect(counted).toEqual([{ three: 3 }])
    expect(await exists('statements_kept')).toBe(true)
    // The same (only) connection, outside any transaction: the settings are gone.
    const [after] = await one.$client`select current_setting('app.actor', true) as actor`
    expect(after!.actor ?? '').toBe('')
  })

  it('a failed statement: its own error, nothing of the transaction kept, the connection reusable', async () => {
    const error = await withTenantStatements(one, staff, [
      sql.raw('create temp table statements_dropped (x int)'),
      sql`select 1/0`,
      settingsStatement,
    ]).catch((caught: unknown) => caught)
    expect(String((error as { code?: string }).code ?? (error as Error).cause)).toMatch(/22012/)
    expect(await exists('statements_dropped')).toBe(false)
    const [rows] = await withTenantStatements(one, staff, [settingsStatement])
    expect(rows).toMatchObject([{ actor: 'staff' }])
  })
})
