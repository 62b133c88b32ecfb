import { parseArgs } from 'node:util'
import { parseEnv } from '../app/utils/env.server'
import { fileStoreFor } from '../db/file-storage/index.server'
import { bootstrapDatabase } from '../db/bootstrap'
import { createOwnerSql } from '../db/owner'
import { archiveFiles, chunkSessionsIn, importCity } from '../db/tenant-archive'
import { runCli } from './run-cli'

const USAGE = 'usage: pnpm tenants:import <archive.tar.gz>'

const HELP = `${USAGE}

Loads a city's archive (pnpm tenants:export) into this database — single PostgreSQL or a Citus
coordinator — in one transaction on the owner connection, and its files into DATA_DIR. It first checks
the whole archive and refuses, changing nothing, when a checksum is wrong, an entry or a table is missing,
the archive was made at another migration than this database's, the city is already here, or its
reference-code prefix is used by a city here. Accounts this database already has (same e-mail) are
linked, never duplicated or changed; the others are created. Audited in the platform log. Running
servers pick the city up within their tenant poll; its reference codes, history and audit are the same.

Same variables as the server: DATABASE_URL (or the embedded PostgreSQL's DATA_DIR), DATA_DIR.`

await runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { help: { type: 'boolean', default: false } },
  })
  if (values.help) {
    console.log(HELP)
    return
  }
  const [archive] = positionals
  if (!archive || positionals.length > 1) throw new Error(USAGE)
  const env = parseEnv()
  const database = await bootstrapDatabase(env)
  const owner = createOwnerSql(database.adminUrl)
  try {
    const result = await importCity({ owner, archive, files: (tx) => archiveFiles(fileStoreFor(env, chunkSessionsIn(tx))) })
    console.log(
      `imported ${result.slug}: ${result.rows} rows, ${result.files} files; accounts: ${result.createdUsers} created, ${result.matchedUsers} already here (linked by e-mail)`,
    )
  } finally {
    await owner.end()
    await database.stop()
  }
})
