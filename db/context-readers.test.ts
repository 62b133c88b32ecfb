import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from './testing'

/**
 * The readers the policies evaluate for each row must give the same answer for every setting a
 * transaction can hold. app_staff_role() reads fewer settings since migration 0043, and since 0044 no
 * reader calls another (each is inlined, so parsed, once per use); their answers are checked here against
 * the definitions they replaced, for every actor and role a caller could set, known or not, and for none.
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

/** Settings a transaction could hold, each known value and some that are not, and none (NULL). */
const GRID = {
  actor: ACTORS,
  role: ROLES,
  tenant: [null, '', '11111111-1111-4111-8111-111111111111'],
  department: [null, '', 'dddddddd-dddd-4ddd-8ddd-dddddddddddd'],
  organisations: [
    null,
    '',
    '{}',
    '{00000000-0000-4000-8000-0000000000a1}',
    '{00000000-0000-4000-8000-0000000000a1,00000000-0000-4000-8000-0000000000a2}',
  ],
  flags: [null, '', 'operator', 'tenant_live,operator', 'tenant_live'],
}

/**
 * The definitions before migration 0044, written out with the readers 0044 left as they were
 * (app_actor, app_tenant_id, app_staff_role), and the policies' former expressions.
 */
const FORMER = {
  departmentId: `CASE WHEN app_staff_role() = 'department_staff' THEN NULLIF(current_setting('app.department_id', true), '')::uuid END`,
  organisationIds: `CASE WHEN app_actor() = 'proposer' THEN COALESCE(NULLIF(current_setting('app.organisation_ids', true), ''), '{}')::uuid[] ELSE '{}'::uuid[] END`,
  ownedOrganisationIds: `CASE WHEN app_actor() = 'proposer' THEN COALESCE(NULLIF(current_setting('app.owned_organisation_ids', true), ''), '{}')::uuid[] ELSE '{}'::uuid[] END`,
  isOperator: `app_actor() = 'operator' AND ('operator' = ANY (string_to_array(COALESCE(current_setting('app.flags', true), ''), ',')))`,
}
const FORMER_DEPARTMENT = `(${FORMER.departmentId})`
const FORMER_SEES = `COALESCE(CASE app_actor()
  WHEN 'staff' THEN a.tenant = app_tenant_id() AND a.visible
    AND (app_staff_role() IN ('desk_admin', 'desk_staff') OR (app_staff_role() = 'department_staff' AND ${FORMER_DEPARTMENT} = ANY (a.departments)))
  WHEN 'proposer' THEN a.organisation = ANY (${FORMER.organisationIds}) AND (app_tenant_id() IS NULL OR a.tenant = app_tenant_id())
  END, false)`
const FORMER_STAFF_POLICY = `CASE WHEN a.tenant = app_tenant_id() THEN true ELSE false END AND a.visible
  AND (app_staff_role() IN ('desk_admin', 'desk_staff') OR (app_staff_role() = 'department_staff' AND ${FORMER_DEPARTMENT} = ANY (a.departments)))`
const FORMER_PROPOSER_POLICY = `app_actor() = 'proposer' AND a.organisation = ANY (${FORMER.organisationIds})
  AND (app_tenant_id() IS NULL OR a.tenant = app_tenant_id())`

/** A row's columns as the policies pass them: tenants, organisations, visibility and departments, known or not. */
const ROW_ARGUMENTS = `(SELECT t.tenant, o.organisation, v.visible, d.departments
   FROM (VALUES ('11111111-1111-4111-8111-111111111111'::uuid), ('22222222-2222-4222-8222-222222222222'::uuid), (NULL::uuid)) t(tenant)
  CROSS JOIN (VALUES ('00000000-0000-4000-8000-0000000000a1'::uuid), ('00000000-0000-4000-8000-0000000000a3'::uuid), (NULL::uuid)) o(organisation)
  CROSS JOIN (VALUES (true), (false), (NULL::boolean)) v(visible)
  CROSS JOIN (VALUES ('{dddddddd-dddd-4ddd-8ddd-dddddddddddd}'::uuid[]), ('{eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee}'::uuid[]),
                     ('{}'::uuid[]), ('{NULL}'::uuid[]), (NULL::uuid[])) d(departments)) a`

describe('the readers since migrations 0044, 0045 and 0048', () => {
  const combinations = Object.values(GRID).reduce((product, values) => product * values.length, 1)

  it(`give the same answers as the definitions they replaced, for ${combinations} combinations of settings and 135 rows each`, async () => {
    const differences = await db.adminSql.begin(async (tx) => {
      // One round trip: the settings are made in a loop on the server, each combination then read by one query.
      await tx.unsafe(`
        CREATE FUNCTION pg_temp.reader_differences(actors text[], roles text[], tenants text[], departments text[],
                                                   organisations text[], flags text[]) RETURNS SETOF text
          LANGUAGE plpgsql AS $$
          DECLARE a text; r text; t text; d text; o text; f text; difference text;
          BEGIN
            FOREACH a IN ARRAY actors LOOP FOREACH r IN ARRAY roles LOOP FOREACH t IN ARRAY tenants LOOP
            FOREACH d IN ARRAY departments LOOP FOREACH o IN ARRAY organisations LOOP FOREACH f IN ARRAY flags LOOP
              -- A setting never made reads as NULL, one made empty as ''; every reader reads both the same way.
              PERFORM set_config('app.actor', coalesce(a, ''), true), set_config('app.staff_role', coalesce(r, ''), true),
                      set_config('app.tenant_id', coalesce(t, ''), true), set_config('app.department_id', coalesce(d, ''), true),
                      set_config('app.organisation_ids', coalesce(o, ''), true),
                      set_config('app.owned_organisation_ids', coalesce(o, ''), true), set_config('app.flags', coalesce(f, ''), true);
              -- The setting app_set_context() derives from these (migration 0048), as it derives it.
              PERFORM app_set_staff_cities();
              FOR difference IN
                SELECT name FROM (VALUES
                  ('app_department_id', app_department_id() IS NOT DISTINCT FROM ${FORMER.departmentId}),
                  ('app_organisation_ids', app_organisation_ids() IS NOT DISTINCT FROM ${FORMER.organisationIds}),
                  ('app_owned_organisation_ids', app_owned_organisation_ids() IS NOT DISTINCT FROM ${FORMER.ownedOrganisationIds}),
                  ('app_is_operator', app_is_operator() IS NOT DISTINCT FROM (${FORMER.isOperator}))) c(name, same)
                 WHERE NOT same
                UNION ALL
                SELECT concat_ws(' ', a.tenant, a.organisation, a.visible, a.departments, ':', CASE
                         WHEN app_sees_proposal(a.tenant, a.organisation, a.visible, a.departments) IS DISTINCT FROM ${FORMER_SEES}
                           THEN 'app_sees_proposal'
                         WHEN app_sees_proposal(a.tenant, a.organisation, a.visible, a.departments)
                              AND app_actor() IS DISTINCT FROM 'staff' AND app_actor() IS DISTINCT FROM 'proposer'
                           THEN 'app_sees_proposal, for an actor other than staff and proposer (the test ten read policies dropped)'
                         WHEN app_staff_sees_proposal(a.tenant, a.visible, a.departments)
                              IS DISTINCT FROM COALESCE(${FORMER_STAFF_POLICY}, false)
                           THEN 'proposals_staff'
                         ELSE 'proposals_proposer' END)
                  FROM ${ROW_ARGUMENTS}
                 WHERE app_sees_proposal(a.tenant, a.organisation, a.visible, a.departments) IS DISTINCT FROM ${FORMER_SEES}
                    OR (app_sees_proposal(a.tenant, a.organisation, a.visible, a.departments)
                        AND app_actor() IS DISTINCT FROM 'staff' AND app_actor() IS DISTINCT FROM 'proposer')
                    OR app_staff_sees_proposal(a.tenant, a.visible, a.departments) IS DISTINCT FROM COALESCE(${FORMER_STAFF_POLICY}, false)
                    OR COALESCE(app_proposer_sees_proposal(a.tenant, a.organisation), false)
                       IS DISTINCT FROM COALESCE(${FORMER_PROPOSER_POLICY}, false)
              LOOP
                RETURN NEXT concat_ws(' ', 'actor', quote_nullable(a), 'role', quote_nullable(r), 'tenant', quote_nullable(t),
                                      'department', quote_nullable(d), 'organisations', quote_nullable(o),
                                      'flags', quote_nullable(f), '->', difference);
              END LOOP;
            END LOOP; END LOOP; END LOOP; END LOOP; END LOOP; END LOOP;
          END $$`)
      return tx<{ difference: string }[]>`
        SELECT difference FROM pg_temp.reader_differences(${GRID.actor}::text[], ${GRID.role}::text[],
          ${GRID.tenant}::text[], ${GRID.department}::text[], ${GRID.organisations}::text[], ${GRID.flags}::text[]) AS difference
         LIMIT 20`
    })
    expect(differences.map((row) => row.difference)).toEqual([])
  }, 120_000)

  it('no reader a policy calls calls another: each is inlinable SQL that reads the settings itself', async () => {
    const readers = await db.adminSql<{ name: string; source: string; language: string }[]>`
      SELECT DISTINCT p.proname AS name, p.prosrc AS source, l.lanname AS language
        FROM pg_policy pol
        JOIN pg_proc p ON pg_get_expr(pol.polqual, pol.polrelid) ~ ('\\m' || p.proname || '\\(')
                       OR pg_get_expr(pol.polwithcheck, pol.polrelid) ~ ('\\m' || p.proname || '\\(')
        JOIN pg_language l ON l.oid = p.prolang
       WHERE p.proname LIKE 'app\\_%' AND p.pronamespace = 'public'::regnamespace AND NOT p.prosecdef
       ORDER BY 1`
    expect(readers.map((reader) => reader.name)).toEqual(
      expect.arrayContaining([
        'app_actor',
        'app_sees_proposal',
        'app_staff_role',
        'app_staff_sees_proposal',
        'app_tenant_id',
      ]),
    )
    for (const reader of readers) {
      expect(reader.language, reader.name).toBe('sql')
      expect(reader.source, reader.name).not.toMatch(/\bapp_[a-z_]+\s*\(/)
    }
  })

  // Migration 0045: the city test compares the row's uuid, written as text, with the setting. app_set_context()
  // writes the setting the same way, so the answers above are the former ones; a setting written any other way
  // now matches no row (the former cast matched some, and failed the statement on others).
  it.each([
    ['upper case', 'abcdef12-1111-4111-8111-111111111111'.toUpperCase()],
    ['braces', '{abcdef12-1111-4111-8111-111111111111}'],
    ['no hyphens', 'abcdef12111141118111111111111111'],
    ['not a uuid', 'city'],
  ])('app.tenant_id written another way (%s): no row of that city is seen', async (_, written) => {
    const [row] = await db.adminSql.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${written}, true), set_config('app.staff_role', 'desk_admin', true),
                      set_config('app.organisation_ids', '{00000000-0000-4000-8000-0000000000a1}', true)`
      const city = 'abcdef12-1111-4111-8111-111111111111'
      const organisation = '00000000-0000-4000-8000-0000000000a1'
      await tx`select set_config('app.actor', 'staff', true)`
      const [staff] = await tx<{ sees: boolean; staffSees: boolean }[]>`
        select app_sees_proposal(${city}::uuid, ${organisation}::uuid, true, '{}') as sees,
               app_staff_sees_proposal(${city}::uuid, true, '{}') as "staffSees"`
      await tx`select set_config('app.actor', 'proposer', true)`
      const [proposer] = await tx<{ sees: boolean; proposerSees: boolean }[]>`
        select app_sees_proposal(${city}::uuid, ${organisation}::uuid, true, '{}') as sees,
               app_proposer_sees_proposal(${city}::uuid, ${organisation}::uuid) as "proposerSees"`
      return [{ staff, proposer }]
    })
    expect(row).toEqual({
      staff: { sees: false, staffSees: false },
      proposer: { sees: false, proposerSees: false },
    })
  })
})

// Migration 0046: a connection that forces a custom plan for every statement (the runtime pool did until
// decision 015; `pnpm bench:sql`'s custom-plan variant still does) forces it on the statements inside functions
// too. The functions every request calls plan as PostgreSQL does by default whatever the caller's setting, and
// are PL/pgSQL, whose plans last the connection (an SQL function with a SET clause is planned on every call).
// A `CREATE OR REPLACE` without the setting would silently drop it: this fails then.
describe('the functions every request calls', () => {
  it('keep their plans: PL/pgSQL with plan_cache_mode = auto', async () => {
    const functions = await db.adminSql<{ name: string; language: string; config: string[] | null }[]>`
      SELECT p.proname AS name, l.lanname AS language, p.proconfig AS config
        FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
       WHERE p.pronamespace = 'public'::regnamespace
         AND p.proname IN ('find_session', 'touch_session', 'app_context_memberships', 'app_organisations',
                           'app_seen_organisation_ids')
       ORDER BY 1`
    expect(functions.map((fn) => fn.name)).toEqual([
      'app_context_memberships',
      'app_organisations',
      'app_seen_organisation_ids',
      'find_session',
      'touch_session',
    ])
    for (const fn of functions) {
      expect(fn.language, fn.name).toBe('plpgsql')
      expect(fn.config, fn.name).toContain('plan_cache_mode=auto')
    }
  })
})
