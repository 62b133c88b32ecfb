-- The last two platform policies with a subquery, and the last policy that
-- reads a table, leave the policies (decision 008, "Other people and
-- organisations"): Citus refuses a subquery in a policy of a reference table,
-- and refuses at run time a function reading a table from a policy on a
-- placement. Same rows for every actor as before, now through SECURITY
-- DEFINER readers the request calls at the top of a statement (on a Citus
-- coordinator a function may run distributed queries there). The probe suite
-- (db/isolation.test.ts) judges the readers against the same oracle rules the
-- policies had.
--
-- 1. users_select: a user reads their own row. Other people — members of
--    one's organisations, authors of messages one may read, a city's staff
--    and the submitters of the proposals a staff member sees — are read with
--    app_people(ids): only the ids among those the caller may see come back,
--    with the profile columns (never the password hash or the second factor).
-- 2. organisations_select_staff: gone. A member reads their organisations
--    (organisations_select_member); a city's staff read the organisations
--    with a proposal they see with app_organisations(ids), and find them by
--    name with app_organisations_named(pattern).
-- 3. organisation_members_insert: an owner adds members. The first owner of a
--    new organisation is no longer a policy branch calling
--    app_organisation_is_unclaimed() (a table read inside a policy): sign-up
--    creates the account, the organisation and its first owner with
--    create_account_with_organisation(). One function for the three rows,
--    not a claim after the request's own inserts: Citus refuses a definer's
--    write to a reference table after the request wrote to a related one in
--    the same transaction ("modified in this transaction by a different
--    user"), so the request writes none of them itself.

------------------------------------------------------------------------------
-- Which organisations the caller may see: their own, and for a city's staff
-- those with a proposal the staff member sees (the proposals policies' rule,
-- app_sees_proposal). p_candidates NULL: all of them. Internal: called by the
-- readers below with their owner's rights, not granted to the runtime role.
------------------------------------------------------------------------------
CREATE FUNCTION app_seen_organisation_ids(p_candidates uuid[]) RETURNS uuid[]
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_tenant uuid := public.app_tenant_id();
    v_seen uuid[] := public.app_organisation_ids();
  BEGIN
    IF public.app_staff_role() IS NOT NULL THEN
      -- tenant_id as a value: one shard on Citus.
      v_seen := v_seen || ARRAY(
        SELECT DISTINCT p.organisation_id FROM public.proposals p
         WHERE p.tenant_id = v_tenant
           AND (p_candidates IS NULL OR p.organisation_id = ANY (p_candidates))
           AND public.app_sees_proposal(p.tenant_id, p.organisation_id,
                 p.submitted_at IS NOT NULL OR p.shared_with_city_at IS NOT NULL, p.routed_department_ids));
    END IF;
    RETURN v_seen;
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_seen_organisation_ids(uuid[]) FROM PUBLIC;
--> statement-breakpoint
CREATE FUNCTION app_organisations(p_organisation_ids uuid[]) RETURNS TABLE (id uuid, name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT o.id, o.name FROM public.organisations o
     WHERE o.id = ANY (p_organisation_ids)
       AND o.id = ANY (public.app_seen_organisation_ids(p_organisation_ids))
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_organisations(uuid[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_organisations(uuid[]) TO desk_app;
--> statement-breakpoint
-- The organisations the caller may see whose name (NFKC) matches an ILIKE pattern: the inbox's search.
CREATE FUNCTION app_organisations_named(p_pattern text) RETURNS TABLE (id uuid, name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT o.id, o.name FROM public.organisations o
     WHERE o.id = ANY (public.app_seen_organisation_ids(NULL))
       AND normalize(o.name, NFKC) ILIKE p_pattern
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_organisations_named(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_organisations_named(text) TO desk_app;
--> statement-breakpoint
DROP POLICY organisations_select_staff ON organisations;
--> statement-breakpoint

------------------------------------------------------------------------------
-- Other people: the ids among p_user_ids the caller may see (the rule
-- users_select had), with their profile columns.
------------------------------------------------------------------------------
CREATE FUNCTION app_people(p_user_ids uuid[])
  RETURNS TABLE (id uuid, email text, display_name text, locale text, disabled_at timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_actor text := public.app_actor();
    v_tenant uuid := public.app_tenant_id();
    v_seen uuid[];
  BEGIN
    IF v_actor IS NULL OR p_user_ids IS NULL THEN
      RETURN;
    END IF;
    v_seen := ARRAY[public.app_user_id()];
    -- The members of one's organisations (empty unless the actor is a proposer).
    v_seen := v_seen || ARRAY(
      SELECT om.user_id FROM public.organisation_members om
       WHERE om.organisation_id = ANY (public.app_organisation_ids()) AND om.user_id = ANY (p_user_ids));
    -- The authors of messages the caller may read (the messages policy's rule); the city as a value
    -- where there is one, so that Citus sends the statement to one shard.
    IF v_actor IN ('staff', 'proposer') AND v_tenant IS NOT NULL THEN
      v_seen := v_seen || ARRAY(
        SELECT m.author_user_id FROM public.messages m
         WHERE m.tenant_id = v_tenant AND m.author_user_id = ANY (p_user_ids)
           AND public.app_sees_proposal(m.tenant_id, m.organisation_id, m.city_visible, m.routed_department_ids));
    ELSIF v_actor = 'proposer' THEN
      v_seen := v_seen || ARRAY(
        SELECT m.author_user_id FROM public.messages m
         WHERE m.organisation_id = ANY (public.app_organisation_ids()) AND m.author_user_id = ANY (p_user_ids)
           AND public.app_sees_proposal(m.tenant_id, m.organisation_id, m.city_visible, m.routed_department_ids));
    END IF;
    -- A city's staff: the city's members, and the submitters of the proposals they see.
    IF public.app_staff_role() IS NOT NULL THEN
      v_seen := v_seen || ARRAY(
        SELECT cm.user_id FROM public.city_memberships cm
         WHERE cm.tenant_id = v_tenant AND cm.user_id = ANY (p_user_ids));
      v_seen := v_seen || ARRAY(
        SELECT p.submitter_user_id FROM public.proposals p
         WHERE p.tenant_id = v_tenant AND p.submitter_user_id = ANY (p_user_ids)
           AND public.app_sees_proposal(p.tenant_id, p.organisation_id,
                 p.submitted_at IS NOT NULL OR p.shared_with_city_at IS NOT NULL, p.routed_department_ids));
    END IF;
    RETURN QUERY
      SELECT u.id, u.email, u.display_name, u.locale, u.disabled_at FROM public.users u
       WHERE u.id = ANY (p_user_ids) AND u.id = ANY (v_seen);
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_people(uuid[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_people(uuid[]) TO desk_app;
--> statement-breakpoint
ALTER POLICY users_select ON users USING (app_actor() IS NOT NULL AND id = app_user_id());
--> statement-breakpoint

------------------------------------------------------------------------------
-- Sign-up: the account, its organisation and the first owner, for the
-- context's own new user (the rules of users_insert_self and the old first-
-- owner branch). Returns the organisation's id.
------------------------------------------------------------------------------
CREATE FUNCTION create_account_with_organisation(
    p_email text, p_display_name text, p_locale text, p_password_hash text,
    p_organisation_name text, p_organisation_kind text, p_corporate_number text,
    p_address text, p_contact_person text)
  RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_user uuid := public.app_user_id();
    v_organisation uuid := gen_random_uuid();
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'proposer' OR v_user IS NULL THEN
      RAISE EXCEPTION 'a sign-up runs as its new proposer' USING ERRCODE = '42501';
    END IF;
    INSERT INTO public.users (id, email, display_name, locale, password_hash)
      VALUES (v_user, p_email, p_display_name, p_locale, p_password_hash);
    INSERT INTO public.organisations (id, name, kind, corporate_number, address, contact_person)
      VALUES (v_organisation, p_organisation_name, p_organisation_kind, p_corporate_number, p_address, p_contact_person);
    INSERT INTO public.organisation_members (organisation_id, user_id, role) VALUES (v_organisation, v_user, 'owner');
    RETURN v_organisation;
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION create_account_with_organisation(text, text, text, text, text, text, text, text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION create_account_with_organisation(text, text, text, text, text, text, text, text, text) TO desk_app;
--> statement-breakpoint
ALTER POLICY organisation_members_insert ON organisation_members
  WITH CHECK (organisation_id = ANY (app_owned_organisation_ids()));
--> statement-breakpoint
-- Organisations are created only with their first owner, above.
DROP POLICY organisations_insert ON organisations;
--> statement-breakpoint
DROP FUNCTION app_organisation_is_unclaimed(uuid);
--> statement-breakpoint

------------------------------------------------------------------------------
-- 4. Definers that Citus could not run (found by running the integration
--    suite against the coordinator, pnpm test:citus):
--    - SQL-language functions whose DML uses a parameter ("could not create
--      distributed plan … parameters in SQL functions"): the same statements
--      in PL/pgSQL, where a parameter is a bound value Citus routes by.
--    - app_context_memberships read proposals with its owner's rights for the
--      proposer_in_city flag; app_refresh_context() after a proposer's first
--      draft in a city then read, as another user, the shard the request had
--      just written ("modified in this transaction by a different user"). The
--      flag is now computed by app_set_context itself, as the caller, under
--      the proposals policy (the proposer sees their organisations' proposals
--      of the city: the same rows); the definer's o_proposer_in_city is false.
------------------------------------------------------------------------------
-- now() and the actor as values: Citus refuses a STABLE function in an UPDATE with column references.
CREATE OR REPLACE FUNCTION touch_session(p_session_id text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_now timestamptz := now();
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'system' THEN
      RETURN;
    END IF;
    UPDATE public.sessions s
       SET idle_expires_at = v_now + (s.idle_expires_at - s.last_seen_at),
           expires_at = least(v_now + (s.idle_expires_at - s.last_seen_at), s.absolute_expires_at),
           last_seen_at = v_now
     WHERE s.id = p_session_id AND s.expires_at > v_now AND s.last_seen_at < v_now - interval '30 seconds';
  END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION end_session(p_session_id text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    DELETE FROM public.sessions s WHERE public.app_actor() = 'system' AND s.id = p_session_id;
  END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION revoke_password_reset_tokens(p_user_id uuid) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    UPDATE public.password_reset_tokens t
       SET used_at = now()
     WHERE t.user_id = p_user_id AND t.used_at IS NULL
       AND (public.app_actor() = 'system' OR p_user_id = public.app_user_id());
  END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_context_memberships(
    OUT o_staff_role text, OUT o_department_id uuid, OUT o_organisation_ids uuid[],
    OUT o_owned_organisation_ids uuid[], OUT o_operator boolean, OUT o_city_live boolean,
    OUT o_proposer_in_city boolean)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    p_tenant uuid := public.app_tenant_id();
    p_user uuid := public.app_user_id();
    p_actor text := public.app_actor();
  BEGIN
    o_organisation_ids := '{}';
    o_owned_organisation_ids := '{}';
    o_operator := false;
    o_city_live := false;
    o_proposer_in_city := false; -- computed by app_set_context, as the caller (above)
    IF p_user IS NULL THEN
      RETURN;
    END IF;
    IF p_actor = 'staff' AND p_tenant IS NOT NULL THEN
      SELECT CASE WHEN cm.role IN ('desk_admin', 'desk_staff', 'department_staff') THEN cm.role END,
             CASE WHEN cm.role = 'department_staff' THEN cm.department_id END
        INTO o_staff_role, o_department_id
        FROM public.city_memberships cm JOIN public.users u ON u.id = cm.user_id
       WHERE cm.tenant_id = p_tenant AND cm.user_id = p_user AND u.disabled_at IS NULL;
    ELSIF p_actor = 'proposer' THEN
      SELECT coalesce(array_agg(om.organisation_id ORDER BY om.organisation_id), '{}'),
             coalesce(array_agg(om.organisation_id ORDER BY om.organisation_id) FILTER (WHERE om.role = 'owner'), '{}')
        INTO o_organisation_ids, o_owned_organisation_ids
        FROM public.organisation_members om JOIN public.users u ON u.id = om.user_id
       WHERE om.user_id = p_user AND u.disabled_at IS NULL;
      IF p_tenant IS NOT NULL THEN
        o_city_live := EXISTS (SELECT 1 FROM public.tenants t WHERE t.id = p_tenant AND t.status = 'live');
      END IF;
    ELSIF p_actor = 'operator' THEN
      o_operator := EXISTS (SELECT 1 FROM public.users u
                             WHERE u.id = p_user AND u.platform_role = 'operator' AND u.disabled_at IS NULL);
    END IF;
  END
  $$;
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
