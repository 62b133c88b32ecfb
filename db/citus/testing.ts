import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { prepareDatabase, prepareRoles, runtimeUrlFrom } from '../setup'
import { createRuntimeDb, type RuntimeDb } from '../runtime'
import { TEST_RUNTIME_PASSWORD, withServerLock } from '../testing/server'
import { createCitusDatabase, dropCitusDatabase, nodeUrl, type CitusCluster } from './cluster'

export type CitusTestDatabase = {
  name: string
  cluster: CitusCluster
  /** The coordinator's superuser URL of this database. */
  adminUrl: string
  /** The runtime role's URL of this database on the coordinator. */
  runtimeUrl: string
  adminSql: postgres.Sql
  runtimeSql: postgres.Sql
  runtimeDb: RuntimeDb
  drop: () => Promise<void>
}

/**
 * A fresh database for one test file on the local Citus cluster: created on
 * every node with the extension, the workers registered, both roles and (unless
 * `migrate: false`) every migration applied through the coordinator (tables
 * still local there).
 */
export async function createCitusTestDatabase(
  options: { migrate?: boolean; cluster?: CitusCluster } = {},
): Promise<CitusTestDatabase> {
  const cluster =
    options.cluster ?? (JSON.parse((await import('vitest')).inject('citusCluster')) as CitusCluster)
  const name = `desk_citus_test_${randomBytes(6).toString('hex')}`
  const adminUrl = await createCitusDatabase(cluster, name)
  const runtimePassword = process.env.DATABASE_RUNTIME_PASSWORD ?? TEST_RUNTIME_PASSWORD
  await withServerLock(nodeUrl(cluster.coordinatorPort, 'postgres'), async () => {
    if (options.migrate === false) await prepareRoles({ adminUrl, runtimePassword })
    else await prepareDatabase({ adminUrl, runtimePassword })
  })
  const runtimeUrl = runtimeUrlFrom(adminUrl, runtimePassword)
  const adminSql = postgres(adminUrl, { max: 2, onnotice: () => {} })
  const runtimeSql = postgres(runtimeUrl, { max: 2, onnotice: () => {} })
  const runtimeDb = createRuntimeDb(runtimeUrl, { max: 2 })
  return {
    name,
    cluster,
    adminUrl,
    runtimeUrl,
    adminSql,
    runtimeSql,
    runtimeDb,
    drop: async () => {
      await Promise.all([
        adminSql.end({ timeout: 5 }),
        runtimeSql.end({ timeout: 5 }),
        runtimeDb.$client.end({ timeout: 5 }),
      ])
      await dropCitusDatabase(cluster, name)
    },
  }
}
