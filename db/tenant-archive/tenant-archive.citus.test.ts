import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { listDeskInbox } from '../../app/operations/inbox/desk-inbox.server'
import { transitionProposal } from '../../app/operations/proposals/transition-proposal.server'
import { addInternalNote, postMessage } from '../../app/operations/dialogue/dialogue.server'
import {
  createTestCitiesAndProposers,
  readProposerProposalPage,
  readStaffProposalPage,
  submitTestProposal,
  type TestCity,
} from '../../app/operations/proposals/testing.server'
import { nodeUrl, type CitusCluster } from '../citus/cluster'
import { createTestDatabase, type TestDatabase } from '../testing'
import { readCatalogue, tenantTables, type Catalogue } from '../probes/catalogue'
import { seedProbeFixtures, type World } from '../probes/fixtures'
import { buildContexts, buildProbes, readSnapshot, runProbes } from '../probes/probes'
import { CITUS_PROBE_TABLES } from '../probes/suite'
import { diskFileStore } from '../file-storage/disk.server'
import { archiveFiles, exportCity, importCity } from '.'
import { FILE_CONTENT_TABLES } from './catalogue'
import { alterArchive } from './testing'

/**
 * `tenants:import` into Citus (issue 21): cities exported from single
 * PostgreSQL — a database without the Citus extension on the coordinator's
 * server, which is plain PostgreSQL 15 — are imported into a database
 * migrated and `db:distribute`d on the coordinator, the same SQL
 * (`json_populate_record` row by row into the distributed and reference
 * tables, one transaction). There:
 *
 * - the probe suite's two cities (rows in every tenant table) arrive row for
 *   row, and the isolation probes (the tables of isolation.citus.test.ts) find
 *   no leak;
 * - a product city (its tenant file, proposals submitted, screened and
 *   answered on the source) keeps its reference codes and history: the desk
 *   inbox, the staff page and the proposer's page read it on the coordinator,
 *   and the desk carries on with it;
 * - refused archives (wrong checksum, missing table, a reference-code prefix
 *   the target uses, a city already there) change nothing on the coordinator.
 */

const probeSlugs = ['probe-city-a', 'probe-city-b'] as const

let plainProbes: TestDatabase
let plainCities: TestDatabase
let target: TestDatabase
let work: string
let catalogue: Catalogue
let world: World
let komatsu: TestCity
let fixtures: Awaited<ReturnType<typeof createTestCitiesAndProposers>>
const archives: Record<string, string> = {}
const submitted: { id: string; referenceCode: string; version: number }[] = []

const onDisk = (dataDir: string) => () => archiveFiles(diskFileStore(dataDir))
const answers = (title: string) => ({ title, summary: `${title}の概要です。` })

async function storedNames(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    SELECT stored_name AS name FROM attachments UNION ALL SELECT stored_name FROM case_images ORDER BY 1`
  return rows.map((row) => row.name)
}

/** Everything an import could change on the target, counted. */
async function footprint(sql: postgres.Sql) {
  const [row] = await sql<Record<string, number>[]>`
    SELECT (SELECT count(*)::int FROM tenants) AS tenants, (SELECT count(*)::int FROM users) AS users,
           (SELECT count(*)::int FROM organisations) AS organisations,
           (SELECT count(*)::int FROM organisation_members) AS members,
           (SELECT count(*)::int FROM proposals) AS proposals, (SELECT count(*)::int FROM messages) AS messages,
           (SELECT count(*)::int FROM proposal_events) AS events, (SELECT count(*)::int FROM attachments) AS attachments,
           (SELECT count(*)::int FROM platform_audit_log) AS platform_audit`
  return row!
}

const altered = (archive: string, change: Parameters<typeof alterArchive>[2]) => alterArchive(work, archive, change)

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'desk-citus-archive-test-'))
  const cluster = JSON.parse(inject('citusCluster')) as CitusCluster
  const plainServer = nodeUrl(cluster.coordinatorPort, 'postgres')
  ;[plainProbes, plainCities, target] = await Promise.all([
    createTestDatabase({ serverUrl: plainServer }),
    createTestDatabase({ serverUrl: plainServer }),
    createTestDatabase(),
  ])
  const [extension] = await plainProbes.adminSql`SELECT 1 FROM pg_extension WHERE extname = 'citus'`
  expect(extension, 'the source is plain PostgreSQL').toBeUndefined()

  // The probe suite's two cities, with a file for every stored name, on disk.
  catalogue = await readCatalogue(plainProbes.adminSql)
  world = await seedProbeFixtures(plainProbes.ownerSql, catalogue)
  await plainProbes.ownerSql`UPDATE tenants SET reference_prefix = 'PRB' WHERE id = ${world.cities[0]}`
  await plainProbes.ownerSql`UPDATE tenants SET reference_prefix = 'PRC' WHERE id = ${world.cities[1]}`
  await plainProbes.ownerSql`UPDATE proposals SET reference_code = replace(reference_code, 'PRB-', 'PRC-') WHERE tenant_id = ${world.cities[1]}`
  const probeData = path.join(work, 'probe-data')
  await mkdir(path.join(probeData, 'uploads'), { recursive: true })
  for (const name of await storedNames(plainProbes.ownerSql))
    await writeFile(path.join(probeData, 'uploads', name), `the file ${name}\n`)
  for (const slug of probeSlugs) {
    archives[slug] = path.join(work, `${slug}.tar.gz`)
    await exportCity({ owner: plainProbes.ownerSql, slug, out: archives[slug], files: onDisk(probeData) })
  }

  // A product city: two proposals submitted, the first screened by the desk and answered in the thread.
  fixtures = await createTestCitiesAndProposers(plainCities.ownerSql)
  komatsu = fixtures.cities.komatsu!
  for (const [i, proposer] of [fixtures.business, fixtures.rival].entries()) {
    const proposal = await submitTestProposal(plainCities.runtimeDb, {
      city: komatsu,
      proposer,
      answers: answers(`移転前の提案 ${i + 1}`),
    })
    submitted.push({ id: proposal.id, referenceCode: proposal.referenceCode!, version: proposal.version })
  }
  const first = submitted[0]!
  await transitionProposal(plainCities.runtimeDb, {
    tenant: komatsu.tenant,
    actor: komatsu.desk,
    proposalId: first.id,
    transitionId: 'share_with_departments',
    input: { departments: ['economy'] },
    expectedVersion: first.version,
  })
  await postMessage(plainCities.runtimeDb, {
    tenant: komatsu.tenant,
    actor: komatsu.desk,
    proposalId: first.id,
    body: '移転前にデスクから送った質問です。',
  })
  await postMessage(plainCities.runtimeDb, {
    tenant: komatsu.tenant,
    actor: fixtures.business.actor,
    proposalId: first.id,
    body: '移転前に事業者が返した回答です。',
  })
  archives.komatsu = path.join(work, 'komatsu.tar.gz')
  await exportCity({ owner: plainCities.ownerSql, slug: 'komatsu', out: archives.komatsu, files: onDisk(path.join(work, 'cities-data')) })
}, 300_000)

afterAll(async () => {
  await Promise.all([plainProbes?.drop(), plainCities?.drop(), target?.drop()])
  if (work) await rm(work, { recursive: true, force: true })
})

describe('tenants:import from single PostgreSQL into the Citus coordinator', () => {
  it('refuses a damaged archive, a missing table and a clashing prefix, changing nothing on the coordinator', async () => {
    const before = await footprint(target.adminSql)
    const refused = async (archive: string, message: RegExp) => {
      await expect(
        importCity({ owner: target.ownerSql, archive, files: onDisk(path.join(work, 'refused-data')) }),
      ).rejects.toThrow(message)
      expect(await footprint(target.adminSql)).toEqual(before)
      expect(await readdir(path.join(work, 'refused-data', 'uploads')).catch(() => [])).toEqual([])
    }
    const tampered = await altered(archives['probe-city-a']!, async (directory) => {
      const file = path.join(directory, 'tables/proposals.jsonl')
      await writeFile(file, (await readFile(file, 'utf8')).replace('提案', '改竄'))
    })
    await refused(tampered, /checksum mismatch for tables\/proposals\.jsonl/)
    const themeless = await altered(archives['probe-city-a']!, async (_directory, manifest) => {
      const { ['tables/themes.jsonl']: _dropped, ...checksums } = manifest.checksums
      return { ...manifest, tables: manifest.tables.filter((table) => table.name !== 'themes'), checksums }
    })
    await refused(themeless, /the archive is missing table themes/)
    // A city of the target already uses the prefix (a reference table row written on the coordinator).
    const [clash] = await target.ownerSql<{ id: string }[]>`
      INSERT INTO tenants (slug, config_version, name_ja, name_en, reference_prefix)
      VALUES ('prefix-holder', '1', '先住市', 'Prefix Holder', 'PRB') RETURNING id`
    const withHolder = await footprint(target.adminSql)
    Object.assign(before, withHolder)
    await refused(archives['probe-city-a']!, /reference code prefix PRB is already used in the target by the city "prefix-holder"/)
    await target.ownerSql`DELETE FROM tenants WHERE id = ${clash!.id}`
  }, 120_000)

  it('imports the probe cities row for row into distributed tables; the isolation probes find no leak there', async () => {
    const targetData = path.join(work, 'target-data')
    for (const slug of probeSlugs)
      await importCity({ owner: target.ownerSql, archive: archives[slug]!, files: onDisk(targetData) })
    const layout = await target.adminSql<{ name: string }[]>`
      SELECT logicalrelid::regclass::text AS name FROM pg_dist_partition WHERE partmethod = 'h'`
    expect(layout.map((row) => row.name)).toContain('proposals')

    const before = await readSnapshot(plainProbes.adminSql, catalogue)
    const after = await readSnapshot(target.adminSql, catalogue)
    for (const table of tenantTables(catalogue).map((t) => t.name).filter((name) => !FILE_CONTENT_TABLES.includes(name)))
      expect([table, after.get(table)]).toEqual([table, before.get(table)])
    expect((await readdir(path.join(targetData, 'uploads'))).sort()).toEqual(await storedNames(target.adminSql))

    const unsetSql = postgres(target.runtimeUrl, { max: 1, onnotice: () => {} })
    try {
      const probes = buildProbes({
        catalogue: await readCatalogue(target.adminSql),
        world,
        snapshot: after,
        contexts: buildContexts(world),
        tables: CITUS_PROBE_TABLES,
      })
      const report = await runProbes(probes, { sql: target.runtimeSql, unsetSql })
      console.log(
        `isolation probes on the cities imported into Citus: ${report.run} run, ${report.leaks.length} leaks, ${report.mismatches.length} over-restrictions`,
      )
      expect(report.leaks).toEqual([])
      expect(report.mismatches).toEqual([])
      expect(report.run).toBeGreaterThanOrEqual(2000)
    } finally {
      await unsetSql.end()
    }
  }, 600_000)

  it('a product city keeps its reference codes and history on the coordinator, and its desk carries on', async () => {
    const result = await importCity({ owner: target.ownerSql, archive: archives.komatsu!, files: onDisk(path.join(work, 'komatsu-data')) })
    expect(result.slug).toBe('komatsu')
    // The tenant file came with the city; the users keep their ids, so the source's actors act here.
    const inbox = await listDeskInbox(target.runtimeDb, { tenant: komatsu.tenant, actor: komatsu.desk, filters: {}, locale: 'ja' })
    expect(inbox.rows.map((row) => row.referenceCode).sort()).toEqual(submitted.map((p) => p.referenceCode).sort())

    const first = submitted[0]!
    const { view } = await readStaffProposalPage(target.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: first.id,
      locale: 'ja',
    })
    expect(view.proposal.referenceCode).toBe(first.referenceCode)
    expect(view.history.map((entry) => entry.transition)).toEqual(['submit', 'share_with_departments'])
    const mine = await readProposerProposalPage(target.runtimeDb, {
      tenant: komatsu.tenant,
      actor: fixtures.business.actor,
      proposalId: first.id,
      locale: 'ja',
    })
    expect(mine.status.proposal.referenceCode).toBe(first.referenceCode)
    expect(mine.thread.map((entry) => entry.body)).toEqual([
      '移転前にデスクから送った質問です。',
      '移転前に事業者が返した回答です。',
    ])
    const [audit] = await target.adminSql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = ${komatsu.tenant.id}`
    const [sourceAudit] = await plainCities.adminSql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = ${komatsu.tenant.id}`
    // The staff page's read above is audited too: one entry more than the source had.
    expect(audit!.n).toBe(sourceAudit!.n + 1)

    // A new proposal there takes the number after the city's last (its counter moved with it).
    const next = await submitTestProposal(target.runtimeDb, {
      city: komatsu,
      proposer: fixtures.rival,
      answers: answers('移転後の提案'),
    })
    const numberOf = (code: string) => Number(code.split('-').pop())
    expect(numberOf(next.referenceCode!)).toBe(Math.max(...submitted.map((p) => numberOf(p.referenceCode))) + 1)
    expect(next.referenceCode!.replace(/\d+$/, '')).toBe(submitted[0]!.referenceCode.replace(/\d+$/, ''))

    // The desk carries on there: a note on the moved proposal, read back in the desk's thread.
    await addInternalNote(target.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: first.id,
      body: '移転後にデスクが書いたメモです。',
    })
    const { thread: deskThread } = await readStaffProposalPage(target.runtimeDb, {
      tenant: komatsu.tenant,
      actor: komatsu.desk,
      proposalId: first.id,
      locale: 'ja',
    })
    expect(deskThread.map((entry) => [entry.kind, entry.body])).toEqual([
      ['message', '移転前にデスクから送った質問です。'],
      ['message', '移転前に事業者が返した回答です。'],
      ['note', '移転後にデスクが書いたメモです。'],
    ])
  }, 300_000)
})
