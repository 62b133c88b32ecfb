import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import { sql } from 'drizzle-orm'
import type { FileReader } from './files'
import { readArchiveCatalogue, readMigrationVersion, type RunSql } from './catalogue'
import {
  ARCHIVE_FORMAT,
  ArchiveError,
  fileEntry,
  hashing,
  platformEntry,
  tableEntry,
  type Manifest,
} from './format'


/** Columns of `users` that never leave the platform, and those that leave only to move the city. */
const NEVER_EXPORTED_USER_COLUMNS = ['platform_role']
const CREDENTIAL_COLUMNS = ['password_hash', 'totp_secret', 'totp_last_step']

const jsonIds = (ids: Iterable<string>) => JSON.stringify([...ids])

/**
 * Writes every row of one city, the platform rows they refer to, and its
 * files under `directory` (entries as the archive names them) and returns the
 * manifest. `run` executes inside the caller's transaction: the owner's, read
 * only and repeatable read, for a move (every row), or the desk admin's under
 * row-level security for the city's own copy (what its desk may read).
 */
export async function writeCityArchive(options: {
  run: RunSql
  tenantId: string
  purpose: Manifest['purpose']
  directory: string
  readFile: FileReader
  /** The city's tenant file, stored with its row when the database has none (a city seeded from the folder). */
  tenantFile?: { file: string; source: string }
}): Promise<Manifest> {
  const { run, tenantId, directory } = options
  const catalogue = await readArchiveCatalogue(run)
  const checksums: Record<string, string> = {}
  const writeLines = async (name: string, lines: string[]) => {
    const bytes = Buffer.from(lines.map((line) => line + '\n').join(''))
    const target = path.join(directory, name)
    await mkdir(path.dirname(target), { recursive: true })
    await writeFile(target, bytes)
    checksums[name] = createHash('sha256').update(bytes).digest('hex')
    return lines.length
  }
  const lines = async (query: ReturnType<typeof sql>) => ((await run(query)) as { line: string }[]).map((row) => row.line)
  // The columns the reading role may select (the runtime role is refused some, e.g. password hashes).
  const columnsOf = async (table: string, withheld: string[] = []) => {
    const rows = (await run(sql`
      SELECT attname::text AS name FROM pg_attribute
       WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped
         AND has_column_privilege(attrelid, attnum, 'SELECT') ORDER BY attnum`)) as { name: string }[]
    return sql.join(
      rows.filter((row) => !withheld.includes(row.name)).map((row) => sql.identifier(row.name)),
      sql`, `,
    )
  }

  const [tenantRow] = (await run(
    sql`SELECT to_jsonb(t) AS row FROM (SELECT ${await columnsOf('tenants')} FROM tenants WHERE id = ${tenantId}) t`,
  )) as {
    row: Record<string, unknown>
  }[]
  if (!tenantRow) throw new ArchiveError(`no city with id ${tenantId}`)
  const tenant = tenantRow.row
  if (!tenant.config_source && options.tenantFile) {
    tenant.config_source = options.tenantFile.source
    tenant.config_file = options.tenantFile.file
  }

  const tables: Manifest['tables'] = []
  const userIds = new Set<string>()
  const organisationIds = new Set<string>()
  for (const table of catalogue.tenantTables) {
    const order = (catalogue.primaryKeys.get(table) ?? ['tenant_id']).map((column) => sql.identifier(column))
    const rows = await lines(sql`
      SELECT row_to_json(t)::text AS line FROM (
        SELECT ${await columnsOf(table)} FROM ${sql.identifier(table)}
         WHERE tenant_id = ${tenantId} ORDER BY ${sql.join(order, sql`, `)}) t`)
    tables.push({ name: table, rows: await writeLines(tableEntry(table), rows) })
    for (const line of rows) {
      const row = JSON.parse(line) as Record<string, unknown>
      for (const column of catalogue.userColumns.get(table)!) if (typeof row[column] === 'string') userIds.add(row[column])
      for (const column of catalogue.organisationColumns.get(table)!)
        if (typeof row[column] === 'string') organisationIds.add(row[column])
    }
  }

  // Organisations the city's rows name, with their members: the people who act for them.
  const members = await lines(sql`
    SELECT row_to_json(m)::text AS line FROM (
      SELECT ${await columnsOf('organisation_members')} FROM organisation_members
       WHERE organisation_id IN (SELECT jsonb_array_elements_text(${jsonIds(organisationIds)}::text::jsonb)::uuid)
       ORDER BY organisation_id, user_id) m`)
  for (const line of members) userIds.add((JSON.parse(line) as { user_id: string }).user_id)
  const organisations = await lines(sql`
    SELECT row_to_json(o)::text AS line FROM (
      SELECT ${await columnsOf('organisations')} FROM organisations
       WHERE id IN (SELECT jsonb_array_elements_text(${jsonIds(organisationIds)}::text::jsonb)::uuid) ORDER BY id) o`)
  const withheld = [...NEVER_EXPORTED_USER_COLUMNS, ...(options.purpose === 'move' ? [] : CREDENTIAL_COLUMNS)]
  const users = await lines(sql`
    SELECT row_to_json(u)::text AS line FROM (
      SELECT ${await columnsOf('users', withheld)} FROM users
       WHERE id IN (SELECT jsonb_array_elements_text(${jsonIds(userIds)}::text::jsonb)::uuid) ORDER BY id) u`)
  const platform: Manifest['platform'] = [
    { name: 'tenants', rows: await writeLines(platformEntry('tenants'), [JSON.stringify(tenant)]) },
    { name: 'users', rows: await writeLines(platformEntry('users'), users) },
    { name: 'organisations', rows: await writeLines(platformEntry('organisations'), organisations) },
    { name: 'organisation_members', rows: await writeLines(platformEntry('organisation_members'), members) },
  ]

  const files: Manifest['files'] = []
  for (const table of catalogue.fileTables) {
    const names = (await run(sql`
      SELECT stored_name AS name FROM ${sql.identifier(table)} WHERE tenant_id = ${tenantId} ORDER BY stored_name`)) as {
      name: string
    }[]
    for (const { name } of names) {
      const entry = fileEntry(name)
      const target = path.join(directory, entry)
      await mkdir(path.dirname(target), { recursive: true })
      const hash = hashing()
      let source: Readable
      try {
        source = await options.readFile({ tenantId, storedName: name })
        await pipeline(source, hash, createWriteStream(target))
      } catch (error) {
        throw new ArchiveError(
          `the file ${name} of ${table} cannot be read from storage (${error instanceof Error ? error.message : String(error)})`,
        )
      }
      const { sha256, bytes } = hash.digest()
      checksums[entry] = sha256
      files.push({ storedName: name, table, bytes })
    }
  }

  return {
    format: ARCHIVE_FORMAT,
    createdAt: new Date().toISOString(),
    purpose: options.purpose,
    tenant: {
      id: tenantId,
      slug: String(tenant.slug),
      referencePrefix: typeof tenant.reference_prefix === 'string' ? tenant.reference_prefix : null,
    },
    migrations: await readMigrationVersion(run),
    tables,
    platform,
    files,
    checksums,
  }
}
