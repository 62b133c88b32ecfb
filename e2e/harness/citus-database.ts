import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { createCitusDatabase, dropCitusDatabase, nodeUrl, startCitusCluster } from '../../db/citus/cluster'
import { distribute } from '../../db/citus/distribute'
import { prepareDatabase } from '../../db/setup'
import { withServerLock } from '../../db/testing/server'

/**
 * The e2e server's database on the local Citus cluster (`pnpm test:citus:e2e`,
 * E2E_CITUS=true): a fresh database on the coordinator and both workers,
 * migrated through the coordinator and `db:distribute`d, before the server
 * starts — so the server seeds the tenant files and the demo into distributed
 * tables and every request of the specs runs against the coordinator, as a
 * production deployment on Citus would (docs/scaling.md).
 *
 * Shards per table: CITUS_E2E_SHARD_COUNT, default 4 (two per worker; each
 * shard is DDL on a worker and 32 take about a minute more to distribute on
 * this machine — the routing test uses the production 32).
 */
export async function freshCitusDatabase(options: {
  runtimePassword: string
  dataDir: string
}): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const cluster = await startCitusCluster()
  const name = `desk_e2e_${randomBytes(4).toString('hex')}`
  const adminUrl = await createCitusDatabase(cluster, name)
  const cleanup = () => dropCitusDatabase(cluster, name)
  try {
    await withServerLock(nodeUrl(cluster.coordinatorPort, 'postgres'), () =>
      prepareDatabase({ adminUrl, runtimePassword: options.runtimePassword }),
    )
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} })
    try {
      const { converted } = await distribute(sql, undefined, {
        shardCount: Number(process.env.CITUS_E2E_SHARD_COUNT ?? 4),
      })
      console.log(`e2e on Citus: ${name} on the coordinator 127.0.0.1:${cluster.coordinatorPort}, ${converted.length} tables distributed or replicated`)
    } finally {
      await sql.end()
    }
  } catch (error) {
    await cleanup()
    throw error
  }
  return { env: { DATABASE_URL: adminUrl, DATA_DIR: options.dataDir }, cleanup }
}
