import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from './testing'

/**
 * The readers the policies evaluate for each row must give the same answer for every setting a
 * transaction can hold. app_staff_role() reads fewer settings since migration 0043; its answer is
 * checked here against the definition it replaced (migration 0024), for every actor and role a
 * caller could set, known or not, and for none.
 */
let db: TestDatabase

beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db?.drop()
})

const ACTORS = [null, '', 'staff', 'proposer', 'public', 'operator', 'system', 'Staff', 'staff ', 'anything']
const ROLES = [null, '', 'desk_admin', 'desk_staff', 'department_staff', 'DESK_ADMIN', 'owner', 'anything']

describe("the staff role's reader", () => {
  it.each(ACTORS.flatMap((actor) => ROLES.map((role) => [actor, role] as const)))(
    'app.actor %j, app.staff_role %j: the same role as the reader it replaced',
    async (actor, role) => {
      const [row] = await db.adminSql.begin(async (tx) => {
        if (actor !== null) await tx`select set_config('app.actor', ${actor}, true)`
        if (role !== null) await tx`select set_config('app.staff_role', ${role}, true)`
        return tx<{ now: string | null; before: string | null }[]>`
          select app_staff_role() as now,
                 CASE WHEN app_actor() = 'staff'
                       AND current_setting('app.staff_role', true) IN ('desk_admin', 'desk_staff', 'department_staff')
                      THEN current_setting('app.staff_role', true) END as before`
      })
      expect(row!.now).toBe(row!.before)
    },
  )

  it('reads app.actor once, not through app_actor() (which reads it twice), and stays inlinable SQL', async () => {
    const [reader] = await db.adminSql<{ source: string; language: string }[]>`
      select p.prosrc as source, l.lanname as language
        from pg_proc p join pg_language l on l.oid = p.prolang where p.proname = 'app_staff_role'`
    expect(reader!.language).toBe('sql')
    expect(reader!.source).not.toContain('app_actor()')
    expect(reader!.source.match(/current_setting\('app\.actor'/g)).toHaveLength(1)
  })
})
