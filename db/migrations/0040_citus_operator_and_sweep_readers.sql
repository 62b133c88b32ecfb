-- Three definers and a trigger function that failed on a Citus coordinator
-- (issue 21, decision 008 "Write paths"; found running the integration suite
-- there). Same results on plain PostgreSQL.
--
-- 1. stored_files_in_use(text[]) and stored_files_before(timestamptz), the
--    orphan sweep's readers, were SQL functions whose query takes the
--    argument: Citus cannot plan a parameter of an SQL function ("could not
--    create distributed plan"). PL/pgSQL now, the actor read first.
-- 2. operator_tenant_counts() counted each city with correlated subqueries
--    over proposals, city_memberships and proposal_events per tenants row:
--    Citus refuses a subquery correlated on a reference table ("complex joins
--    are only supported when all distributed tables are co-located and joined
--    on their distribution columns"). It now counts each table once, grouped
--    by city (one query per table, pushed to the shards), and joins the
--    totals to the cities.
-- 3. guard_side_columns() named TG_TABLE_NAME in its refusal; on Citus the
--    trigger runs on a shard, whose name is the table's with Citus's
--    "_<shard id>" suffix (experiments_102113). It names the table the writer
--    wrote: TG_TABLE_NAME without a trailing "_<digits>". None of the guarded
--    tables' names (experiments, experiment_checklist, disclosure_requests,
--    disclosure_documents, disclosure_request_internals) ends so, so on plain
--    PostgreSQL nothing is stripped. Otherwise the body of 0017, unchanged.

CREATE OR REPLACE FUNCTION stored_files_in_use(candidates text[]) RETURNS SETOF text
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'system' THEN
      RETURN;
    END IF;
    RETURN QUERY
      SELECT a.stored_name FROM public.attachments a WHERE a.stored_name = ANY(candidates)
      UNION
      SELECT c.stored_name FROM public.case_images c WHERE c.stored_name = ANY(candidates);
  END
  $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION stored_files_before(cutoff timestamptz) RETURNS TABLE (city uuid, stored_name text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'system' THEN
      RETURN;
    END IF;
    RETURN QUERY
      SELECT c.tenant_id, c.stored_name FROM public.stored_file_chunks c
       WHERE c.seq = 0 AND c.created_at <= cutoff
       ORDER BY c.tenant_id, c.stored_name;
  END
  $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION operator_tenant_counts()
  RETURNS TABLE (slug text, proposals_by_state jsonb, staff integer, last_activity_at timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    IF public.app_is_operator() IS NOT TRUE THEN
      RETURN;
    END IF;
    RETURN QUERY
      WITH by_state AS MATERIALIZED (
             SELECT s.tenant_id, jsonb_object_agg(s.state, s.n) AS counts
               FROM (SELECT p.tenant_id, p.state, count(*)::int AS n
                       FROM public.proposals p GROUP BY p.tenant_id, p.state) s
              GROUP BY s.tenant_id),
           enabled_staff AS MATERIALIZED (
             SELECT m.tenant_id, count(*)::int AS n
               FROM public.city_memberships m JOIN public.users u ON u.id = m.user_id
              WHERE u.disabled_at IS NULL GROUP BY m.tenant_id),
           activity AS MATERIALIZED (
             SELECT e.tenant_id, max(e.at) AS at FROM public.proposal_events e GROUP BY e.tenant_id)
      SELECT t.slug, coalesce(b.counts, '{}'::jsonb), coalesce(st.n, 0), a.at
        FROM public.tenants t
        LEFT JOIN by_state b ON b.tenant_id = t.id
        LEFT JOIN enabled_staff st ON st.tenant_id = t.id
        LEFT JOIN activity a ON a.tenant_id = t.id;
  END
  $$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION guard_side_columns() RETURNS trigger
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    actor text := public.app_actor();
    protected text;
    columns text[];
    fixed text[] := CASE WHEN TG_NARGS > 2 THEN TG_ARGV[2]::text[] ELSE '{}' END;
    old_row jsonb;
    new_row jsonb;
    col text;
    -- The table the writer wrote: on Citus the trigger fires on a shard, "<table>_<shard id>".
    target text := regexp_replace(TG_TABLE_NAME, '_[0-9]+$', '');
  BEGIN
    IF actor = 'proposer' THEN
      protected := TG_ARGV[0];
    ELSIF actor = 'staff' THEN
      protected := TG_ARGV[1];
    ELSE
      RETURN CASE WHEN TG_LEVEL = 'ROW' THEN NEW END;
    END IF;
    IF protected = '*' THEN
      RAISE EXCEPTION '%: a % context may not write this table', target, actor
        USING ERRCODE = 'insufficient_privilege', TABLE = target, SCHEMA = TG_TABLE_SCHEMA;
    END IF;
    -- At statement level only '*' means anything: a statement trigger sees no rows.
    IF TG_LEVEL = 'STATEMENT' THEN
      RETURN NULL;
    END IF;
    columns := protected::text[];
    new_row := to_jsonb(NEW);
    IF TG_OP = 'UPDATE' THEN
      old_row := to_jsonb(OLD);
      columns := columns || fixed;
    END IF;
    FOREACH col IN ARRAY columns LOOP
      -- A misspelt column in a trigger's arguments would otherwise guard nothing, silently.
      IF NOT new_row ? col THEN
        RAISE EXCEPTION 'guard_side_columns on %: no column %', target, col USING ERRCODE = 'undefined_column';
      END IF;
      IF (TG_OP = 'UPDATE' AND old_row -> col IS DISTINCT FROM new_row -> col)
         OR (TG_OP = 'INSERT' AND new_row -> col NOT IN ('null', '""', '[]')) THEN
        RAISE EXCEPTION '%.%: a % context may not change this column', target, col, actor
          USING ERRCODE = 'insufficient_privilege', TABLE = target, SCHEMA = TG_TABLE_SCHEMA, COLUMN = col;
      END IF;
    END LOOP;
    RETURN NEW;
  END
  $$;
