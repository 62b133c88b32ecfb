-- The proposals' staff policy reads fewer settings per row (issue 19: the RLS cost on the inbox,
-- docs/performance.md, "the staff policy's settings (session 19)").
--
-- A current_setting() is a lookup by name each time it is called, and a policy's reader is evaluated for every
-- row the statement reads: app_staff_sees_proposal() read app.tenant_id, app.actor and app.staff_role for each of
-- the city's proposals the inbox's count touched, and converted the row's city to text. A policy may not hold a
-- subquery on Citus ("Subqueries are not supported in policies on distributed tables"), so the settings cannot
-- be read once per statement as an InitPlan. Instead app_set_context() now derives two settings from the
-- actor, the staff role and the city, and the reader tests a row's city against one of them:
--   app.desk_city        the city's id when the actor is the staff of a desk role there (desk_admin, desk_staff);
--   app.department_city  the city's id when the actor is department staff there;
-- each empty otherwise. The desk's test comes first, as a uuid: for department staff its setting is empty, so
-- the NULL it casts costs nothing, and they pay one lookup more than the desk, not a conversion more. The count
-- of a 10,000-proposal city's inbox (9,672 rows), medians of six alternated runs: the desk's staff 3.82 → 2.67 ms,
-- department staff (1,311 rows seen) 6.86 → 5.87 ms; a superuser 0.77 ms.
-- app_set_staff_cities() is the derivation, called by app_set_context() after it sets app.staff_role, and by
-- the readers' equivalence test after each combination of settings it makes (db/context-readers.test.ts).

CREATE OR REPLACE FUNCTION app_set_staff_cities() RETURNS void
  LANGUAGE plpgsql
  AS $$
  DECLARE
    -- The city as app_set_context() writes it (a uuid's canonical text); anything else is no city here, so the
    -- reader's uuid cast of app.desk_city cannot fail, and admits what its former text comparison admitted.
    v_city text := CASE WHEN current_setting('app.tenant_id', true)
                             ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                        THEN current_setting('app.tenant_id', true) ELSE '' END;
    v_role text := CASE WHEN current_setting('app.actor', true) = 'staff' THEN current_setting('app.staff_role', true) END;
  BEGIN
    -- SET LOCAL, not set_config: a Citus coordinator forwards it to the workers (app_set_context, migration 0020).
    EXECUTE pg_catalog.format('SET LOCAL app.desk_city = %L',
      CASE WHEN v_role IN ('desk_admin', 'desk_staff') THEN v_city ELSE '' END);
    EXECUTE pg_catalog.format('SET LOCAL app.department_city = %L',
      CASE WHEN v_role = 'department_staff' THEN v_city ELSE '' END);
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_set_staff_cities() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_set_staff_cities() TO desk_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_set_context(tenant_id uuid, user_id uuid, actor text) RETURNS void
  LANGUAGE plpgsql
  AS $$
  DECLARE
    m record;
    in_city boolean := false;
  BEGIN
    PERFORM pg_catalog.set_config('citus.propagate_set_commands', 'local', true);
    EXECUTE pg_catalog.format('SET LOCAL app.tenant_id = %L', COALESCE(tenant_id::text, ''));
    EXECUTE pg_catalog.format('SET LOCAL app.user_id = %L', COALESCE(user_id::text, ''));
    EXECUTE pg_catalog.format('SET LOCAL app.actor = %L', COALESCE(actor, ''));
    SELECT * INTO m FROM public.app_context_memberships();
    EXECUTE pg_catalog.format('SET LOCAL app.staff_role = %L', COALESCE(m.o_staff_role, ''));
    PERFORM public.app_set_staff_cities();
    EXECUTE pg_catalog.format('SET LOCAL app.department_id = %L', COALESCE(m.o_department_id::text, ''));
    EXECUTE pg_catalog.format('SET LOCAL app.organisation_ids = %L', m.o_organisation_ids::text);
    EXECUTE pg_catalog.format('SET LOCAL app.owned_organisation_ids = %L', m.o_owned_organisation_ids::text);
    -- Whether the proposer's organisations have a proposal in the city: read as the caller, under
    -- the proposals policy and the settings just made (the city as a value: one shard on Citus).
    IF actor = 'proposer' AND app_set_context.tenant_id IS NOT NULL AND cardinality(m.o_organisation_ids) > 0 THEN
      in_city := EXISTS (SELECT 1 FROM public.proposals p
                          WHERE p.tenant_id = app_set_context.tenant_id
                            AND p.organisation_id = ANY (m.o_organisation_ids));
    END IF;
    EXECUTE pg_catalog.format('SET LOCAL app.flags = %L',
      concat_ws(',', CASE WHEN m.o_operator THEN 'operator' END, CASE WHEN m.o_city_live THEN 'tenant_live' END,
                     CASE WHEN in_city THEN 'proposer_in_city' END));
  END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_staff_sees_proposal(p_tenant_id uuid, p_city_visible boolean, p_department_ids uuid[])
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT CASE WHEN p_city_visible IS NOT TRUE THEN false
                WHEN p_tenant_id = NULLIF(current_setting('app.desk_city', true), '')::uuid THEN true
                WHEN p_tenant_id::text = current_setting('app.department_city', true)
                  THEN COALESCE(NULLIF(current_setting('app.department_id', true), '')::uuid = ANY (p_department_ids), false)
                ELSE false END
  $$;
