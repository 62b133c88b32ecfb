-- Index-friendly row-level security for the desk's pages (issue 11). Same rows
-- for every actor as before: this only lets the planner use an index.
--
-- organisations_select_staff was `id IN (SELECT p.organisation_id FROM
-- proposals p)`. Under RLS the policies of proposals are OR-ed (the staff one
-- names tenant_id, the proposer one does not), so the planner cannot turn them
-- into an index condition: each query that showed an organisation to city
-- staff read the whole proposals table of every city (a sequential scan of
-- 1,000,000 rows at scale, seconds per inbox page). City staff only ever see
-- proposals of app.tenant_id (proposals_staff; the proposer policies need
-- actor 'proposer', and app_staff_role() needs actor 'staff'), so stating
-- `p.tenant_id = app_tenant_id()` removes no row. The correlated EXISTS then
-- probes proposals_tenant_org_idx once per organisation row instead.
ALTER POLICY organisations_select_staff ON organisations
  USING ((SELECT app_staff_role()) IS NOT NULL
         AND EXISTS (SELECT 1 FROM proposals p
                      WHERE p.tenant_id = app_tenant_id() AND p.organisation_id = organisations.id));
