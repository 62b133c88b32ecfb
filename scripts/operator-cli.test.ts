import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../db/testing'
import { TEST_RUNTIME_PASSWORD } from '../db/testing/server'

/** `pnpm tenants:apply` and `pnpm operator:grant` as commands, against a test database. */

const FIXTURE = 'e2e/fixtures/tenants/sample-town.yaml'
let db: TestDatabase

beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db?.drop()
})

async function run(script: string, args: string[]) {
  const env = {
    ...process.env,
    DATABASE_URL: db.adminUrl,
    DATABASE_RUNTIME_PASSWORD: process.env.DATABASE_RUNTIME_PASSWORD ?? TEST_RUNTIME_PASSWORD,
    NODE_ENV: 'test' as const,
    APP_ORIGIN: 'https://desk.example.jp',
  }
  return promisify(execFile)('node_modules/.bin/tsx', [script, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  )
}

describe('tenants:apply', () => {
  it('prints the plan on a dry run and changes nothing', async () => {
    const result = await run('scripts/tenants-apply.ts', [FIXTURE, '--dry-run'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('new city: sample-town')
    expect(result.stdout).toContain('steps added: draft, intake, manager_approval')
    expect(await db.adminSql`SELECT slug FROM tenants`).toEqual([])
  })

  it('reports an invalid file with file, line and path, and exits 1', async () => {
    const broken = path.join(os.tmpdir(), `broken-${randomUUID()}.yaml`)
    await writeFile(
      broken,
      (await readFile(FIXTURE, 'utf8')).replace('accentColor: "#7A3E9D"', 'accentColor: purple'),
    )
    const result = await run('scripts/tenants-apply.ts', [broken])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/:17 identity\.accentColor: "purple" is not valid/)
  })

  it('refuses a slug that is a platform page (tenants:check says the same), with file and line', async () => {
    const reserved = path.join(os.tmpdir(), `reserved-${randomUUID()}.yaml`)
    await writeFile(reserved, (await readFile(FIXTURE, 'utf8')).replace('slug: sample-town', 'slug: themes'))
    const expected = /:11 slug: "themes" is a page of the platform \(\/themes\); expected a slug that is not one of: /
    const applied = await run('scripts/tenants-apply.ts', [reserved])
    expect(applied.code).toBe(1)
    expect(applied.stderr).toMatch(expected)
    const checked = await run('packages/tenant-config/src/cli.ts', [reserved])
    expect(checked.code).toBe(1)
    expect(checked.stderr).toMatch(expected)
    expect(await db.adminSql`SELECT slug FROM tenants WHERE slug = 'themes'`).toEqual([])
  })

  it('applies the city as a draft and prints the first admin’s invitation link', async () => {
    const result = await run('scripts/tenants-apply.ts', [
      FIXTURE,
      '--admin-email',
      'first-admin@town.example.jp',
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('applied: sample-town (draft)')
    expect(result.stdout).toMatch(
      /invitation for first-admin@town\.example\.jp: https:\/\/desk\.example\.jp\/sample-town\/invitation\/\S+/,
    )
    const [mail] =
      await db.adminSql`SELECT subject FROM mail_outbox WHERE to_address = 'first-admin@town.example.jp'`
    expect(mail).toBeTruthy()
    expect((await run('scripts/tenants-apply.ts', [FIXTURE, '--dry-run'])).stdout).toContain(
      'no change: sample-town',
    )
  })

  it('refuses a malformed --map', async () => {
    const result = await run('scripts/tenants-apply.ts', [FIXTURE, '--map', 'nonsense'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('expected track.old_state=new_state')
  })
})

describe('operator:grant', () => {
  it('makes an existing account an operator, audited, and refuses an unknown address', async () => {
    const id = randomUUID()
    await db.ownerSql`INSERT INTO users (id, email, display_name, password_hash) VALUES (${id}, 'Ops@Example.test', 'Ops', 'x')`
    const granted = await run('scripts/operator-grant.ts', ['ops@example.test'])
    expect(granted.code).toBe(0)
    expect((await db.adminSql`SELECT platform_role FROM users WHERE id = ${id}`)[0]!.platform_role).toBe(
      'operator',
    )
    expect(
      await db.adminSql`SELECT action, target_id FROM platform_audit_log WHERE action = 'operator.granted'`,
    ).toEqual([{ action: 'operator.granted', target_id: id }])
    const unknown = await run('scripts/operator-grant.ts', ['nobody@example.test'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no account with the e-mail address nobody@example.test')
  })
})
