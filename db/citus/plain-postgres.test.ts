import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../testing'
import { classifyTables, PRODUCT_LAYOUT, readTables } from './distribute'

/** The Citus support of migration 0020 on plain PostgreSQL (the suite's server: embedded or DATABASE_URL). */
let db: TestDatabase

beforeAll(async () => {
  db = await createTestDatabase()
})

afterAll(async () => {
  await db?.drop()
})

describe('Citus support on plain PostgreSQL', () => {
  it('desk_distribute_tenant_table does nothing and says so', async () => {
    const [row] = await db.ownerSql`SELECT desk_distribute_tenant_table('departments') AS distributed`
    expect(row!.distributed).toBe(false)
  })

  it('app_set_context takes ids only as uuids, and its settings end with the transaction', async () => {
    await expect(
      db.runtimeSql.begin((tx) => tx`SELECT app_set_context(${"x' ; RESET ALL; --"}::uuid, NULL, 'staff')`),
    ).rejects.toMatchObject({ code: '22P02' })
    const tenant = '00000000-0000-4000-8000-000000000001'
    const inside = await db.runtimeSql.begin(async (tx) => {
      await tx`SELECT app_set_context(${tenant}::uuid, NULL, ${"it's"})`
      return tx`SELECT current_setting('app.tenant_id') AS tenant, current_setting('app.user_id') AS "user",
                       current_setting('app.actor') AS actor, app_actor() AS known`
    })
    expect(inside[0]).toEqual({ tenant, user: '', actor: "it's", known: null })
    const [after] = await db.runtimeSql`SELECT current_setting('app.tenant_id', true) AS tenant`
    expect(after!.tenant ?? '').toBe('')
  })

  it('db:distribute has a place for every table of the migrated schema', async () => {
    // A new platform table (no tenant_id) must be named in PRODUCT_LAYOUT (db/citus/distribute.ts) as
    // 'reference' or 'local': this fails in every test run, with or without a Citus cluster.
    const kinds = classifyTables(await readTables(db.adminSql), PRODUCT_LAYOUT)
    expect(kinds.get('proposals')).toBe('distributed')
    expect(kinds.get('users')).toBe('reference')
    expect(kinds.get('mail_outbox')).toBe('local')
  })

  it('db:distribute refuses a table it does not know, naming it, rather than leaving it local', async () => {
    await db.adminSql`CREATE TABLE saved_things_probe (id uuid PRIMARY KEY, user_id uuid)`
    try {
      await expect(readTables(db.adminSql).then((tables) => classifyTables(tables, PRODUCT_LAYOUT))).rejects.toThrow(
        /without a place in the Citus layout \(db\/citus\/distribute\.ts\): saved_things_probe —/,
      )
    } finally {
      await db.adminSql`DROP TABLE saved_things_probe`
    }
  })
})
