import { createReadStream } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../testing'
import { readCatalogue, tenantTables, type Catalogue } from '../probes/catalogue'
import { seedProbeFixtures, type World } from '../probes/fixtures'
import { buildContexts, buildProbes, readSnapshot, runProbes } from '../probes/probes'
import { archiveFiles, chunkSessionsIn, exportCity, importCity } from '.'
import { FILE_CONTENT_TABLES } from './catalogue'
import { diskFileStore } from '../file-storage/disk.server'
import { postgresFileStore } from '../file-storage/postgres.server'
import { unpackArchive } from './format'
import { alterArchive } from './testing'

/**
 * A city moves: the probe suite's two cities (rows in every tenant table,
 * files included) are exported from one database and imported into a fresh
 * one, where every row is the same and the isolation probes find no leak.
 * Files travel from either store into either store: city A's are read from
 * the PostgreSQL store and loaded into the target's PostgreSQL store, city B's
 * from disk onto disk, and A's onto disk in the account-linking import.
 * Damaged archives and clashing targets are refused and change nothing.
 */

/** A store in the owner's move transaction: either kind, as the scripts make them. */
const onDisk = (dataDir: string) => () => archiveFiles(diskFileStore(dataDir))
const inPostgres = (tx: postgres.TransactionSql) => archiveFiles(postgresFileStore(chunkSessionsIn(tx)))
const fileTables = (names: string[]) => names.filter((name) => !FILE_CONTENT_TABLES.includes(name))

let source: TestDatabase
let target: TestDatabase
let work: string
let sourceData: string
let targetData: string
let catalogue: Catalogue
let world: World
const archives: Record<'a' | 'b', string> = { a: '', b: '' }
const slugs = { a: 'probe-city-a', b: 'probe-city-b' }

async function storedNames(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    SELECT stored_name AS name FROM attachments UNION ALL SELECT stored_name FROM case_images ORDER BY 1`
  return rows.map((row) => row.name)
}

/** Everything an import could change, counted. */
async function footprint(sql: postgres.Sql, dataDir: string) {
  const [row] = await sql<Record<string, number>[]>`
    SELECT (SELECT count(*)::int FROM tenants) AS tenants, (SELECT count(*)::int FROM users) AS users,
           (SELECT count(*)::int FROM organisations) AS organisations,
           (SELECT count(*)::int FROM organisation_members) AS members,
           (SELECT count(*)::int FROM proposals) AS proposals, (SELECT count(*)::int FROM attachments) AS attachments,
           (SELECT count(*)::int FROM stored_file_chunks) AS chunks`
  const files = await readdir(path.join(dataDir, 'uploads')).catch(() => [])
  return { ...row, files: files.length }
}

const altered = (archive: string, change: Parameters<typeof alterArchive>[2]) => alterArchive(work, archive, change)

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'desk-archive-test-'))
  sourceData = path.join(work, 'source-data')
  targetData = path.join(work, 'target-data')
  source = await createTestDatabase()
  target = await createTestDatabase()
  catalogue = await readCatalogue(source.adminSql)
  world = await seedProbeFixtures(source.ownerSql, catalogue)
  // Real cities have a reference-code prefix of their own (tenants:check refuses two alike).
  await source.ownerSql`UPDATE tenants SET reference_prefix = 'PRB' WHERE id = ${world.cities[0]}`
  await source.ownerSql`UPDATE tenants SET reference_prefix = 'PRC' WHERE id = ${world.cities[1]}`
  await source.ownerSql`UPDATE proposals SET reference_code = replace(reference_code, 'PRB-', 'PRC-') WHERE tenant_id = ${world.cities[1]}`
  await mkdir(path.join(sourceData, 'uploads'), { recursive: true })
  for (const name of await storedNames(source.ownerSql))
    await writeFile(path.join(sourceData, 'uploads', name), `the file ${name}\n`)
  // The probe fixtures store every file in PostgreSQL too (`the file <name>`): A is read from there, B from disk.
  for (const city of ['a', 'b'] as const) {
    archives[city] = path.join(work, `${city}.tar.gz`)
    await exportCity({ owner: source.ownerSql, slug: slugs[city], out: archives[city], files: city === 'a' ? inPostgres : onDisk(sourceData) })
  }
}, 120_000)

afterAll(async () => {
  await source?.drop()
  await target?.drop()
  if (work) await rm(work, { recursive: true, force: true })
})

describe('moving a city', () => {
  it('writes a manifest with the migration, every tenant table and its row count, the files and their checksums', async () => {
    const directory = await mkdtemp(path.join(work, 'read-'))
    const manifest = await unpackArchive(createReadStream(archives.a), directory)
    expect(manifest.purpose).toBe('move')
    expect(manifest.tenant).toEqual({ id: world.cities[0], slug: slugs.a, referencePrefix: 'PRB' })
    // Every tenant table but the file store's chunks, which travel as the files.
    expect(manifest.tables.map((table) => table.name).sort()).toEqual(fileTables(tenantTables(catalogue).map((t) => t.name)).sort())
    const [proposals] = await source.adminSql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM proposals WHERE tenant_id = ${world.cities[0]}`
    expect(manifest.tables.find((table) => table.name === 'proposals')?.rows).toBe(proposals!.n)
    expect(manifest.files.length).toBeGreaterThan(0)
    expect(Object.keys(manifest.checksums)).toHaveLength(manifest.tables.length + manifest.platform.length + manifest.files.length)
    // One city only: no row of the other city, and no account the city's rows do not lead to.
    const lines = (await readFile(path.join(directory, 'tables/proposals.jsonl'), 'utf8')).trim().split('\n')
    expect(lines.every((line) => JSON.parse(line).tenant_id === world.cities[0])).toBe(true)
    const users = (await readFile(path.join(directory, 'platform/users.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line))
    expect(users.map((user) => user.email)).not.toContain('loner@probe.example')
    expect(users.map((user) => user.email)).not.toContain('admin-b@probe.example')
    expect(users.every((user) => !('platform_role' in user))).toBe(true)
  })

  it('imports both cities into a fresh database: every tenant row identical, files stored, the probe suite finds no leak', async () => {
    // A's files into the target's PostgreSQL store, B's onto its disk.
    await importCity({ owner: target.ownerSql, archive: archives.a, files: inPostgres })
    await importCity({ owner: target.ownerSql, archive: archives.b, files: onDisk(targetData) })

    const before = await readSnapshot(source.adminSql, catalogue)
    const after = await readSnapshot(target.adminSql, catalogue)
    for (const table of fileTables(tenantTables(catalogue).map((t) => t.name)))
      expect([table, after.get(table)]).toEqual([table, before.get(table)])
    const names = async (city: string) =>
      (await target.ownerSql<{ name: string }[]>`
        SELECT stored_name AS name FROM attachments WHERE tenant_id = ${city}
        UNION ALL SELECT stored_name FROM case_images WHERE tenant_id = ${city}`).map((row) => row.name)
    const [cityA, cityB] = world.cities
    for (const name of await names(cityA)) {
      const content = await target.ownerSql.begin(async (tx) => {
        const stream = await postgresFileStore(chunkSessionsIn(tx)).open({ tenantId: cityA, storedName: name })
        return Buffer.concat(await stream!.toArray()).toString('utf8')
      })
      expect(content).toBe(`the file ${name}\n`)
    }
    for (const name of await names(cityB))
      expect(await readFile(path.join(targetData, 'uploads', name), 'utf8')).toBe(`the file ${name}\n`)
    // Each city's files went to its store only.
    const chunkCities = await target.ownerSql<{ city: string }[]>`SELECT DISTINCT tenant_id AS city FROM stored_file_chunks`
    expect(chunkCities.map((row) => row.city)).toEqual([cityA])
    expect((await readdir(path.join(targetData, 'uploads'))).sort()).toEqual((await names(cityB)).sort())
    const [audit] = await target.adminSql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM platform_audit_log WHERE action = 'tenant.imported'`
    expect(audit!.n).toBe(2)

    const targetCatalogue = await readCatalogue(target.adminSql)
    const unsetSql = postgres(target.runtimeUrl, { max: 1, onnotice: () => {} })
    try {
      const probes = buildProbes({ catalogue: targetCatalogue, world, snapshot: after, contexts: buildContexts(world) })
      const report = await runProbes(probes, { sql: target.runtimeSql, unsetSql })
      console.log(`isolation probes on the imported cities: ${report.run} run, ${report.leaks.length} leaks, ${report.mismatches.length} over-restrictions`)
      expect(report.leaks).toEqual([])
      expect(report.run).toBeGreaterThanOrEqual(500)
    } finally {
      await unsetSql.end()
    }
  }, 300_000)

  describe('refusals change nothing', () => {
    let refusing: TestDatabase
    let refusingData: string
    beforeAll(async () => {
      refusing = await createTestDatabase()
      refusingData = path.join(work, 'refusing-data')
    })
    afterAll(async () => refusing?.drop())

    const refused = async (archive: string, message: RegExp) => {
      const before = await footprint(refusing.adminSql, refusingData)
      await expect(importCity({ owner: refusing.ownerSql, archive, files: onDisk(refusingData) })).rejects.toThrow(message)
      expect(await footprint(refusing.adminSql, refusingData)).toEqual(before)
    }

    it('a wrong checksum', async () => {
      const archive = await altered(archives.a, async (directory) => {
        const file = path.join(directory, 'tables/proposals.jsonl')
        await writeFile(file, (await readFile(file, 'utf8')).replace('提案', '改竄'))
      })
      await refused(archive, /checksum mismatch for tables\/proposals\.jsonl/)
    })

    it('a missing table', async () => {
      const archive = await altered(archives.a, async (_directory, manifest) => {
        const { ['tables/themes.jsonl']: _dropped, ...checksums } = manifest.checksums
        return { ...manifest, tables: manifest.tables.filter((table) => table.name !== 'themes'), checksums }
      })
      await refused(archive, /the archive is missing table themes/)
    })

    it('another migration version', async () => {
      const archive = await altered(archives.a, async (_directory, manifest) => ({
        ...manifest,
        migrations: { count: manifest.migrations.count - 1, last: 'f'.repeat(64) },
      }))
      await refused(archive, /migration version mismatch/)
    })

    it('a reference code prefix another city of the target uses', async () => {
      await refusing.ownerSql`
        INSERT INTO tenants (slug, config_version, name_ja, name_en, reference_prefix)
        VALUES ('other-city', '1', '他市', 'Other City', 'PRB')`
      await refused(archives.a, /reference code prefix PRB is already used in the target by the city "other-city"/)
    })

    it('a city the target already has, and a file that is not an archive', async () => {
      await importCity({ owner: refusing.ownerSql, archive: archives.b, files: onDisk(refusingData) })
      await refused(archives.b, /the target already has a city "probe-city-b"/)
      const junk = path.join(work, 'junk.tar.gz')
      await writeFile(junk, 'not an archive')
      await refused(junk, /not a readable city archive/)
    })
  })

  it('links accounts the target already has by e-mail: no duplicate, nothing overwritten', async () => {
    const other = await createTestDatabase()
    try {
      const [existing] = await other.ownerSql<{ id: string }[]>`
        INSERT INTO users (email, display_name, password_hash) VALUES ('PX@probe.example', 'Target PX', 'target-hash') RETURNING id`
      const result = await importCity({ owner: other.ownerSql, archive: archives.a, files: onDisk(path.join(work, 'other-data')) })
      expect(result.matchedUsers).toBe(1)
      const rows = await other.adminSql<{ id: string; display_name: string; password_hash: string }[]>`
        SELECT id, display_name, password_hash FROM users WHERE lower(email) = 'px@probe.example'`
      expect(rows).toEqual([{ id: existing!.id, display_name: 'Target PX', password_hash: 'target-hash' }])
      const [submitted] = await other.adminSql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM proposals WHERE submitter_user_id = ${existing!.id}`
      expect(submitted!.n).toBeGreaterThan(0)
      const [member] = await other.adminSql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM organisation_members WHERE user_id = ${existing!.id} AND organisation_id = ${world.organisations.x}`
      expect(member!.n).toBe(1)
    } finally {
      await other.drop()
    }
  }, 120_000)
})
