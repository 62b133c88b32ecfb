import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import type postgres from 'postgres'
import { quoteIdentifier } from '../embedded'
import type { FileWriter } from './files'
import type { StoredFileRef } from '../file-storage/store'
import { readArchiveCatalogue, readMigrationVersion, type RunSql } from './catalogue'
import { ArchiveError, fileEntry, platformEntry, tableEntry, type Manifest } from './format'


export type ImportResult = {
  tenantId: string
  slug: string
  rows: number
  files: number
  /** Accounts that already existed in the target (matched by e-mail) and were linked, not created. */
  matchedUsers: number
  createdUsers: number
}

type Row = Record<string, unknown>
const BATCH = 500
const dialect = new PgDialect()

/** Runs a drizzle `sql` fragment on postgres.js (the catalogue reader is shared with the export). */
export function runOn(sql: postgres.Sql | postgres.TransactionSql): RunSql {
  return async (query: SQL) => {
    const { sql: text, params } = dialect.sqlToQuery(query)
    return [...(await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]))] as Record<string, unknown>[]
  }
}

async function readLines(directory: string, entry: string): Promise<Row[]> {
  const text = await readFile(path.join(directory, entry), 'utf8')
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Row)
}

/** Reference codes' prefix: `PREFIX-YEAR-NNNN` → `PREFIX`. */
function prefixOf(code: string): string {
  return code.replace(/-\d{4}-[^-]+$/, '')
}

/**
 * Loads an unpacked, checksum-verified archive into the target database in one
 * transaction on the owner connection. Everything that could refuse it is
 * checked first (the archive's purpose, the migration, the set of tables, the
 * city and its reference codes, the accounts), so a refusal changes nothing;
 * a failure during the load rolls the transaction back and removes the files
 * already written.
 *
 * Accounts are matched by e-mail: an account the target already has is
 * linked (the city's rows are rewritten to its id) and left as it is; only the
 * others are created, with their own id. Organisations are matched by id and
 * never changed when present; memberships are added when missing.
 */
export async function loadCityArchive(options: {
  owner: postgres.Sql
  directory: string
  manifest: Manifest
  /** The target's file store, writing in the import's transaction (see ./files.ts). */
  files: (tx: postgres.TransactionSql) => FileWriter
}): Promise<ImportResult> {
  const { owner, directory, manifest } = options
  if (manifest.purpose !== 'move')
    throw new ArchiveError(
      'this archive is a city’s own copy of its data (no credentials, only what its desk may read); make the archive to move a city with pnpm tenants:export',
    )
  const run = runOn(owner)
  const version = await readMigrationVersion(run)
  if (version.count !== manifest.migrations.count || version.last !== manifest.migrations.last)
    throw new ArchiveError(
      `migration version mismatch: the archive was made at migration ${manifest.migrations.count} (${manifest.migrations.last.slice(0, 12)}), the target is at ${version.count} (${version.last.slice(0, 12)}); migrate both to the same release first`,
    )
  const catalogue = await readArchiveCatalogue(run)
  const archived = new Set(manifest.tables.map((table) => table.name))
  const missing = catalogue.tenantTables.filter((table) => !archived.has(table))
  if (missing.length > 0) throw new ArchiveError(`the archive is missing table${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`)
  const unknown = [...archived].filter((table) => !catalogue.tenantTables.includes(table))
  if (unknown.length > 0) throw new ArchiveError(`the target has no table ${unknown.join(', ')}`)

  const [tenant] = await readLines(directory, platformEntry('tenants'))
  if (!tenant || tenant.id !== manifest.tenant.id || tenant.slug !== manifest.tenant.slug)
    throw new ArchiveError('platform/tenants.jsonl does not hold the city the manifest names')
  const [taken] = await owner<{ slug: string }[]>`
    SELECT slug FROM tenants WHERE id = ${manifest.tenant.id} OR slug = ${manifest.tenant.slug} LIMIT 1`
  if (taken) throw new ArchiveError(`the target already has a city ${taken.slug === manifest.tenant.slug ? `"${taken.slug}"` : `with id ${manifest.tenant.id}`}`)

  const rowsByTable = new Map<string, Row[]>()
  for (const table of catalogue.tenantTables) {
    const rows = await readLines(directory, tableEntry(table))
    if (rows.some((row) => row.tenant_id !== manifest.tenant.id))
      throw new ArchiveError(`${tableEntry(table)} holds rows of another city`)
    rowsByTable.set(table, rows)
  }
  const codes = (rowsByTable.get('proposals') ?? [])
    .map((row) => row.reference_code)
    .filter((code): code is string => typeof code === 'string')
  const prefixes = [...new Set([...(manifest.tenant.referencePrefix ? [manifest.tenant.referencePrefix] : []), ...codes.map(prefixOf)])]
  if (prefixes.length > 0) {
    // A city of the target with the prefix, or with proposals whose codes start with it. Two plain
    // queries: Citus refuses the correlated subquery over `unnest` this was once written as.
    const [byCity] = await owner<{ prefix: string; slug: string }[]>`
      SELECT reference_prefix AS prefix, slug FROM tenants
       WHERE reference_prefix = ANY(${prefixes}::text[]) ORDER BY 1, 2 LIMIT 1`
    const [byCode] = byCity
      ? []
      : await owner<{ code: string; slug: string }[]>`
          SELECT x.reference_code AS code, t.slug FROM proposals x JOIN tenants t ON t.id = x.tenant_id
           WHERE x.reference_code LIKE ANY(${prefixes.map((prefix) => `${prefix}-%`)}::text[])
           ORDER BY 1, 2 LIMIT 1`
    const clash = byCity ?? (byCode && { prefix: prefixes.find((prefix) => byCode.code.startsWith(`${prefix}-`))!, slug: byCode.slug })
    if (clash)
      throw new ArchiveError(
        `the reference code prefix ${clash.prefix} is already used in the target by the city "${clash.slug}"; a city's reference codes must stay unique`,
      )
  }

  const users = await readLines(directory, platformEntry('users'))
  if (users.some((user) => typeof user.password_hash !== 'string'))
    throw new ArchiveError('platform/users.jsonl carries no credentials; make the archive with pnpm tenants:export')
  const existing = await owner<{ id: string; email: string }[]>`
    SELECT id, lower(email) AS email FROM users WHERE lower(email) = ANY(${users.map((user) => String(user.email).toLowerCase())}::text[])`
  const byEmail = new Map(existing.map((row) => [row.email, row.id]))
  const userIds = new Map<string, string>()
  const newUsers: Row[] = []
  for (const user of users) {
    const match = byEmail.get(String(user.email).toLowerCase())
    userIds.set(String(user.id), match ?? String(user.id))
    if (!match) newUsers.push({ ...user, platform_role: null })
  }
  if (newUsers.length > 0) {
    const [clash] = await owner<{ id: string }[]>`
      SELECT id FROM users WHERE id = ANY(${newUsers.map((user) => String(user.id))}::uuid[]) LIMIT 1`
    if (clash) throw new ArchiveError(`the target has an account with id ${clash.id} under another e-mail address`)
  }
  const mapUser = (value: unknown) => (typeof value === 'string' ? (userIds.get(value) ?? value) : value)
  const organisations = await readLines(directory, platformEntry('organisations'))
  const members = (await readLines(directory, platformEntry('organisation_members'))).map((row) => ({
    ...row,
    user_id: mapUser(row.user_id),
  }))

  const written: StoredFileRef[] = []
  let files: FileWriter | undefined
  try {
    let rows = 0
    await owner.begin(async (tx) => {
      files = options.files(tx)
      // INSERT … VALUES, a row per parameter: on Citus an INSERT … SELECT from a function is run as a
      // COPY into the shards, which PostgreSQL refuses under forced row-level security ("COPY FROM not
      // supported with row-level security"), while VALUES rows are routed to their shards as INSERTs.
      const insert = async (table: string, batch: Row[], onConflict = '') => {
        const name = quoteIdentifier(table)
        for (let start = 0; start < batch.length; start += BATCH) {
          const rows = batch.slice(start, start + BATCH)
          const values = rows.map((_row, i) => `((json_populate_record(NULL::${name}, $${i + 1}::text::json)).*)`)
          await tx.unsafe(
            `INSERT INTO ${name} VALUES ${values.join(', ')} ${onConflict}`,
            rows.map((row) => JSON.stringify(row)),
          )
        }
      }
      await insert('tenants', [tenant])
      await insert('users', newUsers)
      await insert('organisations', organisations, 'ON CONFLICT (id) DO NOTHING')
      await insert('organisation_members', members, 'ON CONFLICT DO NOTHING')
      for (const table of catalogue.tenantTables) {
        const userColumns = catalogue.userColumns.get(table)!
        const tableRows = rowsByTable.get(table)!.map((row) => {
          if (userColumns.length === 0) return row
          const mapped = { ...row }
          for (const column of userColumns) mapped[column] = mapUser(row[column])
          return mapped
        })
        await insert(table, tableRows)
        rows += tableRows.length
      }
      await tx`
        INSERT INTO platform_audit_log (actor_kind, action, subject_tenant_id, target_type, target_id, payload)
        VALUES ('system', 'tenant.imported', ${manifest.tenant.id}, 'tenant', ${manifest.tenant.slug},
                ${tx.json({ archiveCreatedAt: manifest.createdAt, rows, files: manifest.files.length, matchedUsers: users.length - newUsers.length })})`
      // The files last, inside the transaction: a file that cannot be stored rolls every row back.
      for (const file of manifest.files) {
        const stored = { tenantId: manifest.tenant.id, storedName: file.storedName }
        await files.write(stored, createReadStream(path.join(directory, fileEntry(file.storedName))))
        written.push(stored)
      }
    })
    return {
      tenantId: manifest.tenant.id,
      slug: manifest.tenant.slug,
      rows,
      files: written.length,
      matchedUsers: users.length - newUsers.length,
      createdUsers: newUsers.length,
    }
  } catch (error) {
    // Files outside the transaction (on disk) are removed; chunks in it have rolled back with the rows.
    await Promise.all(written.map((file) => files?.remove(file).catch(() => {})))
    throw error
  }
}
