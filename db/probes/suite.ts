import postgres from 'postgres'
import { createTestDatabase, type TestDatabase } from '../testing'
import { readCatalogue, type Catalogue } from './catalogue'
import { seedProbeFixtures, type World } from './fixtures'
import type { Snapshot } from './oracle'
import { readSnapshot } from './probes'

/**
 * What the isolation probe suite starts from, on single PostgreSQL (db/isolation.test.ts) and on the Citus
 * coordinator (db/citus/isolation.citus.test.ts) alike: its own database, a runtime connection that sets no
 * tenant, the catalogue, both cities' fixtures and the snapshot the oracle compares against.
 */
export type ProbeSuite = {
  db: TestDatabase
  unsetSql: postgres.Sql
  catalogue: Catalogue
  world: World
  snapshot: Snapshot
  close: () => Promise<void>
}

export async function openProbeSuite(): Promise<ProbeSuite> {
  const db = await createTestDatabase()
  const unsetSql = postgres(db.runtimeUrl, { max: 1, onnotice: () => {} })
  const catalogue = await readCatalogue(db.adminSql)
  const world = await seedProbeFixtures(db.ownerSql, catalogue)
  const snapshot = await readSnapshot(db.adminSql, catalogue)
  return {
    db,
    unsetSql,
    catalogue,
    world,
    snapshot,
    close: async () => {
      await unsetSql.end()
      await db.drop()
    },
  }
}
