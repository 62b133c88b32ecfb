-- Row-level security Citus accepts (issue 21; docs/decisions/008-tenant-context-on-citus.md).
--
-- Citus 13.2 refuses to distribute a table whose policies contain a subquery
-- ("Subqueries are not supported in policies on distributed tables"), and a
-- policy that calls a function which reads another table cannot run on a
-- shard either (a distributed query from inside a shard query). So from here
-- on a policy compares the row's own columns with the transaction's settings,
-- and nothing else:
--
-- 1. Who the caller is, beyond tenant, user and actor, becomes settings too,
--    computed once per transaction by app_set_context() from the membership
--    tables (a SECURITY DEFINER helper, app_context_memberships): the staff
--    role in the city and its department, the user's organisations and the
--    ones they own, whether they are an enabled operator, whether the city
--    is live, whether their organisations have a proposal in it. The values
--    come from the database, never from the request; ids are uuids and the
--    role one of the three known names before they are written into the SET
--    LOCAL statements (quoted literals). app_staff_role(), app_is_operator()
--    and the new readers are plain SQL over current_setting, inlined by the
--    planner; they read NULL / empty unless the actor matches.
--    Within a transaction that changes the caller's own memberships (sign-up,
--    accepting an invitation) the caller runs app_refresh_context() after the
--    change.
--
-- 2. A proposal's children carry the proposal's deciding columns:
--    organisation_id, city_visible (submitted or shared with the city) and
--    routed_department_ids (the departments it is routed to, kept on the
--    proposal from proposal_departments). A BEFORE trigger copies them from
--    the proposal on every insert and update of a child (whatever the writer
--    sent), and an AFTER trigger on proposals copies changes down to the
--    children; proposal_departments keeps proposals.routed_department_ids.
--    On Citus these triggers run on the shards and touch only co-located
--    shards of the same city (allowed inside triggers, decision 008).
--    One function, app_sees_proposal(tenant, organisation, city_visible,
--    departments), states when a proposal (or a child of it) is visible — the
--    same rule as the proposals policies.
--
-- Same rows for every actor as before; db/isolation.test.ts (the probe suite)
-- checks it. New tenant tables follow this shape (docs/decisions/008).

------------------------------------------------------------------------------
-- 1. The caller's memberships as settings
------------------------------------------------------------------------------
-- Reads the tenant, user and actor just set (a definer takes no tenant as an argument).
CREATE FUNCTION app_context_memberships(
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
    o_proposer_in_city := false;
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
        o_proposer_in_city := EXISTS (SELECT 1 FROM public.proposals p
                                       WHERE p.tenant_id = p_tenant AND p.organisation_id = ANY (o_organisation_ids));
      END IF;
    ELSIF p_actor = 'operator' THEN
      o_operator := EXISTS (SELECT 1 FROM public.users u
                             WHERE u.id = p_user AND u.platform_role = 'operator' AND u.disabled_at IS NULL);
    END IF;
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_context_memberships() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_context_memberships() TO desk_app;
--> statement-breakpoint

-- As in 0020 (SECURITY INVOKER, no SET clause so the SET LOCALs outlive the
-- call), now with the membership settings. Every value written is a uuid, a
-- uuid array, a boolean or one of the known role and actor names.
CREATE OR REPLACE FUNCTION app_set_context(tenant_id uuid, user_id uuid, actor text) RETURNS void
  LANGUAGE plpgsql SECURITY INVOKER VOLATILE
  AS $$
  DECLARE
    m record;
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
    EXECUTE pg_catalog.format('SET LOCAL app.flags = %L',
      concat_ws(',', CASE WHEN m.o_operator THEN 'operator' END, CASE WHEN m.o_city_live THEN 'tenant_live' END,
                     CASE WHEN m.o_proposer_in_city THEN 'proposer_in_city' END));
  END
  $$;
--> statement-breakpoint

-- Recomputes the membership settings after the caller's own memberships
-- changed inside the transaction (sign-up's first owner, an accepted invitation).
CREATE FUNCTION app_refresh_context() RETURNS void
  LANGUAGE plpgsql SECURITY INVOKER VOLATILE
  AS $$
  BEGIN
    PERFORM public.app_set_context(public.app_tenant_id(), public.app_user_id(), public.app_actor());
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_refresh_context() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_refresh_context() TO desk_app;
--> statement-breakpoint

-- Readers (plain SQL, inlined; no table access, so no longer SECURITY DEFINER).
CREATE OR REPLACE FUNCTION app_staff_role() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT CASE WHEN public.app_actor() = 'staff'
                 AND current_setting('app.staff_role', true) IN ('desk_admin', 'desk_staff', 'department_staff')
                THEN current_setting('app.staff_role', true) END
  $$;
--> statement-breakpoint
CREATE FUNCTION app_department_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT CASE WHEN public.app_staff_role() = 'department_staff'
                THEN NULLIF(current_setting('app.department_id', true), '')::uuid END
  $$;
--> statement-breakpoint
CREATE FUNCTION app_organisation_ids() RETURNS uuid[]
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT CASE WHEN public.app_actor() = 'proposer'
                THEN COALESCE(NULLIF(current_setting('app.organisation_ids', true), ''), '{}')::uuid[]
                ELSE '{}'::uuid[] END
  $$;
--> statement-breakpoint
CREATE FUNCTION app_owned_organisation_ids() RETURNS uuid[]
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT CASE WHEN public.app_actor() = 'proposer'
                THEN COALESCE(NULLIF(current_setting('app.owned_organisation_ids', true), ''), '{}')::uuid[]
                ELSE '{}'::uuid[] END
  $$;
--> statement-breakpoint
CREATE FUNCTION app_has_flag(p_flag text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT p_flag = ANY (string_to_array(COALESCE(current_setting('app.flags', true), ''), ','))
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_is_operator() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT public.app_actor() = 'operator' AND public.app_has_flag('operator')
  $$;
--> statement-breakpoint
-- The set-returning forms used by earlier definer functions, now over the settings.
CREATE OR REPLACE FUNCTION app_my_organisation_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY INVOKER
  AS $$ SELECT unnest(public.app_organisation_ids()) $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_my_owned_organisation_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY INVOKER
  AS $$ SELECT unnest(public.app_owned_organisation_ids()) $$;
--> statement-breakpoint
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['app_department_id()', 'app_organisation_ids()', 'app_owned_organisation_ids()', 'app_has_flag(text)'] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO desk_app', f);
  END LOOP;
END
$$;
--> statement-breakpoint

-- Whether the caller sees a proposal with these deciding columns (the rule of
-- the proposals policies below, for a proposal's children).
CREATE FUNCTION app_sees_proposal(p_tenant_id uuid, p_organisation_id uuid, p_city_visible boolean, p_department_ids uuid[])
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT COALESCE(CASE public.app_actor()
      WHEN 'staff' THEN p_tenant_id = public.app_tenant_id() AND p_city_visible
        AND (public.app_staff_role() IN ('desk_admin', 'desk_staff')
             OR (public.app_staff_role() = 'department_staff' AND public.app_department_id() = ANY (p_department_ids)))
      WHEN 'proposer' THEN p_organisation_id = ANY (public.app_organisation_ids())
        AND (public.app_tenant_id() IS NULL OR p_tenant_id = public.app_tenant_id())
    END, false)
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_sees_proposal(uuid, uuid, boolean, uuid[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_sees_proposal(uuid, uuid, boolean, uuid[]) TO desk_app;
--> statement-breakpoint

------------------------------------------------------------------------------
-- 2. The deciding columns on the children
------------------------------------------------------------------------------
ALTER TABLE proposals ADD COLUMN routed_department_ids uuid[] NOT NULL DEFAULT '{}';
--> statement-breakpoint
UPDATE proposals p SET routed_department_ids = ARRAY(
  SELECT pd.department_id FROM proposal_departments pd
   WHERE pd.tenant_id = p.tenant_id AND pd.proposal_id = p.id ORDER BY pd.department_id)
 WHERE EXISTS (SELECT 1 FROM proposal_departments pd WHERE pd.tenant_id = p.tenant_id AND pd.proposal_id = p.id);
--> statement-breakpoint
ALTER TABLE themes ADD COLUMN proposer_organisation_ids uuid[] NOT NULL DEFAULT '{}';
--> statement-breakpoint
UPDATE themes th SET proposer_organisation_ids = ARRAY(
  SELECT DISTINCT p.organisation_id FROM proposals p
   WHERE p.tenant_id = th.tenant_id AND p.theme_id = th.id ORDER BY 1)
 WHERE EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = th.tenant_id AND p.theme_id = th.id);
--> statement-breakpoint
ALTER TABLE case_images ADD COLUMN case_status text, ADD COLUMN case_published_at timestamp with time zone;
--> statement-breakpoint
UPDATE case_images ci SET case_status = c.status, case_published_at = c.published_at
  FROM published_cases c WHERE c.tenant_id = ci.tenant_id AND c.id = ci.case_id;
--> statement-breakpoint

-- Copies the proposal's deciding columns onto a child row (BEFORE INSERT OR
-- UPDATE): whatever the writer sent, the row carries its proposal's values.
-- No proposal (a child of none, or a wrong id the foreign key then refuses):
-- no organisation, not visible to the city.
CREATE FUNCTION copy_proposal_access() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    p record;
  BEGIN
    SELECT pr.organisation_id, (pr.submitted_at IS NOT NULL OR pr.shared_with_city_at IS NOT NULL) AS city_visible,
           pr.routed_department_ids
      INTO p
      FROM public.proposals pr
     WHERE pr.tenant_id = NEW.tenant_id AND pr.id = NEW.proposal_id;
    NEW.organisation_id := p.organisation_id;
    NEW.city_visible := COALESCE(p.city_visible, false);
    NEW.routed_department_ids := COALESCE(p.routed_department_ids, '{}');
    RETURN NEW;
  END
  $$;
--> statement-breakpoint

-- Copies a proposal's changed deciding columns down to its children (AFTER
-- UPDATE on proposals). The child tables are the trigger's arguments. Only
-- tables with a differing row are updated (a statement-level guard, such as
-- 0017's on disclosure_request_internals, then never sees an empty update).
CREATE FUNCTION propagate_proposal_access() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    child text;
    visible boolean := NEW.submitted_at IS NOT NULL OR NEW.shared_with_city_at IS NOT NULL;
    differs boolean;
  BEGIN
    FOREACH child IN ARRAY TG_ARGV LOOP
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I WHERE tenant_id = $1 AND proposal_id = $2
                        AND (organisation_id, city_visible, routed_department_ids) IS DISTINCT FROM ($3, $4, $5))', child)
        INTO differs USING NEW.tenant_id, NEW.id, NEW.organisation_id, visible, NEW.routed_department_ids;
      IF differs THEN
        EXECUTE format('UPDATE public.%I SET organisation_id = $3, city_visible = $4, routed_department_ids = $5
                         WHERE tenant_id = $1 AND proposal_id = $2', child)
          USING NEW.tenant_id, NEW.id, NEW.organisation_id, visible, NEW.routed_department_ids;
      END IF;
    END LOOP;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint

-- proposals.routed_department_ids follows proposal_departments.
CREATE FUNCTION keep_routed_departments() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    r record;
  BEGIN
    FOR r IN SELECT DISTINCT x.tenant_id, x.proposal_id
               FROM (SELECT OLD.tenant_id, OLD.proposal_id WHERE TG_OP <> 'INSERT'
                     UNION ALL SELECT NEW.tenant_id, NEW.proposal_id WHERE TG_OP <> 'DELETE') x LOOP
      UPDATE public.proposals p SET routed_department_ids = ARRAY(
        SELECT pd.department_id FROM public.proposal_departments pd
         WHERE pd.tenant_id = r.tenant_id AND pd.proposal_id = r.proposal_id ORDER BY pd.department_id)
       WHERE p.tenant_id = r.tenant_id AND p.id = r.proposal_id;
    END LOOP;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint

-- themes.proposer_organisation_ids: the organisations with a proposal answering the theme.
CREATE FUNCTION keep_theme_proposers() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    r record;
  BEGIN
    FOR r IN SELECT DISTINCT x.tenant_id, x.theme_id
               FROM (SELECT OLD.tenant_id, OLD.theme_id WHERE TG_OP <> 'INSERT'
                     UNION ALL SELECT NEW.tenant_id, NEW.theme_id WHERE TG_OP <> 'DELETE') x
              WHERE x.theme_id IS NOT NULL LOOP
      UPDATE public.themes th SET proposer_organisation_ids = ARRAY(
        SELECT DISTINCT p.organisation_id FROM public.proposals p
         WHERE p.tenant_id = r.tenant_id AND p.theme_id = r.theme_id ORDER BY 1)
       WHERE th.tenant_id = r.tenant_id AND th.id = r.theme_id;
    END LOOP;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint

-- case_images carry their case's status and publication time.
CREATE FUNCTION copy_case_visibility() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    SELECT c.status, c.published_at INTO NEW.case_status, NEW.case_published_at
      FROM public.published_cases c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.case_id;
    RETURN NEW;
  END
  $$;
--> statement-breakpoint
CREATE FUNCTION propagate_case_visibility() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    UPDATE public.case_images ci SET case_status = NEW.status, case_published_at = NEW.published_at
     WHERE ci.tenant_id = NEW.tenant_id AND ci.case_id = NEW.id;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['copy_proposal_access()', 'propagate_proposal_access()', 'keep_routed_departments()',
                           'keep_theme_proposers()', 'copy_case_visibility()', 'propagate_case_visibility()'] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
  END LOOP;
END
$$;
--> statement-breakpoint

DO $$
DECLARE
  child text;
  children text[] := ARRAY['agreements', 'attachments', 'disclosure_documents', 'disclosure_request_internals',
    'disclosure_requests', 'eligibility_screenings', 'experiment_checklist', 'experiment_permits', 'experiments',
    'implementation_milestones', 'implementation_notes', 'internal_notes', 'know_how_entries', 'message_reads',
    'messages', 'proposal_departments', 'proposal_events', 'published_cases'];
BEGIN
  FOREACH child IN ARRAY children LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN organisation_id uuid, ADD COLUMN city_visible boolean NOT NULL DEFAULT false,
                      ADD COLUMN routed_department_ids uuid[] NOT NULL DEFAULT %L', child, '{}');
    EXECUTE format('UPDATE %I c SET organisation_id = p.organisation_id,
                      city_visible = (p.submitted_at IS NOT NULL OR p.shared_with_city_at IS NOT NULL),
                      routed_department_ids = p.routed_department_ids
                      FROM proposals p WHERE p.tenant_id = c.tenant_id AND p.id = c.proposal_id', child);
    EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION copy_proposal_access()',
                   child || '_proposal_access', child);
  END LOOP;
  EXECUTE format('CREATE TRIGGER proposals_propagate_access AFTER UPDATE OF organisation_id, submitted_at, shared_with_city_at, routed_department_ids
                    ON proposals FOR EACH ROW
                    WHEN ((OLD.organisation_id, OLD.submitted_at IS NOT NULL OR OLD.shared_with_city_at IS NOT NULL, OLD.routed_department_ids)
                          IS DISTINCT FROM (NEW.organisation_id, NEW.submitted_at IS NOT NULL OR NEW.shared_with_city_at IS NOT NULL, NEW.routed_department_ids))
                    EXECUTE FUNCTION propagate_proposal_access(%s)',
                 (SELECT string_agg(quote_literal(c), ', ') FROM unnest(children) c));
END
$$;
--> statement-breakpoint
CREATE TRIGGER proposal_departments_routed AFTER INSERT OR UPDATE OR DELETE ON proposal_departments
  FOR EACH ROW EXECUTE FUNCTION keep_routed_departments();
--> statement-breakpoint
CREATE TRIGGER proposals_theme_proposers AFTER INSERT OR DELETE OR UPDATE OF theme_id, organisation_id ON proposals
  FOR EACH ROW EXECUTE FUNCTION keep_theme_proposers();
--> statement-breakpoint
CREATE TRIGGER case_images_case_visibility BEFORE INSERT OR UPDATE ON case_images
  FOR EACH ROW EXECUTE FUNCTION copy_case_visibility();
--> statement-breakpoint
CREATE TRIGGER published_cases_propagate_visibility AFTER UPDATE OF status, published_at ON published_cases
  FOR EACH ROW WHEN ((OLD.status, OLD.published_at) IS DISTINCT FROM (NEW.status, NEW.published_at))
  EXECUTE FUNCTION propagate_case_visibility();
--> statement-breakpoint
-- A know-how mark names its note's proposal (the policy used to check it with a subquery).
ALTER TABLE internal_notes ADD CONSTRAINT internal_notes_tenant_id_id_proposal_id_unique UNIQUE (tenant_id, id, proposal_id);
--> statement-breakpoint
ALTER TABLE know_how_entries ADD CONSTRAINT know_how_entries_note_proposal_fk FOREIGN KEY (tenant_id, internal_note_id, proposal_id)
  REFERENCES internal_notes (tenant_id, id, proposal_id) ON DELETE CASCADE;
--> statement-breakpoint

------------------------------------------------------------------------------
-- 3. The policies, rewritten: the row's columns against the settings
------------------------------------------------------------------------------
ALTER POLICY proposals_staff ON proposals USING (
  CASE WHEN tenant_id = app_tenant_id() THEN true ELSE false END
  AND (submitted_at IS NOT NULL OR shared_with_city_at IS NOT NULL)
  AND (app_staff_role() IN ('desk_admin', 'desk_staff')
       OR (app_staff_role() = 'department_staff' AND app_department_id() = ANY (routed_department_ids))));
--> statement-breakpoint
ALTER POLICY proposals_staff_update ON proposals
  USING (
    CASE WHEN tenant_id = app_tenant_id() THEN true ELSE false END
    AND (submitted_at IS NOT NULL OR shared_with_city_at IS NOT NULL)
    AND (app_staff_role() IN ('desk_admin', 'desk_staff')
         OR (app_staff_role() = 'department_staff' AND app_department_id() = ANY (routed_department_ids))))
  WITH CHECK (
    CASE WHEN tenant_id = app_tenant_id() THEN true ELSE false END
    AND (submitted_at IS NOT NULL OR shared_with_city_at IS NOT NULL)
    AND (app_staff_role() IN ('desk_admin', 'desk_staff')
         OR (app_staff_role() = 'department_staff' AND app_department_id() = ANY (routed_department_ids))));
--> statement-breakpoint
ALTER POLICY proposals_proposer ON proposals USING (
  app_actor() = 'proposer' AND organisation_id = ANY (app_organisation_ids())
  AND (app_tenant_id() IS NULL OR tenant_id = app_tenant_id()));
--> statement-breakpoint
ALTER POLICY proposals_proposer_insert ON proposals WITH CHECK (
  app_actor() = 'proposer' AND tenant_id = app_tenant_id()
  AND organisation_id = ANY (app_organisation_ids()) AND submitter_user_id = app_user_id()
  AND app_has_flag('tenant_live'));
--> statement-breakpoint
ALTER POLICY proposals_proposer_update ON proposals
  USING (app_actor() = 'proposer' AND tenant_id = app_tenant_id() AND organisation_id = ANY (app_organisation_ids()))
  WITH CHECK (app_actor() = 'proposer' AND tenant_id = app_tenant_id() AND organisation_id = ANY (app_organisation_ids())
    AND app_has_flag('tenant_live'));
--> statement-breakpoint
ALTER POLICY proposals_proposer_delete ON proposals USING (
  app_actor() = 'proposer' AND tenant_id = app_tenant_id() AND submitted_at IS NULL
  AND organisation_id = ANY (app_organisation_ids()));
--> statement-breakpoint
ALTER POLICY themes_select_proposer ON themes USING (
  app_actor() = 'proposer' AND proposer_organisation_ids && app_organisation_ids()
  AND (app_tenant_id() IS NULL OR tenant_id = app_tenant_id()));
--> statement-breakpoint
ALTER POLICY case_images_delete_desk ON case_images
  USING (tenant_id = app_tenant_id() AND app_staff_role() IN ('desk_admin', 'desk_staff'));
--> statement-breakpoint
ALTER POLICY case_images_insert_desk ON case_images WITH CHECK (
  tenant_id = app_tenant_id() AND app_staff_role() IN ('desk_admin', 'desk_staff') AND uploaded_by = app_user_id()
  AND case_status IS NOT NULL);
--> statement-breakpoint
ALTER POLICY case_images_select ON case_images USING (
  tenant_id = app_tenant_id() AND app_actor() IN ('staff', 'public', 'proposer')
  AND (app_staff_role() IN ('desk_admin', 'desk_staff')
       OR (app_actor() IN ('public', 'proposer') AND case_status = 'published' AND case_published_at <= now())));
--> statement-breakpoint
ALTER POLICY notification_outbox_insert ON notification_outbox WITH CHECK (
  tenant_id = app_tenant_id()
  AND (app_staff_role() IS NOT NULL OR (app_actor() = 'proposer' AND app_has_flag('proposer_in_city'))));
--> statement-breakpoint
ALTER POLICY organisations_select_staff ON organisations
  USING (app_staff_role() IS NOT NULL
         AND EXISTS (SELECT 1 FROM proposals p
                      WHERE p.tenant_id = app_tenant_id() AND p.organisation_id = organisations.id));
--> statement-breakpoint
ALTER POLICY agreements_select ON agreements
  USING ((app_actor() = ANY (ARRAY['staff'::text, 'proposer'::text])) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY agreements_update_desk ON agreements
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])))
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])) AND (recorded_by = app_user_id()));
--> statement-breakpoint
ALTER POLICY agreements_write_desk ON agreements
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])) AND (recorded_by = app_user_id()) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY attachments_insert ON attachments
  WITH CHECK ((tenant_id = app_tenant_id()) AND (uploaded_by = app_user_id()) AND ((app_actor() = 'staff'::text) OR ((app_actor() = 'proposer'::text) AND (visibility = 'shared'::text))) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY attachments_select ON attachments
  USING (((app_actor() = 'staff'::text) OR ((app_actor() = 'proposer'::text) AND (visibility = 'shared'::text))) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY audit_log_insert ON audit_log
  WITH CHECK ((tenant_id = app_tenant_id()) AND (((app_staff_role() IS NOT NULL) AND (actor_user_id = app_user_id())) OR ((app_actor() = 'proposer'::text) AND (app_user_id() IS NOT NULL) AND (actor_user_id = app_user_id())) OR ((app_actor() = 'system'::text) AND (actor_user_id IS NULL))));
--> statement-breakpoint
ALTER POLICY audit_log_select_desk ON audit_log
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])));
--> statement-breakpoint
ALTER POLICY city_memberships_select_staff ON city_memberships
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() IS NOT NULL));
--> statement-breakpoint
ALTER POLICY city_memberships_write_admin ON city_memberships
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() = 'desk_admin'::text))
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = 'desk_admin'::text));
--> statement-breakpoint
ALTER POLICY disclosure_documents_insert_desk ON disclosure_documents
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY disclosure_documents_select ON disclosure_documents
  USING ((app_actor() = ANY (ARRAY['staff'::text, 'proposer'::text])) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY disclosure_documents_update ON disclosure_documents
  USING ((tenant_id = app_tenant_id()) AND ((app_actor() = 'proposer'::text) OR (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text]))) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)))
  WITH CHECK ((tenant_id = app_tenant_id()) AND ((app_actor() = 'proposer'::text) OR (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text]))));
--> statement-breakpoint
ALTER POLICY disclosure_request_internals_insert_desk ON disclosure_request_internals
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY disclosure_request_internals_select ON disclosure_request_internals
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() IS NOT NULL) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY disclosure_request_internals_update_desk ON disclosure_request_internals
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])))
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])));
--> statement-breakpoint
ALTER POLICY disclosure_requests_insert_desk ON disclosure_requests
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])) AND (created_by = app_user_id()) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY disclosure_requests_select ON disclosure_requests
  USING ((app_actor() = ANY (ARRAY['staff'::text, 'proposer'::text])) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY disclosure_requests_update ON disclosure_requests
  USING ((tenant_id = app_tenant_id()) AND ((app_actor() = 'proposer'::text) OR (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text]))) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)))
  WITH CHECK ((tenant_id = app_tenant_id()) AND ((app_actor() = 'proposer'::text) OR (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text]))));
--> statement-breakpoint
ALTER POLICY eligibility_screenings_select_staff ON eligibility_screenings
  USING ((app_actor() = 'staff'::text) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY eligibility_screenings_update_desk ON eligibility_screenings
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])))
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])) AND (staff_user_id = app_user_id()));
--> statement-breakpoint
ALTER POLICY eligibility_screenings_write_desk ON eligibility_screenings
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])) AND (staff_user_id = app_user_id()) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY experiment_checklist_insert ON experiment_checklist
  WITH CHECK ((tenant_id = app_tenant_id()) AND (updated_by = app_user_id()) AND (((app_actor() = 'proposer'::text) AND (lane = 'proposer'::text)) OR (app_staff_role() IS NOT NULL)) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY experiment_checklist_select ON experiment_checklist
  USING ((app_actor() = ANY (ARRAY['staff'::text, 'proposer'::text])) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY experiment_checklist_update ON experiment_checklist
  USING ((tenant_id = app_tenant_id()) AND (((app_actor() = 'proposer'::text) AND (lane = 'proposer'::text)) OR (app_staff_role() IS NOT NULL)) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)))
  WITH CHECK ((tenant_id = app_tenant_id()) AND (updated_by = app_user_id()) AND (((app_actor() = 'proposer'::text) AND (lane = 'proposer'::text)) OR (app_staff_role() IS NOT NULL)));
--> statement-breakpoint
ALTER POLICY experiment_permits_insert ON experiment_permits
  WITH CHECK ((tenant_id = app_tenant_id()) AND (recorded_by = app_user_id()) AND ((app_actor() = 'proposer'::text) OR (app_staff_role() IS NOT NULL)) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY experiment_permits_select ON experiment_permits
  USING ((app_actor() = ANY (ARRAY['staff'::text, 'proposer'::text])) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY experiments_insert ON experiments
  WITH CHECK ((tenant_id = app_tenant_id()) AND ((app_actor() = 'proposer'::text) OR (app_staff_role() IS NOT NULL)) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY experiments_select ON experiments
  USING ((app_actor() = ANY (ARRAY['staff'::text, 'proposer'::text])) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY experiments_update ON experiments
  USING ((tenant_id = app_tenant_id()) AND ((app_actor() = 'proposer'::text) OR (app_staff_role() IS NOT NULL)) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)))
  WITH CHECK ((tenant_id = app_tenant_id()) AND ((app_actor() = 'proposer'::text) OR (app_staff_role() IS NOT NULL)));
--> statement-breakpoint
ALTER POLICY implementation_milestones_insert_staff ON implementation_milestones
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() IS NOT NULL) AND (created_by = app_user_id()) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY implementation_milestones_select ON implementation_milestones
  USING ((app_actor() = ANY (ARRAY['staff'::text, 'proposer'::text])) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY implementation_milestones_update_staff ON implementation_milestones
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() IS NOT NULL) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)))
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() IS NOT NULL));
--> statement-breakpoint
ALTER POLICY implementation_notes_insert ON implementation_notes
  WITH CHECK ((tenant_id = app_tenant_id()) AND (author_user_id = app_user_id()) AND (((app_actor() = 'staff'::text) AND (author_side = 'city'::text)) OR ((app_actor() = 'proposer'::text) AND (author_side = 'proposer'::text))) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY implementation_notes_select ON implementation_notes
  USING ((app_actor() = ANY (ARRAY['staff'::text, 'proposer'::text])) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY internal_notes_staff_insert ON internal_notes
  WITH CHECK ((app_actor() = 'staff'::text) AND (tenant_id = app_tenant_id()) AND (author_user_id = app_user_id()) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY internal_notes_staff_select ON internal_notes
  USING ((app_actor() = 'staff'::text) AND (tenant_id = app_tenant_id()) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY invitations_admin ON invitations
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() = 'desk_admin'::text))
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = 'desk_admin'::text));
--> statement-breakpoint
ALTER POLICY know_how_entries_staff_delete ON know_how_entries
  USING ((app_actor() = 'staff'::text) AND (tenant_id = app_tenant_id()) AND (app_staff_role() IS NOT NULL) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY know_how_entries_staff_insert ON know_how_entries
  WITH CHECK ((app_actor() = 'staff'::text) AND (tenant_id = app_tenant_id()) AND (app_staff_role() IS NOT NULL) AND (marked_by = app_user_id()) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY know_how_entries_staff_select ON know_how_entries
  USING ((app_actor() = 'staff'::text) AND (tenant_id = app_tenant_id()) AND (app_staff_role() IS NOT NULL) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY know_how_entries_staff_update ON know_how_entries
  USING ((app_actor() = 'staff'::text) AND (tenant_id = app_tenant_id()) AND (app_staff_role() IS NOT NULL) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)))
  WITH CHECK ((app_actor() = 'staff'::text) AND (tenant_id = app_tenant_id()) AND (app_staff_role() IS NOT NULL) AND (marked_by = app_user_id()) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY message_reads_select_self ON message_reads
  USING ((app_actor() = ANY (ARRAY['staff'::text, 'proposer'::text])) AND (user_id = app_user_id()) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY message_reads_write_self ON message_reads
  WITH CHECK ((app_actor() = ANY (ARRAY['staff'::text, 'proposer'::text])) AND (user_id = app_user_id()) AND (tenant_id = app_tenant_id()) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY messages_insert ON messages
  WITH CHECK ((tenant_id = app_tenant_id()) AND (author_user_id = app_user_id()) AND (((app_actor() = 'staff'::text) AND (author_side = 'city'::text)) OR ((app_actor() = 'proposer'::text) AND (author_side = 'proposer'::text))) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY messages_select ON messages
  USING ((app_actor() = ANY (ARRAY['staff'::text, 'proposer'::text])) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY organisation_invitations_owner ON organisation_invitations
  USING ((organisation_id = ANY (app_owned_organisation_ids())))
  WITH CHECK ((organisation_id = ANY (app_owned_organisation_ids())));
--> statement-breakpoint
ALTER POLICY organisation_members_delete ON organisation_members
  USING (((organisation_id = ANY (app_owned_organisation_ids()))) OR ((app_actor() = 'proposer'::text) AND (user_id = app_user_id())));
--> statement-breakpoint
ALTER POLICY organisation_members_insert ON organisation_members
  WITH CHECK (((organisation_id = ANY (app_owned_organisation_ids()))) OR ((app_actor() = 'proposer'::text) AND (user_id = app_user_id()) AND (role = 'owner'::text) AND app_organisation_is_unclaimed(organisation_id)));
--> statement-breakpoint
ALTER POLICY organisation_members_select ON organisation_members
  USING ((organisation_id = ANY (app_organisation_ids())));
--> statement-breakpoint
ALTER POLICY organisation_members_update_owner ON organisation_members
  USING ((organisation_id = ANY (app_owned_organisation_ids())))
  WITH CHECK ((organisation_id = ANY (app_owned_organisation_ids())));
--> statement-breakpoint
ALTER POLICY organisations_select_member ON organisations
  USING ((id = ANY (app_organisation_ids())));
--> statement-breakpoint
ALTER POLICY organisations_update_owner ON organisations
  USING ((id = ANY (app_owned_organisation_ids())))
  WITH CHECK ((id = ANY (app_owned_organisation_ids())));
--> statement-breakpoint
ALTER POLICY platform_audit_log_select_operator ON platform_audit_log
  USING (app_is_operator());
--> statement-breakpoint
ALTER POLICY proposal_departments_select ON proposal_departments
  USING ((app_actor() = 'staff'::text) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY proposal_departments_write_desk ON proposal_departments
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])))
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY proposal_events_insert ON proposal_events
  WITH CHECK ((tenant_id = app_tenant_id()) AND (actor_user_id = app_user_id()) AND (((app_actor() = 'staff'::text) AND (actor_side = ANY (ARRAY['desk'::text, 'department'::text]))) OR ((app_actor() = 'proposer'::text) AND (actor_side = 'proposer'::text))) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY proposal_events_select ON proposal_events
  USING (((app_actor() = 'staff'::text) OR ((app_actor() = 'proposer'::text) AND visible_to_proposer)) AND (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids)));
--> statement-breakpoint
ALTER POLICY published_cases_insert_desk ON published_cases
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])) AND ((proposal_id IS NULL) OR (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids))));
--> statement-breakpoint
ALTER POLICY published_cases_select_staff ON published_cases
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])));
--> statement-breakpoint
ALTER POLICY published_cases_update_desk ON published_cases
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])))
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])));
--> statement-breakpoint
ALTER POLICY tenants_select ON tenants
  USING ((app_actor() IS NOT NULL) AND ((status = 'live'::text) OR app_is_operator() OR ((id = app_tenant_id()) AND (app_staff_role() IS NOT NULL))));
--> statement-breakpoint
ALTER POLICY themes_select_staff ON themes
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() IS NOT NULL));
--> statement-breakpoint
ALTER POLICY themes_write_desk ON themes
  USING ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])))
  WITH CHECK ((tenant_id = app_tenant_id()) AND (app_staff_role() = ANY (ARRAY['desk_admin'::text, 'desk_staff'::text])));
