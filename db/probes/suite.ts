import postgres from 'postgres'
import { createTestDatabase, type TestDatabase } from '../testing'
import { shareFixture } from '../testing/shared-fixture'
import { readCatalogue, type Catalogue } from './catalogue'
import { seedProbeFixtures, type World } from './fixtures'
import type { Snapshot } from './oracle'
import { readSnapshot } from './probes'

/**
 * What the isolation probe suite starts from, on single PostgreSQL (db/isolation.test.ts) and on the Citus
 * coordinator (db/citus/isolation.citus.test.ts) alike: its own database, a runtime connection that sets no
 * tenant, the catalogue, both cities' fixtures and the snapshot the oracle compares against.
 */
/**
 * The tables probed on the Citus coordinator, to keep CI within its budget
 * (the whole suite takes about six minutes on the 3-node cluster of this
 * machine): each kind of table the layout has — the co-location anchor, the
 * proposal and the children that carry its deciding columns (trigger-kept), a
 * city's staff table, the append-only audit log, the published cases — and
 * every reference table whose policies or readers changed for Citus (users,
 * organisations and their members, tenants, sessions).
 */
export const CITUS_PROBE_TABLES = [
  'departments',
  'proposals',
  'messages',
  'internal_notes',
  'attachments',
  'city_memberships',
  'audit_log',
  'published_cases',
  'tenants',
  'users',
  'organisations',
  'organisation_members',
  'sessions',
]

export type ProbeSuite = {
  db: TestDatabase
  unsetSql: postgres.Sql
  catalogue: Catalogue
  world: World
  snapshot: Snapshot
  close: () => Promise<void>
}

async function openProbeSuite(): Promise<ProbeSuite> {
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

/** The probe suite a test file's tests share: opened before them (within `timeout`) and handed to `take`, closed after them. */
export function shareProbeSuite(take: (suite: ProbeSuite) => void, timeout?: number): void {
  shareFixture(openProbeSuite, take, (suite) => suite.close(), timeout)
}
