CREATE TABLE "agreements" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"proposal_id" uuid NOT NULL,
	"arrangement" text NOT NULL,
	"agreement_kind" text,
	"parties" text[] DEFAULT '{}' NOT NULL,
	"concluded_on" date,
	"valid_from" date,
	"valid_until" date,
	"note" text DEFAULT '' NOT NULL,
	"document_attachment_id" uuid,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreements_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "agreements_tenant_proposal_unique" UNIQUE("tenant_id","proposal_id")
);
--> statement-breakpoint
CREATE TABLE "case_images" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"stored_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"alt_ja" text NOT NULL,
	"alt_en" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_images_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "case_images_tenant_stored_name_unique" UNIQUE("tenant_id","stored_name")
);
--> statement-breakpoint
CREATE TABLE "implementation_milestones" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"proposal_id" uuid NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"owner" text NOT NULL,
	"department_id" uuid,
	"status" text DEFAULT 'planned' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "implementation_milestones_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "implementation_notes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"proposal_id" uuid NOT NULL,
	"milestone_id" uuid,
	"author_user_id" uuid,
	"author_side" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "implementation_notes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "published_cases" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"proposal_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"title_ja" text NOT NULL,
	"title_en" text DEFAULT '' NOT NULL,
	"summary_ja" text DEFAULT '' NOT NULL,
	"summary_en" text DEFAULT '' NOT NULL,
	"results_ja" text DEFAULT '' NOT NULL,
	"results_en" text DEFAULT '' NOT NULL,
	"partner_name" text DEFAULT '' NOT NULL,
	"collaboration_method" text,
	"agreement_kind" text,
	"fields" text[] DEFAULT '{}' NOT NULL,
	"started_on" date,
	"ended_on" date,
	"published_at" timestamp with time zone,
	"withdrawn_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "published_cases_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_tenant_id_proposal_id_proposals_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."proposals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_tenant_id_document_attachment_id_attachments_tenant_id_id_fk" FOREIGN KEY ("tenant_id","document_attachment_id") REFERENCES "public"."attachments"("tenant_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_images" ADD CONSTRAINT "case_images_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_images" ADD CONSTRAINT "case_images_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_images" ADD CONSTRAINT "case_images_tenant_id_case_id_published_cases_tenant_id_id_fk" FOREIGN KEY ("tenant_id","case_id") REFERENCES "public"."published_cases"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "implementation_milestones" ADD CONSTRAINT "implementation_milestones_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "implementation_milestones" ADD CONSTRAINT "implementation_milestones_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "implementation_milestones" ADD CONSTRAINT "implementation_milestones_tenant_id_proposal_id_proposals_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."proposals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "implementation_milestones" ADD CONSTRAINT "implementation_milestones_tenant_id_department_id_departments_tenant_id_id_fk" FOREIGN KEY ("tenant_id","department_id") REFERENCES "public"."departments"("tenant_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "implementation_notes" ADD CONSTRAINT "implementation_notes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "implementation_notes" ADD CONSTRAINT "implementation_notes_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "implementation_notes" ADD CONSTRAINT "implementation_notes_tenant_id_proposal_id_proposals_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."proposals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "implementation_notes" ADD CONSTRAINT "implementation_notes_tenant_id_milestone_id_implementation_milestones_tenant_id_id_fk" FOREIGN KEY ("tenant_id","milestone_id") REFERENCES "public"."implementation_milestones"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "published_cases" ADD CONSTRAINT "published_cases_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "published_cases" ADD CONSTRAINT "published_cases_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "published_cases" ADD CONSTRAINT "published_cases_tenant_id_proposal_id_proposals_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."proposals"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agreements_tenant_document_idx" ON "agreements" USING btree ("tenant_id","document_attachment_id");--> statement-breakpoint
CREATE INDEX "case_images_tenant_case_idx" ON "case_images" USING btree ("tenant_id","case_id","position");--> statement-breakpoint
CREATE INDEX "implementation_milestones_tenant_proposal_idx" ON "implementation_milestones" USING btree ("tenant_id","proposal_id","due_on");--> statement-breakpoint
CREATE INDEX "implementation_milestones_tenant_department_idx" ON "implementation_milestones" USING btree ("tenant_id","department_id");--> statement-breakpoint
CREATE INDEX "implementation_notes_tenant_proposal_idx" ON "implementation_notes" USING btree ("tenant_id","proposal_id","created_at");--> statement-breakpoint
CREATE INDEX "implementation_notes_tenant_milestone_idx" ON "implementation_notes" USING btree ("tenant_id","milestone_id");--> statement-breakpoint
CREATE INDEX "published_cases_tenant_status_idx" ON "published_cases" USING btree ("tenant_id","status","published_at");--> statement-breakpoint
CREATE INDEX "published_cases_tenant_proposal_idx" ON "published_cases" USING btree ("tenant_id","proposal_id");
--> statement-breakpoint

-- Row-level security for the tables after the decision (issue 9). Same
-- pattern as 0001_rls_policies.sql: forced RLS plus the owner's policy, and
-- per-actor policies for the runtime role. Children of a proposal follow the
-- proposal ("EXISTS (… proposals …)" is itself filtered by the proposals
-- policies for whoever is asking).
SELECT desk_secure_table('agreements');
--> statement-breakpoint
SELECT desk_secure_table('implementation_milestones');
--> statement-breakpoint
SELECT desk_secure_table('implementation_notes');
--> statement-breakpoint
SELECT desk_secure_table('published_cases');
--> statement-breakpoint
SELECT desk_secure_table('case_images');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON agreements, implementation_milestones, published_cases TO desk_app;
--> statement-breakpoint
-- Progress notes are a record of what each side said: append-only.
GRANT SELECT, INSERT ON implementation_notes TO desk_app;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON case_images TO desk_app;
--> statement-breakpoint

-- Agreements: the city's staff and the proposing organisation see the record
-- (the proposer sees what they signed); the desk roles write it.
CREATE POLICY agreements_select ON agreements FOR SELECT TO desk_app USING (
  app_actor() IN ('staff', 'proposer')
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = agreements.tenant_id AND p.id = agreements.proposal_id));
--> statement-breakpoint
CREATE POLICY agreements_write_desk ON agreements FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
  AND recorded_by = app_user_id()
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = agreements.tenant_id AND p.id = agreements.proposal_id));
--> statement-breakpoint
CREATE POLICY agreements_update_desk ON agreements FOR UPDATE TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'))
  WITH CHECK (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
    AND recorded_by = app_user_id());
--> statement-breakpoint

-- Milestones: visible to both sides; kept by the city's staff who see the proposal.
CREATE POLICY implementation_milestones_select ON implementation_milestones FOR SELECT TO desk_app USING (
  app_actor() IN ('staff', 'proposer')
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = implementation_milestones.tenant_id AND p.id = implementation_milestones.proposal_id));
--> statement-breakpoint
CREATE POLICY implementation_milestones_insert_staff ON implementation_milestones FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IS NOT NULL AND created_by = app_user_id()
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = implementation_milestones.tenant_id AND p.id = implementation_milestones.proposal_id));
--> statement-breakpoint
CREATE POLICY implementation_milestones_update_staff ON implementation_milestones FOR UPDATE TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IS NOT NULL
    AND EXISTS (SELECT 1 FROM proposals p
                 WHERE p.tenant_id = implementation_milestones.tenant_id AND p.id = implementation_milestones.proposal_id))
  WITH CHECK (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IS NOT NULL);
--> statement-breakpoint

-- Progress notes: both sides read and write, each as itself. There are no internal notes here.
CREATE POLICY implementation_notes_select ON implementation_notes FOR SELECT TO desk_app USING (
  app_actor() IN ('staff', 'proposer')
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = implementation_notes.tenant_id AND p.id = implementation_notes.proposal_id));
--> statement-breakpoint
CREATE POLICY implementation_notes_insert ON implementation_notes FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND author_user_id = app_user_id()
  AND ((app_actor() = 'staff' AND author_side = 'city')
       OR (app_actor() = 'proposer' AND author_side = 'proposer'))
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = implementation_notes.tenant_id AND p.id = implementation_notes.proposal_id));
--> statement-breakpoint

-- Published cases: the desk roles see and write every case of their city; the
-- public (and proposers browsing the portal) only published ones.
CREATE POLICY published_cases_select_staff ON published_cases FOR SELECT TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'));
--> statement-breakpoint
CREATE POLICY published_cases_select_public ON published_cases FOR SELECT TO desk_app USING (
  tenant_id = app_tenant_id() AND app_actor() IN ('public', 'proposer')
  AND status = 'published' AND published_at <= now());
--> statement-breakpoint
CREATE POLICY published_cases_insert_desk ON published_cases FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
  AND (proposal_id IS NULL OR EXISTS (SELECT 1 FROM proposals p
                                       WHERE p.tenant_id = published_cases.tenant_id AND p.id = published_cases.proposal_id)));
--> statement-breakpoint
CREATE POLICY published_cases_update_desk ON published_cases FOR UPDATE TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'))
  WITH CHECK (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'));
--> statement-breakpoint

-- Case images follow their case: the EXISTS is filtered by the policies above.
CREATE POLICY case_images_select ON case_images FOR SELECT TO desk_app USING (
  tenant_id = app_tenant_id() AND app_actor() IN ('staff', 'public', 'proposer')
  AND EXISTS (SELECT 1 FROM published_cases c WHERE c.tenant_id = case_images.tenant_id AND c.id = case_images.case_id));
--> statement-breakpoint
CREATE POLICY case_images_insert_desk ON case_images FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
  AND uploaded_by = app_user_id()
  AND EXISTS (SELECT 1 FROM published_cases c WHERE c.tenant_id = case_images.tenant_id AND c.id = case_images.case_id));
--> statement-breakpoint
CREATE POLICY case_images_delete_desk ON case_images FOR DELETE TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'));
