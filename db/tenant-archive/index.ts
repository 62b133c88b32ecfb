import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Readable } from 'node:stream'
import type postgres from 'postgres'
import { writeCityArchive } from './export'
import type { FileReader, FileWriter } from './files'
import { packArchive, unpackArchive, ArchiveError, type Manifest } from './format'
import { loadCityArchive, runOn, type ImportResult } from './import'

export { ArchiveError, type Manifest, type ImportResult }
export { writeCityArchive } from './export'
export { packArchive } from './format'
export { runOn } from './import'
export { archiveFiles, chunkSessionsIn } from './files'

async function inTemporaryDirectory<T>(task: (directory: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'desk-city-archive-'))
  try {
    return await task(directory)
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}

/**
 * `pnpm tenants:export`: every row of one city, the platform rows they refer
 * to and its files, read in one repeatable-read transaction on the owner
 * connection, packed into `out` (.tar.gz). Audited in the platform log.
 */
export async function exportCity(options: {
  owner: postgres.Sql
  slug: string
  out: string | NodeJS.WritableStream
  /** The source's file store, reading in the export's transaction (see ./files.ts). */
  files: (tx: postgres.TransactionSql) => { read: FileReader }
  tenantFile?: { file: string; source: string }
}): Promise<Manifest> {
  const [tenant] = await options.owner<{ id: string }[]>`SELECT id FROM tenants WHERE slug = ${options.slug}`
  if (!tenant) throw new ArchiveError(`there is no city "${options.slug}" in this database`)
  return inTemporaryDirectory(async (directory) => {
    const manifest = await options.owner.begin('isolation level repeatable read read only', (tx) =>
      writeCityArchive({
        run: runOn(tx),
        tenantId: tenant.id,
        purpose: 'move',
        directory,
        readFile: options.files(tx).read,
        tenantFile: options.tenantFile,
      }),
    )
    await packArchive(directory, manifest, options.out)
    await options.owner`
      INSERT INTO platform_audit_log (actor_kind, action, subject_tenant_id, target_type, target_id, payload)
      VALUES ('system', 'tenant.exported', ${tenant.id}, 'tenant', ${options.slug},
              ${options.owner.json({ rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0), files: manifest.files.length })})`
    return manifest
  })
}

/** `pnpm tenants:import`: checks the archive whole, then loads it in one transaction (./import.ts). */
export async function importCity(options: {
  owner: postgres.Sql
  archive: string | Readable
  files: (tx: postgres.TransactionSql) => FileWriter
}): Promise<ImportResult> {
  return inTemporaryDirectory(async (directory) => {
    const source = typeof options.archive === 'string' ? createReadStream(options.archive) : options.archive
    const manifest = await unpackArchive(source, directory)
    return loadCityArchive({ owner: options.owner, directory, manifest, files: options.files })
  })
}
