import { formatProblem, loadTenantDirectory } from '@desk/tenant-config'
import { parseEnv } from '../app/utils/env.server'
import { bootstrapDatabase } from '../db/bootstrap'
import { createOwnerSql } from '../db/owner'
import { seedDemo } from '../db/seed/demo'
import { seedTenantFromConfig } from '../db/seed/tenants'
import { runCli } from './run-cli'

/** `pnpm db:seed`: applies migrations, then seeds the demo once (a second run seeds nothing). */
await runCli(async () => {
  const env = parseEnv()
  const database = await bootstrapDatabase(env)
  const owner = createOwnerSql(database.adminUrl)
  try {
    const loaded = await loadTenantDirectory(env.TENANTS_DIR)
    if (loaded.problems.length > 0) {
      throw new Error(`tenant files: ${formatProblem(loaded.problems[0]!)}${loaded.problems.length > 1 ? ` (and ${loaded.problems.length - 1} more)` : ''}`)
    }
    const result = await seedDemo(owner, { tenants: loaded.tenants.map(seedTenantFromConfig) })
    if (!result.seeded) {
      console.log('demo seed: already done, nothing seeded')
      return
    }
    console.log(`demo seed: ${loaded.tenants.length} cities, ${result.accounts.length} accounts (password: demo-pass-2026)`)
    for (const account of result.accounts) {
      console.log(`  ${account.email.padEnd(40)} ${account.role}${account.city ? ` @ ${account.city}` : ''}${account.organisation ? ` (${account.organisation})` : ''}`)
    }
  } finally {
    await owner.end()
    await database.stop()
  }
})
