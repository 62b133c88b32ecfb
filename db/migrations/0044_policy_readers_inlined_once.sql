-- The policies' readers, each inlined once (issue 19: the RLS cost on the inbox, docs/performance.md).
--
-- PostgreSQL inlines a SQL reader into every policy that calls it, and it parses and analyses the reader's
-- source text again for each call, and again for each reader that reader calls: nothing of it is cached.
-- The runtime pool plans every statement afresh (force_custom_plan, db/runtime.ts), so this is paid on
-- every statement. app_sees_proposal() called app_actor(), app_tenant_id() twice, app_staff_role() twice,
-- app_department_id() (which called app_staff_role() again) and app_organisation_ids() (which called
-- app_actor() again): eleven parses for each table whose policy calls it, and the inbox's rows statement
-- reads three such tables. Planning it took 0.72 ms as desk staff against 0.16 ms without RLS; with the
-- readers below 0.41 ms (medians of 450, interleaved, 10,000-proposal city).
--
-- So:
-- 1. Readers read the settings themselves; none calls another reader. Each gives the same answer as
--    before for every setting (db/context-readers.test.ts compares them with their former definitions).
-- 2. A CASE on a setting reads it once for all its branches, where `reader() IN (…) OR reader() = …`
--    read it once per test. Every policy evaluates its reader for each row it checks.
-- 3. The proposals table's read policies call one reader each, and the read policies that tested
--    `app_actor() IN ('staff', 'proposer')` before app_sees_proposal() no longer do: app_sees_proposal()
--    is false for any other actor, so each policy admits exactly the rows it admitted.
--
-- The planner's estimates keep the inbox's ordered scans that stop after 50 rows (migration 0009); the
-- inbox without a state filter now takes one too (the submitted-at index) instead of a sequential scan.

CREATE OR REPLACE FUNCTION app_department_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT CASE WHEN current_setting('app.actor', true) = 'staff'
                 AND current_setting('app.staff_role', true) = 'department_staff'
                THEN NULLIF(current_setting('app.department_id', true), '')::uuid END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_organisation_ids() RETURNS uuid[]
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT CASE WHEN current_setting('app.actor', true) = 'proposer'
                THEN COALESCE(NULLIF(current_setting('app.organisation_ids', true), ''), '{}')::uuid[]
                ELSE '{}'::uuid[] END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_owned_organisation_ids() RETURNS uuid[]
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT CASE WHEN current_setting('app.actor', true) = 'proposer'
                THEN COALESCE(NULLIF(current_setting('app.owned_organisation_ids', true), ''), '{}')::uuid[]
                ELSE '{}'::uuid[] END
  $$;
--> statement-breakpoint
-- Whether the city's staff see a proposal (its tenant, whether it was submitted or shared, the departments
-- it is routed to): the proposals' staff policy, and the staff branch of app_sees_proposal() below.
CREATE FUNCTION app_staff_sees_proposal(p_tenant_id uuid, p_city_visible boolean, p_department_ids uuid[])
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT CASE WHEN p_tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid AND p_city_visible
                 AND current_setting('app.actor', true) = 'staff'
                THEN CASE current_setting('app.staff_role', true)
                       WHEN 'desk_admin' THEN true
                       WHEN 'desk_staff' THEN true
                       WHEN 'department_staff'
                         THEN COALESCE(NULLIF(current_setting('app.department_id', true), '')::uuid = ANY (p_department_ids), false)
                       ELSE false END
                ELSE false END
  $$;
--> statement-breakpoint
-- Whether a proposer sees a proposal: one of their organisations', in the city of the request if it names one.
CREATE FUNCTION app_proposer_sees_proposal(p_tenant_id uuid, p_organisation_id uuid) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT current_setting('app.actor', true) = 'proposer'
       AND p_organisation_id = ANY (COALESCE(NULLIF(current_setting('app.organisation_ids', true), ''), '{}')::uuid[])
       AND (NULLIF(current_setting('app.tenant_id', true), '') IS NULL
            OR p_tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_staff_sees_proposal(uuid, boolean, uuid[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_staff_sees_proposal(uuid, boolean, uuid[]) TO desk_app;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_proposer_sees_proposal(uuid, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_proposer_sees_proposal(uuid, uuid) TO desk_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_sees_proposal(p_tenant_id uuid, p_organisation_id uuid, p_city_visible boolean, p_department_ids uuid[])
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT CASE current_setting('app.actor', true)
      WHEN 'staff' THEN
        CASE WHEN p_tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid AND p_city_visible
             THEN CASE current_setting('app.staff_role', true)
                    WHEN 'desk_admin' THEN true
                    WHEN 'desk_staff' THEN true
                    WHEN 'department_staff'
                      THEN COALESCE(NULLIF(current_setting('app.department_id', true), '')::uuid = ANY (p_department_ids), false)
                    ELSE false END
             ELSE false END
      WHEN 'proposer' THEN
        COALESCE(p_organisation_id = ANY (COALESCE(NULLIF(current_setting('app.organisation_ids', true), ''), '{}')::uuid[])
                 AND (NULLIF(current_setting('app.tenant_id', true), '') IS NULL
                      OR p_tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid), false)
      ELSE false END
  $$;
--> statement-breakpoint
ALTER POLICY proposals_staff ON proposals USING (
  app_staff_sees_proposal(tenant_id, submitted_at IS NOT NULL OR shared_with_city_at IS NOT NULL, routed_department_ids));
--> statement-breakpoint
ALTER POLICY proposals_staff_update ON proposals
  USING (app_staff_sees_proposal(tenant_id, submitted_at IS NOT NULL OR shared_with_city_at IS NOT NULL, routed_department_ids))
  WITH CHECK (app_staff_sees_proposal(tenant_id, submitted_at IS NOT NULL OR shared_with_city_at IS NOT NULL, routed_department_ids));
--> statement-breakpoint
ALTER POLICY proposals_proposer ON proposals USING (app_proposer_sees_proposal(tenant_id, organisation_id));
--> statement-breakpoint
ALTER POLICY messages_select ON messages
  USING (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids));
--> statement-breakpoint
ALTER POLICY message_reads_select_self ON message_reads
  USING (user_id = app_user_id() AND app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids));
--> statement-breakpoint
ALTER POLICY agreements_select ON agreements
  USING (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids));
--> statement-breakpoint
ALTER POLICY disclosure_documents_select ON disclosure_documents
  USING (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids));
--> statement-breakpoint
ALTER POLICY disclosure_requests_select ON disclosure_requests
  USING (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids));
--> statement-breakpoint
ALTER POLICY experiment_checklist_select ON experiment_checklist
  USING (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids));
--> statement-breakpoint
ALTER POLICY experiment_permits_select ON experiment_permits
  USING (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids));
--> statement-breakpoint
ALTER POLICY experiments_select ON experiments
  USING (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids));
--> statement-breakpoint
ALTER POLICY implementation_milestones_select ON implementation_milestones
  USING (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids));
--> statement-breakpoint
ALTER POLICY implementation_notes_select ON implementation_notes
  USING (app_sees_proposal(tenant_id, organisation_id, city_visible, routed_department_ids));
--> statement-breakpoint
-- The operator's reader, read directly too (the same answer: app_actor() = 'operator' is NULL for an unknown
-- actor, and so is the CASE here).
CREATE OR REPLACE FUNCTION app_is_operator() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT CASE WHEN current_setting('app.actor', true) IN ('staff', 'proposer', 'public', 'operator', 'system')
                THEN current_setting('app.actor', true) = 'operator' END
       AND 'operator' = ANY (string_to_array(COALESCE(current_setting('app.flags', true), ''), ','))
  $$;
