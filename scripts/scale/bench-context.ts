import { parseArgs } from 'node:util'
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { runCli } from '../run-cli'
import { TEST_RUNTIME_PASSWORD } from '../../db/testing/server'
import { prepareDatabase, runtimeUrlFrom } from '../../db/setup'

/**
 * What setting the request context costs (docs/decisions/008-tenant-context-on-citus.md):
 * the old `select set_config(…, true) ×3` against `select app_set_context($1, $2, $3)`
 * (three SET LOCALs in PL/pgSQL), each as the one context statement of a transaction
 * pipelined like withTenant's (BEGIN, context, `select 1`, COMMIT written together:
 * the same round trips for both). Interleaved rounds on one connection of the runtime role.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<database> pnpm exec tsx scripts/scale/bench-context.ts [--transactions 2000] [--rounds 5]
 */
await runCli(async () => {
  const { values } = parseArgs({
    options: { transactions: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '5' } },
  })
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) throw new Error('DATABASE_URL (a database this script may migrate) is required')
  const password = process.env.DATABASE_RUNTIME_PASSWORD ?? TEST_RUNTIME_PASSWORD
  await prepareDatabase({ adminUrl, runtimePassword: password })
  const sql = postgres(runtimeUrlFrom(adminUrl, password), { max: 1, onnotice: () => {} })
  const tenant = randomUUID()
  const user = randomUUID()
  const variants = {
    set_config: (c: postgres.ReservedSql) =>
      c`select set_config('app.tenant_id', ${tenant}, true), set_config('app.user_id', ${user}, true), set_config('app.actor', ${'staff'}, true)`,
    app_set_context: (c: postgres.ReservedSql) =>
      c`select app_set_context(${tenant}::uuid, ${user}::uuid, ${'staff'})`,
  }
  const totals: Record<string, number> = { set_config: 0, app_set_context: 0 }
  const transactions = Number(values.transactions)
  const connection = await sql.reserve()
  try {
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const [name, context] of Object.entries(variants)) {
        const started = process.hrtime.bigint()
        for (let i = 0; i < transactions; i++) {
          await Promise.all([
            connection`begin`.execute(),
            context(connection).execute(),
            connection`select 1`.execute(),
          ])
          await connection`commit`
        }
        totals[name]! += Number(process.hrtime.bigint() - started) / 1e6
      }
    }
  } finally {
    connection.release()
    await sql.end()
  }
  const count = transactions * Number(values.rounds)
  for (const [name, ms] of Object.entries(totals))
    console.log(
      `${name.padEnd(16)} ${((ms * 1000) / count).toFixed(1)} µs per transaction (${count} transactions)`,
    )
  console.log(
    `ratio app_set_context / set_config: ${(totals.app_set_context! / totals.set_config!).toFixed(2)}`,
  )
})
