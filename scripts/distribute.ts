import postgres from 'postgres'
import { distribute, DistributeError } from '../db/citus/distribute'
import { runCli } from './run-cli'

/**
 * `pnpm db:distribute`: on a Citus coordinator (DATABASE_URL, an admin of the
 * migrated database), turns the tables into the layout of docs/scaling.md.
 * Idempotent; changes nothing when anything stands in the way, and says what.
 */
await runCli(async () => {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL (the Citus coordinator, migrated database) is required')
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const result = await distribute(sql).catch((error: unknown) => {
      // The whole list of what stands in the way, not only its first line.
      if (error instanceof DistributeError) console.error(error.message)
      throw error
    })
    for (const table of result.converted) console.log(`${table.kind.padEnd(11)} ${table.name}`)
    console.log(
      `db:distribute: ${result.converted.length} converted, ${result.unchanged} already in place or local`,
    )
  } finally {
    await sql.end()
  }
})
