ALTER TABLE "proposals" ADD COLUMN "shared_with_city_at" timestamp with time zone;--> statement-breakpoint
-- A draft the proposer has shared with the city (an optional pre-consultation
-- or an issue request before submission) is the desk's to answer, so desk
-- roles see and move it; other drafts stay with the proposer. Department staff
-- see only routed proposals, as before.
ALTER POLICY proposals_staff ON proposals USING (
  tenant_id = app_tenant_id() AND (submitted_at IS NOT NULL OR shared_with_city_at IS NOT NULL) AND (
    (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
    OR ((SELECT app_staff_role()) = 'department_staff' AND id IN (SELECT app_department_proposal_ids()))));
--> statement-breakpoint
ALTER POLICY proposals_staff_update ON proposals
  USING (
    tenant_id = app_tenant_id() AND (submitted_at IS NOT NULL OR shared_with_city_at IS NOT NULL) AND (
      (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
      OR ((SELECT app_staff_role()) = 'department_staff' AND id IN (SELECT app_department_proposal_ids()))))
  WITH CHECK (
    tenant_id = app_tenant_id() AND (submitted_at IS NOT NULL OR shared_with_city_at IS NOT NULL) AND (
      (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
      OR ((SELECT app_staff_role()) = 'department_staff' AND id IN (SELECT app_department_proposal_ids()))));
