import { parseEnv } from '../app/utils/env.server'
import { bootstrapDatabase } from '../db/bootstrap'
import { runCli } from './run-cli'

await runCli(async () => {
  const env = parseEnv()
  const database = await bootstrapDatabase(env)
  console.log(
    `migrations: ${database.migrationsApplied} applied (${database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`,
  )
  await database.stop()
})
