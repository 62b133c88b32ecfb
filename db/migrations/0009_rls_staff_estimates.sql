-- Planner-friendly staff policies on proposals (issue 11). Same rows for every
-- actor as before (the policies of 0006_shared_drafts, rewritten); only the
-- planner's row estimates change.
--
-- The desk inbox asks for one city's proposals in a state, newest first,
-- LIMIT 50, with an explicit `tenant_id = $1` (index
-- proposals_tenant_state_submitted_idx). The policy then adds, per row,
-- `tenant_id = app_tenant_id()` and `(SELECT app_staff_role()) IN (…)`. The
-- planner multiplies their selectivities with the query's own: the city
-- filter counted twice (≈1 % each for a big city) and the role test taken as
-- ≈1 %, so it expected ~1 of the 714 rows to pass, concluded that LIMIT 50
-- would never stop an ordered index scan early, and read every matching row
-- and sorted them (2 ms instead of 0.1 ms for a 10,000-proposal city).
--
-- Now the city test is a CASE (an opaque boolean, estimated at 50 %; it was
-- never usable as an index condition here, since the proposals policies are
-- OR-ed) and each role test is one boolean InitPlan (also 50 %), so the
-- ordered index scan that stops after 50 rows is chosen. A NULL city or role
-- still admits nothing: CASE yields false where `=` yielded NULL.
ALTER POLICY proposals_staff ON proposals USING (
  CASE WHEN tenant_id = app_tenant_id() THEN true ELSE false END
  AND (submitted_at IS NOT NULL OR shared_with_city_at IS NOT NULL) AND (
    (SELECT app_staff_role() IN ('desk_admin', 'desk_staff'))
    OR ((SELECT app_staff_role() = 'department_staff') AND id IN (SELECT app_department_proposal_ids()))));
--> statement-breakpoint
ALTER POLICY proposals_staff_update ON proposals
  USING (
    CASE WHEN tenant_id = app_tenant_id() THEN true ELSE false END
    AND (submitted_at IS NOT NULL OR shared_with_city_at IS NOT NULL) AND (
      (SELECT app_staff_role() IN ('desk_admin', 'desk_staff'))
      OR ((SELECT app_staff_role() = 'department_staff') AND id IN (SELECT app_department_proposal_ids()))))
  WITH CHECK (
    CASE WHEN tenant_id = app_tenant_id() THEN true ELSE false END
    AND (submitted_at IS NOT NULL OR shared_with_city_at IS NOT NULL) AND (
      (SELECT app_staff_role() IN ('desk_admin', 'desk_staff'))
      OR ((SELECT app_staff_role() = 'department_staff') AND id IN (SELECT app_department_proposal_ids()))));
