-- The city test of the policies' per-row readers compares text with text (issue 19: the RLS cost on the inbox,
-- docs/performance.md, "the policies' readers (session 14)").
--
-- `tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid` converts the setting from text to uuid
-- for every row it checks: on the inbox's count (1,192 rows) the city test alone cost 0.39 ms of the statement's
-- 0.62, most of it that conversion. `tenant_id::text = current_setting('app.tenant_id', true)` writes the row's
-- uuid instead, which costs less than reading one (0.23 ms). app_set_context() writes app.tenant_id from a uuid
-- (`tenant_id::text`), in the same canonical form, so for every setting it makes the readers admit the same rows;
-- a setting written any other way (upper case, braces, not a uuid) now matches no row, where the cast matched
-- or failed the statement (db/context-readers.test.ts). app_tenant_id() keeps its uuid: the policies that test
-- `tenant_id = app_tenant_id()` on their own let the planner evaluate it once, as an index condition.

CREATE OR REPLACE FUNCTION app_staff_sees_proposal(p_tenant_id uuid, p_city_visible boolean, p_department_ids uuid[])
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT CASE WHEN p_tenant_id::text = current_setting('app.tenant_id', true) AND p_city_visible
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
CREATE OR REPLACE FUNCTION app_proposer_sees_proposal(p_tenant_id uuid, p_organisation_id uuid) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT current_setting('app.actor', true) = 'proposer'
       AND p_organisation_id = ANY (COALESCE(NULLIF(current_setting('app.organisation_ids', true), ''), '{}')::uuid[])
       AND (COALESCE(current_setting('app.tenant_id', true), '') = ''
            OR p_tenant_id::text = current_setting('app.tenant_id', true))
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_sees_proposal(p_tenant_id uuid, p_organisation_id uuid, p_city_visible boolean, p_department_ids uuid[])
  RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT CASE current_setting('app.actor', true)
      WHEN 'staff' THEN
        CASE WHEN p_tenant_id::text = current_setting('app.tenant_id', true) AND p_city_visible
             THEN CASE current_setting('app.staff_role', true)
                    WHEN 'desk_admin' THEN true
                    WHEN 'desk_staff' THEN true
                    WHEN 'department_staff'
                      THEN COALESCE(NULLIF(current_setting('app.department_id', true), '')::uuid = ANY (p_department_ids), false)
                    ELSE false END
             ELSE false END
      WHEN 'proposer' THEN
        COALESCE(p_organisation_id = ANY (COALESCE(NULLIF(current_setting('app.organisation_ids', true), ''), '{}')::uuid[])
                 AND (COALESCE(current_setting('app.tenant_id', true), '') = ''
                      OR p_tenant_id::text = current_setting('app.tenant_id', true)), false)
      ELSE false END
  $$;
