import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import postgres from 'postgres'

/** The variables that lead a CLI to the e2e server's database (e2e/global-setup.ts). */
export function databaseEnv(): Record<string, string> {
  return JSON.parse(process.env.E2E_DATABASE_ENV ?? '{}') as Record<string, string>
}

/** The e2e server's DATA_DIR (its uploads live in `<DATA_DIR>/uploads`). */
export function serverDataDir(): string {
  return path.resolve(databaseEnv().DATA_DIR ?? '.data/e2e')
}

/** The owner's connection to the e2e database, for what an operator or the worker would do. */
export function ownerSql() {
  const env = databaseEnv()
  if (env.DATABASE_URL) return postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} })
  // The embedded cluster's superuser password (db/embedded.ts).
  const password = readFileSync(path.resolve(serverDataDir(), 'pg-superuser-password'), 'utf8').trim()
  return postgres(
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${env.EMBEDDED_PG_PORT ?? '54331'}/desk`,
    { max: 1, onnotice: () => {} },
  )
}

/** `pnpm tenants:apply …` as an operator would run it, against the e2e server's database; its exit code and output. */
export async function tenantsApply(args: string[], origin: string) {
  const env = {
    ...process.env,
    ...databaseEnv(),
    // The server's runtime password (global-setup.ts): the CLI must not set another one.
    DATABASE_RUNTIME_PASSWORD: 'e2e-runtime-password',
    APP_ORIGIN: origin,
    NODE_ENV: 'test' as const,
  }
  return promisify(execFile)('node_modules/.bin/tsx', ['scripts/tenants-apply.ts', ...args], { env }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  )
}
