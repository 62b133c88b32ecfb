-- app_staff_role(), the reader every staff policy evaluates for each row it checks, asked for
-- app.actor twice (through app_actor(), which checks the name is one of the five actors and
-- then reads it again) and app.staff_role twice. A current_setting() is a lookup by name each
-- time; on the inbox's count (1,192 rows of a 10,000-proposal city) the policy was most of the
-- statement's time under RLS (docs/performance.md, "the inbox (session 13)"). The actor is now
-- compared with 'staff' directly: app_actor() = 'staff' exactly when app.actor is 'staff' (any
-- other value, known or not, reads as something else or NULL, and the CASE gives NULL either
-- way), so every policy admits the same rows. The result is still a CASE, so the planner's
-- estimates for the policies that use it do not change (migration 0009: the inbox's ordered
-- scan that stops after 50 rows depends on them).
CREATE OR REPLACE FUNCTION app_staff_role() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
  AS $$
    SELECT CASE WHEN current_setting('app.actor', true) = 'staff'
                 AND current_setting('app.staff_role', true) IN ('desk_admin', 'desk_staff', 'department_staff')
                THEN current_setting('app.staff_role', true) END
  $$;
