import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadTenantDirectory } from '@desk/tenant-config'
import { parseEnv } from '../app/utils/env.server'
import { fileStoreFor } from '../db/file-storage/index.server'
import { bootstrapDatabase } from '../db/bootstrap'
import { createOwnerSql } from '../db/owner'
import { archiveFiles, chunkSessionsIn, exportCity } from '../db/tenant-archive'
import { runCli } from './run-cli'

const USAGE = 'usage: pnpm tenants:export <city-slug> [--out <file.tar.gz>]'

const HELP = `${USAGE}

Writes every row of one city (all tenant tables), the accounts, organisations and memberships its rows
refer to, and its stored files to one archive: JSON lines per table plus the files, with a manifest
(format, migration version, tables and row counts, files) and a SHA-256 checksum of every entry. Read in
one repeatable-read transaction on the owner connection, so the archive is one consistent moment. The
archive carries the accounts' password hashes (the city's users sign in on the target as before): keep it
as secret as the database. Load it elsewhere with pnpm tenants:import. Audited in the platform log.

  --out <file>   where to write it (default <slug>-<date>.tar.gz in the current directory)

Same variables as the server: DATABASE_URL (or the embedded PostgreSQL's DATA_DIR), DATA_DIR for the
files, TENANTS_DIR for the city's tenant file (stored in the archive when the database has none).`

await runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, help: { type: 'boolean', default: false } },
  })
  if (values.help) {
    console.log(HELP)
    return
  }
  const [slug] = positionals
  if (!slug || positionals.length > 1) throw new Error(USAGE)
  const env = parseEnv()
  const out = path.resolve(values.out ?? `${slug}-${new Date().toISOString().slice(0, 10)}.tar.gz`)
  const { tenants } = await loadTenantDirectory(env.TENANTS_DIR)
  const file = tenants.find((tenant) => tenant.config.slug === slug)?.file
  const database = await bootstrapDatabase(env)
  const owner = createOwnerSql(database.adminUrl)
  try {
    const manifest = await exportCity({
      owner,
      slug,
      out,
      files: (tx) => archiveFiles(fileStoreFor(env, chunkSessionsIn(tx))),
      tenantFile: file ? { file: path.relative(process.cwd(), file), source: await readFile(file, 'utf8') } : undefined,
    })
    const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0)
    console.log(`exported ${slug}: ${rows} rows in ${manifest.tables.length} tables, ${manifest.platform.find((p) => p.name === 'users')?.rows ?? 0} accounts, ${manifest.files.length} files (migration ${manifest.migrations.count})`)
    console.log(out)
  } finally {
    await owner.end()
    await database.stop()
  }
})
