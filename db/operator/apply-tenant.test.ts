import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTenantFile } from '@desk/tenant-config'
import { seedTenantFromConfig, syncTenant } from '../seed/tenants'
import { createTestDatabase, type TestDatabase } from '../testing'
import { planTenantApply } from './apply-tenant'

let db: TestDatabase
let source: string
let renamedFolder: string

beforeAll(async () => {
  db = await createTestDatabase()
  source = await readFile('tenants/komatsu.yaml', 'utf8')
  const loaded = await loadTenantFile('tenants/komatsu.yaml')
  if (!loaded.ok) throw new Error('tenants/komatsu.yaml does not load')
  // Seeded from tenants/, as `pnpm db:seed` does: the row has no stored source.
  await syncTenant(db.ownerSql, seedTenantFromConfig(loaded.tenant))
  renamedFolder = await mkdtemp(join(tmpdir(), 'apply-tenant-'))
  await writeFile(join(renamedFolder, 'not-the-slug.yaml'), source)
})
afterAll(async () => {
  await rm(renamedFolder, { recursive: true, force: true })
  await db?.drop()
})

describe('planning a file for a city seeded from tenants/', () => {
  it('compares with the city’s file in the folder, found by its slug', async () => {
    const same = await planTenantApply(db.ownerSql, { source, file: 'komatsu.yaml', tenantsDir: 'tenants' })
    expect(same.ok && same.plan.kind).toBe('unchanged')
    const changed = await planTenantApply(db.ownerSql, {
      source: source.replace(/earlyAnswerTargetDays: \d+/, 'earlyAnswerTargetDays: 59'),
      file: 'komatsu.yaml',
      tenantsDir: 'tenants',
    })
    expect(changed.ok && changed.plan.kind).toBe('update')
    expect(changed.ok && changed.plan.changes.map((change) => change.path)).toEqual(['earlyAnswerTargetDays'])
  })

  it('finds the city’s file in the folder under another name', async () => {
    const same = await planTenantApply(db.ownerSql, { source, file: 'komatsu.yaml', tenantsDir: renamedFolder })
    expect(same.ok && same.plan.kind).toBe('unchanged')
  })
})
