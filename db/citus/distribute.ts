import type postgres from 'postgres'
import { quoteIdentifier as ident } from '../embedded'

/**
 * The Citus layout of the schema (docs/scaling.md): which table becomes what.
 * Tenant tables — every table with a `tenant_id` column — are distributed by
 * `tenant_id` in one co-location group, so all of a city's rows of every
 * table live in one shard group and joins within a city stay on one node.
 */
export type CitusLayout = {
  /** Platform tables, replicated to every node (tenant tables keep their foreign keys to them). */
  reference: string[]
  /** Queues and logs: written often, never joined with tenant data; they stay on the coordinator. */
  local: string[]
  /** The tenant table the co-location group is named after (created first). */
  colocationAnchor: string
  /**
   * Trigger functions that may run on shards: they read the row at hand and the transaction's
   * settings (which reach the workers, decision 008), and at most the co-located rows of the same
   * city (`tenant_id = NEW.tenant_id`), which Citus runs locally on the shard's node — allowed inside
   * a trigger. Citus distributes a table with triggers only under `citus.enable_unsafe_triggers`;
   * any other trigger function blocks.
   */
  shardSafeTriggerFunctions: string[]
}

export const PRODUCT_LAYOUT: CitusLayout = {
  reference: [
    'tenants',
    'users',
    'organisations',
    'organisation_members',
    'organisation_invitations',
    'sessions',
  ],
  local: [
    'mail_outbox',
    'password_reset_tokens',
    'platform_audit_log',
    'seed_runs',
    'throttle_counters',
    // Alerts (migration 0031): an organisation member's saved searches and the matches waiting to be mailed.
    'saved_searches',
    'saved_search_matches',
  ],
  colocationAnchor: 'departments',
  // The column guard of migration 0017 (docs/decisions/002-tenant-isolation-with-rls.md), and the
  // copies of a parent's deciding columns onto its children of migration 0024 (decision 008).
  shardSafeTriggerFunctions: [
    'guard_side_columns',
    'copy_proposal_access',
    'propagate_proposal_access',
    'keep_routed_departments',
    'keep_theme_proposers',
    'copy_case_visibility',
    'propagate_case_visibility',
    // Migration 0035: a written reference code moves its city's counter; a notification for a city's
    // staff becomes one row per staff member (the city's memberships, the users reference table).
    'keep_reference_counter',
    'address_notification',
  ],
}

export class DistributeError extends Error {}

type TableKind = 'distributed' | 'reference' | 'local'
type Plan = { name: string; kind: TableKind; current: 'distributed' | 'reference' | 'citus-local' | 'plain' }

export type DistributeResult = {
  /** Tables converted by this run, in order. */
  converted: { name: string; kind: TableKind }[]
  /** Tables that already had their place. */
  unchanged: number
}

/**
 * Reasons Citus 13.2 refuses to make `table` a reference or distributed table
 * (or a Citus local table, which a local table with a foreign key to a
 * reference table becomes): a policy whose expression has a subquery
 * ("Subqueries are not supported in policies on distributed tables"), or a
 * trigger whose function is not known to be safe on shards.
 */
async function blockers(
  sql: postgres.Sql,
  tables: string[],
  safeTriggerFunctions: string[],
): Promise<string[]> {
  if (tables.length === 0) return []
  const rows = await sql<{ table: string; policy: string }[]>`
    SELECT c.relname AS table, p.polname AS policy
      FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
     WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY(${tables})
       AND (coalesce(p.polqual::text, '') LIKE '%{SUBLINK %' OR coalesce(p.polwithcheck::text, '') LIKE '%{SUBLINK %')
     ORDER BY 1, 2`
  const triggers = await sql<{ table: string; trigger: string; function: string }[]>`
    SELECT c.relname AS table, t.tgname AS trigger, f.proname AS function
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc f ON f.oid = t.tgfoid
     WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace AND c.relname = ANY(${tables})
       AND NOT f.proname = ANY(${safeTriggerFunctions})
     ORDER BY 1, 2`
  return [
    ...rows.map((row) => `${row.table}: policy ${row.policy} has a subquery`),
    ...triggers.map(
      (row) => `${row.table}: trigger ${row.trigger} calls ${row.function}, not known to be safe on shards`,
    ),
  ]
}

/** Tables in an order where every table comes after the tables it references (within `names`). */
async function parentsFirst(sql: postgres.Sql, names: string[]): Promise<string[]> {
  const edges = await sql<{ child: string; parent: string }[]>`
    SELECT c.relname AS child, p.relname AS parent
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
     WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace AND c.relname <> p.relname`
  const ordered: string[] = []
  const visiting = new Set<string>()
  const visit = (name: string) => {
    if (ordered.includes(name) || visiting.has(name)) return
    visiting.add(name)
    for (const edge of edges) if (edge.child === name && names.includes(edge.parent)) visit(edge.parent)
    ordered.push(name)
  }
  for (const name of [...names].sort()) visit(name)
  return ordered
}

/** The tables of the public schema (not partitions), and whether each has a `tenant_id` column. */
export async function readTables(sql: postgres.Sql): Promise<{ name: string; tenant: boolean }[]> {
  return sql<{ name: string; tenant: boolean }[]>`
    SELECT c.relname AS name,
           EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS tenant
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY c.relname`
}

/**
 * What each table becomes: a tenant table is distributed; any other table must
 * be named in the layout, as reference or local — a table nobody placed is an
 * error, never silently left on the coordinator. Runs on plain PostgreSQL too
 * (db/citus/plain-postgres.test.ts checks the product's schema in every run).
 */
export function classifyTables(
  tables: { name: string; tenant: boolean }[],
  layout: CitusLayout,
): Map<string, TableKind> {
  const kinds = new Map<string, TableKind>()
  const unclassified: string[] = []
  for (const table of tables) {
    const kind: TableKind | null = layout.reference.includes(table.name)
      ? 'reference'
      : layout.local.includes(table.name)
        ? 'local'
        : table.tenant
          ? 'distributed'
          : null
    if (kind) kinds.set(table.name, kind)
    else unclassified.push(table.name)
  }
  if (unclassified.length > 0)
    throw new DistributeError(
      `tables without a place in the Citus layout (db/citus/distribute.ts): ${unclassified.join(', ')} — a platform table is 'reference', a queue or log 'local'; a tenant table has tenant_id`,
    )
  for (const name of [...layout.reference, ...layout.local])
    if (!kinds.has(name)) throw new DistributeError(`the layout names ${name}, which does not exist`)
  return kinds
}

/** What every table of the public schema is and must become. */
export async function planDistribution(sql: postgres.Sql, layout: CitusLayout): Promise<Plan[]> {
  const kinds = classifyTables(await readTables(sql), layout)
  const placed = await sql<{ name: string; partmethod: string; repmodel: string }[]>`
    SELECT c.relname AS name, d.partmethod::text AS partmethod, d.repmodel::text AS repmodel
      FROM pg_dist_partition d JOIN pg_class c ON c.oid = d.logicalrelid
     WHERE c.relnamespace = 'public'::regnamespace`
  const plans = [...kinds].map(([name, kind]): Plan => {
    const table = placed.find((row) => row.name === name)
    const current =
      table?.partmethod === 'h'
        ? 'distributed'
        : table?.partmethod === 'n'
          ? table.repmodel === 't'
            ? 'reference'
            : 'citus-local'
          : 'plain'
    return { name, kind, current }
  })
  const wrong = plans.filter(
    (plan) =>
      (plan.current === 'distributed' && plan.kind !== 'distributed') ||
      (plan.current === 'reference' && plan.kind !== 'reference'),
  )
  if (wrong.length > 0)
    throw new DistributeError(
      `already converted otherwise than the layout says: ${wrong.map((plan) => `${plan.name} (${plan.current}, should be ${plan.kind})`).join(', ')}`,
    )
  return plans
}

/**
 * `pnpm db:distribute`: turns a migrated database on a Citus coordinator into
 * the layout — reference tables first (parents first), then the tenant
 * tables distributed by `tenant_id`, co-located with the anchor. Idempotent:
 * tables already in place are left alone. Checks everything before changing
 * anything: on a worker, without Citus, with an unclassified table or with
 * a table Citus would refuse, it changes nothing and says why.
 */
export async function distribute(
  sql: postgres.Sql,
  layout: CitusLayout = PRODUCT_LAYOUT,
  options: {
    /**
     * Shards of the co-location group when it is created (Citus's `citus.shard_count`, default 32;
     * fixed for the group afterwards). The test databases use fewer: each shard is DDL on a worker.
     */
    shardCount?: number
  } = {},
): Promise<DistributeResult> {
  const [citus] = await sql`SELECT 1 FROM pg_extension WHERE extname = 'citus'`
  if (!citus)
    throw new DistributeError(
      'this database has no Citus extension (CREATE EXTENSION citus; or pnpm citus:up)',
    )
  const [node] = await sql<{ coordinator: boolean; workers: number }[]>`
    SELECT citus_is_coordinator() AS coordinator,
           (SELECT count(*)::int FROM pg_dist_node WHERE noderole = 'primary' AND groupid <> 0) AS workers`
  if (!node!.coordinator) throw new DistributeError('run db:distribute on the coordinator, not on a worker')
  if (node!.workers === 0) throw new DistributeError('the coordinator has no workers (citus_add_node)')

  const plans = await planDistribution(sql, layout)
  const pending = plans.filter(
    (plan) =>
      (plan.kind === 'reference' && plan.current !== 'reference') ||
      (plan.kind === 'distributed' && plan.current !== 'distributed'),
  )
  // A local table with a foreign key to a reference table becomes a Citus local table: same checks.
  const problems = await blockers(
    sql,
    [
      ...pending.map((plan) => plan.name),
      ...plans.filter((plan) => plan.kind === 'local' && plan.current === 'plain').map((plan) => plan.name),
    ],
    layout.shardSafeTriggerFunctions,
  )
  if (problems.length > 0)
    throw new DistributeError(
      `Citus would refuse ${problems.length} polic${problems.length === 1 ? 'y' : 'ies'}, nothing changed:\n  ${problems.join('\n  ')}`,
    )

  const converted: DistributeResult['converted'] = []
  const reference = await parentsFirst(
    sql,
    pending.filter((plan) => plan.kind === 'reference').map((plan) => plan.name),
  )
  const distributed = await parentsFirst(
    sql,
    pending.filter((plan) => plan.kind === 'distributed').map((plan) => plan.name),
  )
  const anchorDone = plans.some(
    (plan) => plan.name === layout.colocationAnchor && plan.current === 'distributed',
  )
  if (!anchorDone && !distributed.includes(layout.colocationAnchor))
    throw new DistributeError(`the co-location anchor ${layout.colocationAnchor} is not a tenant table`)
  // The anchor first, so each later table joins its co-location group.
  const ordered = anchorDone
    ? distributed
    : [layout.colocationAnchor, ...distributed.filter((name) => name !== layout.colocationAnchor)]
  const tenantTables = plans.filter((plan) => plan.kind === 'distributed').map((plan) => plan.name)
  await sql.begin(async (tx) => {
    // Only the trigger functions checked above are left (blockers): they are safe on shards.
    await tx`SET LOCAL citus.enable_unsafe_triggers TO on`
    if (options.shardCount) await tx`SELECT set_config('citus.shard_count', ${String(options.shardCount)}, true)`
    // Citus distributes no table that a local table still references, nor one that references a
    // local tenant table: the foreign keys between tenant tables are dropped for the conversion and
    // put back once both sides are distributed (co-located on tenant_id, so Citus enforces them per shard).
    const keys = await tx<{ table: string; name: string; definition: string }[]>`
      SELECT c.relname AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS definition
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
       WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace
         AND c.relname = ANY(${tenantTables}) AND p.relname = ANY(${tenantTables})
         AND (c.relname = ANY(${ordered}) OR p.relname = ANY(${ordered}))
       ORDER BY 1, 2`
    for (const key of keys)
      await tx.unsafe(`ALTER TABLE ${ident(key.table)} DROP CONSTRAINT ${ident(key.name)}`)
    // Citus re-creates the views over a table it converts, which PostgreSQL refuses while a function
    // takes or returns a view's row type (the cross-city search functions of migration 0028): those
    // functions are dropped for the conversion and created again as they were (owner, grants).
    const viewFunctions =
      reference.length + ordered.length === 0
        ? []
        : await tx<{ signature: string; definition: string; owner: string; grantees: string[] }[]>`
            SELECT DISTINCT p.oid::regprocedure::text AS signature, pg_get_functiondef(p.oid) AS definition,
                   p.proowner::regrole::text AS owner,
                   ARRAY(SELECT a.grantee::regrole::text FROM aclexplode(p.proacl) a
                          WHERE a.privilege_type = 'EXECUTE' AND a.grantee NOT IN (0, p.proowner))::text[] AS grantees
              FROM pg_depend d JOIN pg_type t ON t.oid = d.refobjid JOIN pg_class c ON c.oid = t.typrelid
              JOIN pg_proc p ON p.oid = d.objid
             WHERE d.classid = 'pg_proc'::regclass AND c.relkind = 'v' AND c.relnamespace = 'public'::regnamespace`
    for (const fn of viewFunctions) await tx.unsafe(`DROP FUNCTION ${fn.signature}`)
    // The views it re-creates come back owned by the converting user and without their grants (the
    // cross-city lists then answer "permission denied for view" to the runtime role): both are put back.
    const views = await tx<{ name: string; owner: string; grants: { grantee: string; privilege: string }[] }[]>`
      SELECT c.relname AS name, c.relowner::regrole::text AS owner,
             coalesce((SELECT json_agg(json_build_object('grantee', a.grantee::regrole::text, 'privilege', a.privilege_type))
                         FROM aclexplode(c.relacl) a WHERE a.grantee NOT IN (0, c.relowner)), '[]'::json) AS grants
        FROM pg_class c WHERE c.relkind = 'v' AND c.relnamespace = 'public'::regnamespace`
    // Converting a table copies its rows into the shards, which fires its triggers there: a trigger that
    // writes or reads another tenant table (the reference counter, the notifications' addressing of
    // migration 0035) is then a distributed query from a shard, which Citus refuses. The rows are
    // already what the triggers would make them: the triggers are taken off for the copy and put back.
    const triggers = await tx<{ table: string; name: string; definition: string }[]>`
      SELECT c.relname AS table, t.tgname AS name, pg_get_triggerdef(t.oid) AS definition
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace
         AND c.relname = ANY(${[...reference, ...ordered]})
       ORDER BY 1, 2`
    for (const trigger of triggers)
      await tx.unsafe(`DROP TRIGGER ${ident(trigger.name)} ON ${ident(trigger.table)}`)
    for (const name of reference) {
      await tx`SELECT create_reference_table(${name}::regclass)`
      converted.push({ name, kind: 'reference' })
    }
    for (const name of ordered) {
      if (name === layout.colocationAnchor)
        await tx`SELECT create_distributed_table(${name}::regclass, 'tenant_id')`
      else
        await tx`SELECT create_distributed_table(${name}::regclass, 'tenant_id', colocate_with => ${layout.colocationAnchor})`
      converted.push({ name, kind: 'distributed' })
    }
    for (const key of keys)
      await tx.unsafe(`ALTER TABLE ${ident(key.table)} ADD CONSTRAINT ${ident(key.name)} ${key.definition}`)
    for (const trigger of triggers) await tx.unsafe(trigger.definition)
    for (const view of views) {
      await tx.unsafe(`ALTER VIEW ${ident(view.name)} OWNER TO ${ident(view.owner)}`)
      await tx.unsafe(`REVOKE ALL ON ${ident(view.name)} FROM PUBLIC`)
      for (const grant of view.grants)
        await tx.unsafe(`GRANT ${grant.privilege} ON ${ident(view.name)} TO ${ident(grant.grantee)}`)
    }
    for (const fn of viewFunctions) {
      await tx.unsafe(fn.definition)
      await tx.unsafe(`ALTER FUNCTION ${fn.signature} OWNER TO ${ident(fn.owner)}`)
      await tx.unsafe(`REVOKE ALL ON FUNCTION ${fn.signature} FROM PUBLIC`)
      for (const grantee of fn.grantees)
        await tx.unsafe(`GRANT EXECUTE ON FUNCTION ${fn.signature} TO ${ident(grantee)}`)
    }
  })
  return { converted, unchanged: plans.length - converted.length }
}
