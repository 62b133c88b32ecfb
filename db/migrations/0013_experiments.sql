CREATE TABLE "disclosure_documents" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"title" text NOT NULL,
	"proposer_opinion" text DEFAULT '' NOT NULL,
	"decision" text,
	"decision_reason" text DEFAULT '' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disclosure_documents_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "disclosure_request_internals" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"requester_description" text NOT NULL,
	"internal_note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disclosure_request_internals_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "disclosure_requests" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"proposal_id" uuid NOT NULL,
	"received_on" date NOT NULL,
	"opinion_due_on" date,
	"status" text DEFAULT 'awaiting_opinion' NOT NULL,
	"question_message_id" uuid,
	"opinion" text DEFAULT '' NOT NULL,
	"opinion_by" uuid,
	"opinion_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disclosure_requests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "experiment_checklist" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"proposal_id" uuid NOT NULL,
	"item_key" text NOT NULL,
	"lane" text NOT NULL,
	"owner_name" text DEFAULT '' NOT NULL,
	"due_on" date,
	"done_on" date,
	"note" text DEFAULT '' NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experiment_checklist_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "experiment_checklist_tenant_item_unique" UNIQUE("tenant_id","proposal_id","item_key")
);
--> statement-breakpoint
CREATE TABLE "experiment_permits" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"proposal_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"issued_by" text NOT NULL,
	"reference" text NOT NULL,
	"issued_on" date NOT NULL,
	"valid_until" date,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experiment_permits_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"proposal_id" uuid NOT NULL,
	"offers" text[] DEFAULT '{}' NOT NULL,
	"period_from" date,
	"period_until" date,
	"attended_on" date,
	"attended_by" text DEFAULT '' NOT NULL,
	"cost_rule_acknowledged_by" uuid,
	"cost_rule_acknowledged_at" timestamp with time zone,
	"cost_rule_version" text,
	"report_attachment_id" uuid,
	"report_submitted_by" uuid,
	"report_submitted_at" timestamp with time zone,
	"report_received_on" date,
	"report_received_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experiments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "experiments_tenant_proposal_unique" UNIQUE("tenant_id","proposal_id")
);
--> statement-breakpoint
ALTER TABLE "disclosure_documents" ADD CONSTRAINT "disclosure_documents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_documents" ADD CONSTRAINT "disclosure_documents_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_documents" ADD CONSTRAINT "disclosure_documents_tenant_id_proposal_id_proposals_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."proposals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_documents" ADD CONSTRAINT "disclosure_documents_tenant_id_request_id_disclosure_requests_tenant_id_id_fk" FOREIGN KEY ("tenant_id","request_id") REFERENCES "public"."disclosure_requests"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_request_internals" ADD CONSTRAINT "disclosure_request_internals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_request_internals" ADD CONSTRAINT "disclosure_request_internals_tenant_id_proposal_id_proposals_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."proposals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_request_internals" ADD CONSTRAINT "disclosure_request_internals_tenant_id_id_disclosure_requests_tenant_id_id_fk" FOREIGN KEY ("tenant_id","id") REFERENCES "public"."disclosure_requests"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD CONSTRAINT "disclosure_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD CONSTRAINT "disclosure_requests_opinion_by_users_id_fk" FOREIGN KEY ("opinion_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD CONSTRAINT "disclosure_requests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_requests" ADD CONSTRAINT "disclosure_requests_tenant_id_proposal_id_proposals_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."proposals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_checklist" ADD CONSTRAINT "experiment_checklist_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_checklist" ADD CONSTRAINT "experiment_checklist_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_checklist" ADD CONSTRAINT "experiment_checklist_tenant_id_proposal_id_proposals_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."proposals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_permits" ADD CONSTRAINT "experiment_permits_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_permits" ADD CONSTRAINT "experiment_permits_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_permits" ADD CONSTRAINT "experiment_permits_tenant_id_proposal_id_proposals_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."proposals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_cost_rule_acknowledged_by_users_id_fk" FOREIGN KEY ("cost_rule_acknowledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_report_submitted_by_users_id_fk" FOREIGN KEY ("report_submitted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_report_received_by_users_id_fk" FOREIGN KEY ("report_received_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_tenant_id_proposal_id_proposals_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."proposals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_tenant_id_report_attachment_id_attachments_tenant_id_id_fk" FOREIGN KEY ("tenant_id","report_attachment_id") REFERENCES "public"."attachments"("tenant_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disclosure_documents_tenant_request_idx" ON "disclosure_documents" USING btree ("tenant_id","request_id","position");--> statement-breakpoint
CREATE INDEX "disclosure_documents_tenant_proposal_idx" ON "disclosure_documents" USING btree ("tenant_id","proposal_id");--> statement-breakpoint
CREATE INDEX "disclosure_request_internals_tenant_proposal_idx" ON "disclosure_request_internals" USING btree ("tenant_id","proposal_id");--> statement-breakpoint
CREATE INDEX "disclosure_requests_tenant_proposal_idx" ON "disclosure_requests" USING btree ("tenant_id","proposal_id","received_on");--> statement-breakpoint
CREATE INDEX "experiment_permits_tenant_proposal_idx" ON "experiment_permits" USING btree ("tenant_id","proposal_id","issued_on");--> statement-breakpoint
CREATE INDEX "experiments_tenant_report_idx" ON "experiments" USING btree ("tenant_id","report_attachment_id");--> statement-breakpoint

-- Row-level security for demonstration experiments and disclosure requests
-- (issue 9). Same pattern as 0012_after_decision.sql: forced RLS plus the
-- owner's policy, and per-actor policies for the runtime role. Children of a
-- proposal follow the proposal ("EXISTS (… proposals …)" is itself filtered by
-- the proposals policies: the proposing organisation's members, the city's
-- desk, and department staff it is routed to).
SELECT desk_secure_table('experiments');
--> statement-breakpoint
SELECT desk_secure_table('experiment_checklist');
--> statement-breakpoint
SELECT desk_secure_table('experiment_permits');
--> statement-breakpoint
SELECT desk_secure_table('disclosure_requests');
--> statement-breakpoint
SELECT desk_secure_table('disclosure_request_internals');
--> statement-breakpoint
SELECT desk_secure_table('disclosure_documents');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON experiments, experiment_checklist, disclosure_requests,
  disclosure_request_internals, disclosure_documents TO desk_app;
--> statement-breakpoint
-- Permits are a record of what was issued: added, never rewritten.
GRANT SELECT, INSERT ON experiment_permits TO desk_app;
--> statement-breakpoint

-- The experiment: both sides read it and write their own parts (the operations
-- say which columns: the desk the offers, period, attendance and receipt; the
-- proposer the cost-rule acknowledgement and the report).
CREATE POLICY experiments_select ON experiments FOR SELECT TO desk_app USING (
  app_actor() IN ('staff', 'proposer')
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = experiments.tenant_id AND p.id = experiments.proposal_id));
--> statement-breakpoint
CREATE POLICY experiments_insert ON experiments FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND (app_actor() = 'proposer' OR (SELECT app_staff_role()) IS NOT NULL)
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = experiments.tenant_id AND p.id = experiments.proposal_id));
--> statement-breakpoint
CREATE POLICY experiments_update ON experiments FOR UPDATE TO desk_app
  USING (tenant_id = app_tenant_id() AND (app_actor() = 'proposer' OR (SELECT app_staff_role()) IS NOT NULL)
    AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = experiments.tenant_id AND p.id = experiments.proposal_id))
  WITH CHECK (tenant_id = app_tenant_id() AND (app_actor() = 'proposer' OR (SELECT app_staff_role()) IS NOT NULL));
--> statement-breakpoint

-- Checklist items: both sides read them; a proposer writes only the proposer's
-- items, the city's staff every item; each write names its writer.
CREATE POLICY experiment_checklist_select ON experiment_checklist FOR SELECT TO desk_app USING (
  app_actor() IN ('staff', 'proposer')
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = experiment_checklist.tenant_id AND p.id = experiment_checklist.proposal_id));
--> statement-breakpoint
CREATE POLICY experiment_checklist_insert ON experiment_checklist FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND updated_by = app_user_id()
  AND ((app_actor() = 'proposer' AND lane = 'proposer') OR (SELECT app_staff_role()) IS NOT NULL)
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = experiment_checklist.tenant_id AND p.id = experiment_checklist.proposal_id));
--> statement-breakpoint
CREATE POLICY experiment_checklist_update ON experiment_checklist FOR UPDATE TO desk_app
  USING (tenant_id = app_tenant_id()
    AND ((app_actor() = 'proposer' AND lane = 'proposer') OR (SELECT app_staff_role()) IS NOT NULL)
    AND EXISTS (SELECT 1 FROM proposals p
                 WHERE p.tenant_id = experiment_checklist.tenant_id AND p.id = experiment_checklist.proposal_id))
  WITH CHECK (tenant_id = app_tenant_id() AND updated_by = app_user_id()
    AND ((app_actor() = 'proposer' AND lane = 'proposer') OR (SELECT app_staff_role()) IS NOT NULL));
--> statement-breakpoint

-- Permits: both sides read and record them, each as itself.
CREATE POLICY experiment_permits_select ON experiment_permits FOR SELECT TO desk_app USING (
  app_actor() IN ('staff', 'proposer')
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = experiment_permits.tenant_id AND p.id = experiment_permits.proposal_id));
--> statement-breakpoint
CREATE POLICY experiment_permits_insert ON experiment_permits FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND recorded_by = app_user_id()
  AND (app_actor() = 'proposer' OR (SELECT app_staff_role()) IS NOT NULL)
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = experiment_permits.tenant_id AND p.id = experiment_permits.proposal_id));
--> statement-breakpoint

-- Disclosure requests: the desk records and decides them; the proposing
-- organisation reads them and gives its opinion (an update the operation
-- limits to the opinion columns).
CREATE POLICY disclosure_requests_select ON disclosure_requests FOR SELECT TO desk_app USING (
  app_actor() IN ('staff', 'proposer')
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = disclosure_requests.tenant_id AND p.id = disclosure_requests.proposal_id));
--> statement-breakpoint
CREATE POLICY disclosure_requests_insert_desk ON disclosure_requests FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
  AND created_by = app_user_id()
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = disclosure_requests.tenant_id AND p.id = disclosure_requests.proposal_id));
--> statement-breakpoint
CREATE POLICY disclosure_requests_update ON disclosure_requests FOR UPDATE TO desk_app
  USING (tenant_id = app_tenant_id()
    AND (app_actor() = 'proposer' OR (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'))
    AND EXISTS (SELECT 1 FROM proposals p
                 WHERE p.tenant_id = disclosure_requests.tenant_id AND p.id = disclosure_requests.proposal_id))
  WITH CHECK (tenant_id = app_tenant_id()
    AND (app_actor() = 'proposer' OR (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')));
--> statement-breakpoint

-- Who asked, and the city's deliberation: the city's staff only, never the proposer.
CREATE POLICY disclosure_request_internals_select ON disclosure_request_internals FOR SELECT TO desk_app USING (
  tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IS NOT NULL
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = disclosure_request_internals.tenant_id AND p.id = disclosure_request_internals.proposal_id));
--> statement-breakpoint
CREATE POLICY disclosure_request_internals_insert_desk ON disclosure_request_internals FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = disclosure_request_internals.tenant_id AND p.id = disclosure_request_internals.proposal_id));
--> statement-breakpoint
CREATE POLICY disclosure_request_internals_update_desk ON disclosure_request_internals FOR UPDATE TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'))
  WITH CHECK (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'));
--> statement-breakpoint

-- Documents of a request: both sides read them; the desk adds and decides
-- them, the proposer writes its opinion on them (the operation limits which columns).
CREATE POLICY disclosure_documents_select ON disclosure_documents FOR SELECT TO desk_app USING (
  app_actor() IN ('staff', 'proposer')
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = disclosure_documents.tenant_id AND p.id = disclosure_documents.proposal_id));
--> statement-breakpoint
CREATE POLICY disclosure_documents_insert_desk ON disclosure_documents FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
  AND EXISTS (SELECT 1 FROM proposals p
               WHERE p.tenant_id = disclosure_documents.tenant_id AND p.id = disclosure_documents.proposal_id));
--> statement-breakpoint
CREATE POLICY disclosure_documents_update ON disclosure_documents FOR UPDATE TO desk_app
  USING (tenant_id = app_tenant_id()
    AND (app_actor() = 'proposer' OR (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'))
    AND EXISTS (SELECT 1 FROM proposals p
                 WHERE p.tenant_id = disclosure_documents.tenant_id AND p.id = disclosure_documents.proposal_id))
  WITH CHECK (tenant_id = app_tenant_id()
    AND (app_actor() = 'proposer' OR (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')));
