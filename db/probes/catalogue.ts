import type postgres from 'postgres'
import { OWNER_ROLE, RUNTIME_ROLE } from '../roles'

/**
 * What the probe suite knows about the schema, read from the PostgreSQL
 * catalogue — never from a hand-kept list, so tables added by later
 * migrations are covered without editing the suite.
 */
export type Column = { name: string; type: string; notNull: boolean; hasDefault: boolean }
export type ForeignKey = { name: string; columns: string[]; refTable: string; refColumns: string[] }
export type UniqueKey = { name: string; columns: string[]; isPrimary: boolean }

export type TableInfo = {
  name: string
  isTenantTable: boolean
  columns: Column[]
  primaryKey: string[]
  uniques: UniqueKey[]
  foreignKeys: ForeignKey[]
  /** A column the runtime role may UPDATE, for write probes (else the first key column). */
  updatableColumn: string
}

export type Catalogue = { tables: Map<string, TableInfo> }

export async function readCatalogue(sql: postgres.Sql): Promise<Catalogue> {
  const tableRows = await sql<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY c.relname`
  const columnRows = await sql<{ table: string; name: string; type: string; not_null: boolean; has_default: boolean }[]>`
    SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS not_null, a.atthasdef AS has_default
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY c.relname, a.attnum`
  const constraintRows = await sql<
    { table: string; name: string; type: string; columns: string[]; ref_table: string | null; ref_columns: string[] | null }[]
  >`
    SELECT con.conrelid::regclass::text AS table, con.conname AS name, con.contype::text AS type,
           ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns,
           CASE WHEN con.contype = 'f' THEN con.confrelid::regclass::text END AS ref_table,
           CASE WHEN con.contype = 'f' THEN ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] END AS ref_columns
      FROM pg_constraint con
     WHERE con.connamespace = 'public'::regnamespace AND con.contype IN ('p', 'u', 'f')
     ORDER BY con.conname`
  const updatable = await sql<{ table: string; column: string }[]>`
    SELECT c.relname AS table, a.attname AS column
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
       AND has_column_privilege(${RUNTIME_ROLE}, c.oid, a.attnum, 'UPDATE')
     ORDER BY c.relname, a.attnum`

  const tables = new Map<string, TableInfo>()
  for (const { name } of tableRows) {
    const columns = columnRows
      .filter((c) => c.table === name)
      .map((c) => ({ name: c.name, type: c.type, notNull: c.not_null, hasDefault: c.has_default }))
    const constraints = constraintRows.filter((c) => c.table === name)
    const primaryKey = constraints.find((c) => c.type === 'p')?.columns ?? []
    tables.set(name, {
      name,
      isTenantTable: columns.some((c) => c.name === 'tenant_id'),
      columns,
      primaryKey,
      uniques: constraints
        .filter((c) => c.type === 'p' || c.type === 'u')
        .map((c) => ({ name: c.name, columns: c.columns, isPrimary: c.type === 'p' })),
      foreignKeys: constraints
        .filter((c) => c.type === 'f')
        .map((c) => ({ name: c.name, columns: c.columns, refTable: c.ref_table!, refColumns: c.ref_columns! })),
      updatableColumn: updatable.find((u) => u.table === name)?.column ?? primaryKey[0] ?? columns[0]!.name,
    })
  }
  return { tables }
}

export function tenantTables(catalogue: Catalogue): TableInfo[] {
  return [...catalogue.tables.values()].filter((t) => t.isTenantTable)
}

export function platformTables(catalogue: Catalogue): TableInfo[] {
  return [...catalogue.tables.values()].filter((t) => !t.isTenantTable)
}

/** Tables that only ever grow: the runtime role may INSERT and SELECT, never UPDATE or DELETE. */
export const APPEND_ONLY_TABLES = [
  'audit_log',
  'proposal_events',
  'platform_audit_log',
  'implementation_notes',
  'experiment_permits',
] as const

/** Views of what live cities publish on purpose, read across cities with their owner's rights (migration 0021). */
const PUBLISHED_ACROSS_CITIES_VIEWS = new Set(['platform_open_themes', 'platform_published_cases'])

/** A list of problems and a count of the checks that ran: `check(ok, problem)` records one check. */
function checklist() {
  const problems: string[] = []
  let checks = 0
  const check = (ok: boolean, problem: string) => {
    checks++
    if (!ok) problems.push(problem)
  }
  return { problems, check, counted: () => checks }
}

/**
 * The catalogue checks of issue 4. Returns one line per problem; empty means
 * every check passed. `checks` counts how many individual checks ran.
 */
export async function checkCatalogue(
  sql: postgres.Sql,
  catalogue: Catalogue,
): Promise<{ problems: string[]; checks: number }> {
  const { problems, check, counted } = checklist()

  // The runtime role.
  const [role] = await sql<
    { rolsuper: boolean; rolbypassrls: boolean; rolcreaterole: boolean; rolcreatedb: boolean; member_of_owner: boolean }[]
  >`SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,
           pg_has_role(${RUNTIME_ROLE}, ${OWNER_ROLE}, 'MEMBER') AS member_of_owner
      FROM pg_roles WHERE rolname = ${RUNTIME_ROLE}`
  check(!!role, `role ${RUNTIME_ROLE} does not exist`)
  if (role) {
    check(!role.rolsuper, `${RUNTIME_ROLE} is a superuser`)
    check(!role.rolbypassrls, `${RUNTIME_ROLE} has BYPASSRLS`)
    check(!role.rolcreaterole, `${RUNTIME_ROLE} has CREATEROLE`)
    check(!role.rolcreatedb, `${RUNTIME_ROLE} has CREATEDB`)
    check(!role.member_of_owner, `${RUNTIME_ROLE} is a member of ${OWNER_ROLE}`)
  }
  const owned = await sql<{ what: string }[]>`
    SELECT 'relation ' || relname AS what FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = ${RUNTIME_ROLE})
    UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE proowner = (SELECT oid FROM pg_roles WHERE rolname = ${RUNTIME_ROLE})
    UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = ${RUNTIME_ROLE})
    UNION ALL SELECT 'type ' || typname FROM pg_type WHERE typowner = (SELECT oid FROM pg_roles WHERE rolname = ${RUNTIME_ROLE})
    UNION ALL SELECT 'database ' || datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = ${RUNTIME_ROLE})`
  check(owned.length === 0, `${RUNTIME_ROLE} owns: ${owned.map((o) => o.what).join(', ')}`)
  const [schemaPriv] = await sql<{ create: boolean }[]>`
    SELECT has_schema_privilege(${RUNTIME_ROLE}, 'public', 'CREATE') AS create`
  check(!schemaPriv!.create, `${RUNTIME_ROLE} may CREATE in schema public`)
  const [dbPriv] = await sql<{ create: boolean }[]>`
    SELECT has_database_privilege(${RUNTIME_ROLE}, current_database(), 'CREATE') AS create`
  check(!dbPriv!.create, `${RUNTIME_ROLE} may CREATE in the database`)

  // Row-level security on every table, policies for the runtime role on every tenant table.
  const rls = await sql<{ name: string; enabled: boolean; forced: boolean; runtime_policies: number; owner: string }[]>`
    SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
           pg_get_userbyid(c.relowner) AS owner,
           (SELECT count(*) FROM pg_policy p
             WHERE p.polrelid = c.oid
               AND (0 = ANY (p.polroles) OR (SELECT oid FROM pg_roles WHERE rolname = ${RUNTIME_ROLE}) = ANY (p.polroles)))::int
             AS runtime_policies
      FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')`
  for (const table of rls) {
    const info = catalogue.tables.get(table.name)
    check(table.enabled, `${table.name}: row-level security is not enabled`)
    check(table.forced, `${table.name}: row-level security is not forced`)
    check(table.owner === OWNER_ROLE, `${table.name}: owned by ${table.owner}, not ${OWNER_ROLE}`)
    if (info?.isTenantTable) check(table.runtime_policies >= 1, `${table.name}: no policy for ${RUNTIME_ROLE}`)
  }
  // Policies name their roles: no policy applies to PUBLIC.
  const publicPolicies = await sql<{ name: string }[]>`
    SELECT polrelid::regclass::text || '.' || polname AS name FROM pg_policy WHERE 0 = ANY (polroles)`
  check(publicPolicies.length === 0, `policies for PUBLIC: ${publicPolicies.map((p) => p.name).join(', ')}`)

  // Views are security_invoker; no materialized views (they bypass RLS). The one exception is the
  // cross-city views of what live cities publish on purpose (migration 0021): they read with their
  // owner's rights by design, so they must be security_barrier, and db/probes/across-cities.test.ts
  // proves they show only open themes and published cases of live cities.
  const views = await sql<{ name: string; kind: string; options: string[] | null }[]>`
    SELECT c.relname AS name, c.relkind::text AS kind, c.reloptions AS options FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm')`
  for (const view of views) {
    check(view.kind === 'v', `${view.name}: materialized views bypass row-level security`)
    const hasOption = (name: string) => (view.options ?? []).some((o) => new RegExp(`^${name}=(true|on|1|yes)$`, 'i').test(o))
    if (PUBLISHED_ACROSS_CITIES_VIEWS.has(view.name)) {
      check(hasOption('security_barrier'), `${view.name}: a cross-city view without security_barrier`)
    } else {
      check(hasOption('security_invoker'), `${view.name}: view is not security_invoker`)
    }
  }

  // SECURITY DEFINER functions pin search_path, take no tenant argument, and are not executable by PUBLIC.
  const definers = await sql<{ name: string; config: string[] | null; args: string[] | null; public_exec: boolean }[]>`
    SELECT p.proname AS name, p.proconfig AS config, p.proargnames AS args,
           has_function_privilege('public', p.oid, 'EXECUTE') AS public_exec
      FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef`
  for (const fn of definers) {
    check((fn.config ?? []).some((c) => c.startsWith('search_path=')), `${fn.name}: SECURITY DEFINER without a pinned search_path`)
    check(!(fn.args ?? []).some((a) => /tenant/i.test(a)), `${fn.name}: SECURITY DEFINER takes a tenant argument`)
    check(!fn.public_exec, `${fn.name}: SECURITY DEFINER executable by PUBLIC`)
  }

  // Append-only tables, and no TRUNCATE/REFERENCES/TRIGGER anywhere.
  const privileges = await sql<{ name: string; update: boolean; delete: boolean; truncate: boolean; references: boolean; trigger: boolean }[]>`
    SELECT c.relname AS name,
           has_table_privilege(${RUNTIME_ROLE}, c.oid, 'UPDATE') AS update,
           has_table_privilege(${RUNTIME_ROLE}, c.oid, 'DELETE') AS delete,
           has_table_privilege(${RUNTIME_ROLE}, c.oid, 'TRUNCATE') AS truncate,
           has_table_privilege(${RUNTIME_ROLE}, c.oid, 'REFERENCES') AS references,
           has_table_privilege(${RUNTIME_ROLE}, c.oid, 'TRIGGER') AS trigger
      FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')`
  for (const table of privileges) {
    check(!table.truncate && !table.references && !table.trigger, `${table.name}: ${RUNTIME_ROLE} has TRUNCATE/REFERENCES/TRIGGER`)
    if ((APPEND_ONLY_TABLES as readonly string[]).includes(table.name)) {
      check(!table.update && !table.delete, `${table.name}: append-only table is updatable or deletable by ${RUNTIME_ROLE}`)
    }
  }

  return { problems, checks: counted() }
}

/**
 * The "Citus-ready" schema rule for every tenant table: tenant_id NOT NULL and
 * referencing tenants; in the primary key; in every unique constraint and
 * unique index; every foreign key to a tenant table carries tenant_id to
 * tenant_id; every index leads with tenant_id.
 */
export async function checkCitusRule(
  sql: postgres.Sql,
  catalogue: Catalogue,
): Promise<{ problems: string[]; checks: number }> {
  const { problems, check, counted } = checklist()
  const indexes = await sql<{ table: string; name: string; unique: boolean; first: string | null; columns: string[] }[]>`
    SELECT t.relname AS table, i.relname AS name, x.indisunique AS unique,
           (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum = x.indkey[0]) AS first,
           ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum = ANY (x.indkey::int2[]))::text[] AS columns
      FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
     WHERE t.relnamespace = 'public'::regnamespace`
  // Citus refuses a subquery in a policy of a distributed table: a tenant table's policies compare
  // the row's columns with the transaction's settings only (migration 0024, decision 008).
  const withSubquery = await sql<{ table: string; policy: string }[]>`
    SELECT c.relname AS table, p.polname AS policy
      FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
     WHERE c.relnamespace = 'public'::regnamespace
       AND (coalesce(p.polqual::text, '') LIKE '%{SUBLINK %' OR coalesce(p.polwithcheck::text, '') LIKE '%{SUBLINK %')`
  // Platform tables too (reference tables on Citus, migration 0034): other people and organisations are
  // read through definer readers, not through a policy's subquery.
  for (const table of platformTables(catalogue)) {
    const refused = withSubquery.filter((r) => r.table === table.name).map((r) => r.policy)
    check(refused.length === 0, `${table.name}: policies with a subquery (Citus refuses them): ${refused.join(', ')}`)
  }
  for (const table of tenantTables(catalogue)) {
    const refused = withSubquery.filter((r) => r.table === table.name).map((r) => r.policy)
    check(refused.length === 0, `${table.name}: policies with a subquery (Citus refuses them): ${refused.join(', ')}`)
    const tenantColumn = table.columns.find((c) => c.name === 'tenant_id')!
    check(tenantColumn.notNull, `${table.name}: tenant_id is nullable`)
    check(tenantColumn.type === 'uuid', `${table.name}: tenant_id is ${tenantColumn.type}, not uuid`)
    check(
      table.foreignKeys.some((fk) => fk.refTable === 'tenants' && fk.columns.join() === 'tenant_id'),
      `${table.name}: tenant_id does not reference tenants`,
    )
    check(table.primaryKey[0] === 'tenant_id', `${table.name}: primary key (${table.primaryKey.join(', ')}) does not lead with tenant_id`)
    for (const unique of table.uniques) {
      check(unique.columns.includes('tenant_id'), `${table.name}: unique ${unique.name} lacks tenant_id`)
    }
    for (const fk of table.foreignKeys) {
      const target = catalogue.tables.get(fk.refTable)
      if (!target?.isTenantTable) continue
      const at = fk.columns.indexOf('tenant_id')
      check(at >= 0 && fk.refColumns[at] === 'tenant_id', `${table.name}: foreign key ${fk.name} to tenant table ${fk.refTable} does not carry tenant_id`)
    }
    for (const index of indexes.filter((i) => i.table === table.name)) {
      check(index.first === 'tenant_id', `${table.name}: index ${index.name} does not lead with tenant_id`)
      if (index.unique) check(index.columns.includes('tenant_id'), `${table.name}: unique index ${index.name} lacks tenant_id`)
    }
  }
  return { problems, checks: counted() }
}
