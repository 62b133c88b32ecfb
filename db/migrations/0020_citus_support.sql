-- Citus support (docs/decisions/008-tenant-context-on-citus.md, docs/scaling.md).
--
-- 1. The request context, set so that Citus forwards it.
--
-- withTenant used to run `select set_config('app.tenant_id', $1, true), …`.
-- On a Citus coordinator that sets the values on the coordinator only: the
-- shard queries on the workers run without them, and row-level security there
-- shows nothing (not even a city's own rows). Citus forwards transaction-local
-- settings only when they are made with a SET LOCAL statement while
-- `citus.propagate_set_commands = 'local'`. A SET statement takes no bind
-- parameter, so this function takes the values as typed parameters (the ids
-- are uuids, checked by PostgreSQL when the call is bound) and writes each
-- one into its SET LOCAL as a quoted literal (format %L). The caller still
-- sends one parameterised statement per transaction:
--   select app_set_context($1, $2, $3)
-- On plain PostgreSQL the effect is exactly set_config(…, true): the
-- settings vanish at commit or rollback; `citus.propagate_set_commands` is
-- then an unused placeholder setting, also transaction-local.
--
-- No SET clause (such as a pinned search_path) on purpose: a function with
-- one restores the settings changed inside it when it returns, which would
-- undo the SET LOCALs. It touches no table and calls pg_catalog only.
CREATE FUNCTION app_set_context(tenant_id uuid, user_id uuid, actor text) RETURNS void
  LANGUAGE plpgsql SECURITY INVOKER VOLATILE
  AS $$
  BEGIN
    PERFORM pg_catalog.set_config('citus.propagate_set_commands', 'local', true);
    EXECUTE pg_catalog.format('SET LOCAL app.tenant_id = %L', COALESCE(tenant_id::text, ''));
    EXECUTE pg_catalog.format('SET LOCAL app.user_id = %L', COALESCE(user_id::text, ''));
    EXECUTE pg_catalog.format('SET LOCAL app.actor = %L', COALESCE(actor, ''));
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_set_context(uuid, uuid, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_set_context(uuid, uuid, text) TO desk_app;
--> statement-breakpoint
-- 2. A tenant table added by a later migration, on a database db:distribute has
-- already distributed (docs/scaling.md): Citus refuses a foreign key from a
-- local table to a distributed one, and some CREATE POLICY forms on a table
-- already distributed. So a migration adding a tenant table creates it with
-- its policies and grants but without foreign keys to other tenant tables,
-- then calls `SELECT desk_distribute_tenant_table('the_table')`, then adds
-- those foreign keys. On plain PostgreSQL, and on a Citus database not
-- distributed yet (db:distribute will place the table), it does nothing and
-- returns false; otherwise it distributes the table by tenant_id in the
-- tenant tables' co-location group and returns true. Owner only.
CREATE FUNCTION desk_distribute_tenant_table(target regclass) RETURNS boolean
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    -- Two statements: PL/pgSQL plans the second only where Citus's catalogue exists.
    IF to_regclass('pg_catalog.pg_dist_partition') IS NULL THEN
      RETURN false;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition WHERE logicalrelid = to_regclass('public.departments')) THEN
      RETURN false;
    END IF;
    EXECUTE format('SELECT create_distributed_table(%L, %L, colocate_with => %L)', target::text, 'tenant_id', 'departments');
    RETURN true;
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION desk_distribute_tenant_table(regclass) FROM PUBLIC;
