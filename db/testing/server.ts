import postgres from 'postgres'

/** The runtime role's password in test clusters (roles are cluster-wide, so one value for every file). */
export const TEST_RUNTIME_PASSWORD = 'desk-app-test-password'

/** Cluster-wide: role DDL (CREATE/ALTER ROLE, GRANT … TO) must not run concurrently. */
const SERVER_LOCK_KEY = 7_311_843

/**
 * Runs `task` while holding an advisory lock in the server URL's database, so
 * test files (and the global setup) prepare databases one at a time.
 */
export async function withServerLock<T>(serverUrl: string, task: () => Promise<T>): Promise<T> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} })
  try {
    await sql`SELECT pg_advisory_lock(${SERVER_LOCK_KEY})`
    try {
      return await task()
    } finally {
      await sql`SELECT pg_advisory_unlock(${SERVER_LOCK_KEY})`
    }
  } finally {
    await sql.end()
  }
}
