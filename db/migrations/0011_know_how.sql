CREATE TABLE "know_how_entries" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"internal_note_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"marked_by" uuid,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "know_how_entries_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "know_how_entries_note_unique" UNIQUE("tenant_id","internal_note_id")
);
--> statement-breakpoint
ALTER TABLE "know_how_entries" ADD CONSTRAINT "know_how_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "know_how_entries" ADD CONSTRAINT "know_how_entries_marked_by_users_id_fk" FOREIGN KEY ("marked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "know_how_entries" ADD CONSTRAINT "know_how_entries_tenant_id_internal_note_id_internal_notes_tenant_id_id_fk" FOREIGN KEY ("tenant_id","internal_note_id") REFERENCES "public"."internal_notes"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "know_how_entries" ADD CONSTRAINT "know_how_entries_tenant_id_proposal_id_proposals_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."proposals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "know_how_entries_tenant_marked_idx" ON "know_how_entries" USING btree ("tenant_id","marked_at");--> statement-breakpoint
CREATE INDEX "know_how_entries_tenant_proposal_idx" ON "know_how_entries" USING btree ("tenant_id","proposal_id");--> statement-breakpoint
-- Know-how (issue 9): good-practice marks on internal notes. City staff only,
-- like the notes: every policy goes through internal_notes (whose own policy
-- goes through proposals), so department staff see and mark only notes on
-- proposals routed to them, and no proposer or public context ever sees a row.
SELECT desk_secure_table('know_how_entries');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON know_how_entries TO desk_app;
--> statement-breakpoint
CREATE POLICY know_how_entries_staff_select ON know_how_entries FOR SELECT TO desk_app USING (
  app_actor() = 'staff' AND tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IS NOT NULL
  AND EXISTS (SELECT 1 FROM internal_notes n
               WHERE n.tenant_id = know_how_entries.tenant_id AND n.id = know_how_entries.internal_note_id));
--> statement-breakpoint
CREATE POLICY know_how_entries_staff_insert ON know_how_entries FOR INSERT TO desk_app WITH CHECK (
  app_actor() = 'staff' AND tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IS NOT NULL
  AND marked_by = app_user_id()
  AND EXISTS (SELECT 1 FROM internal_notes n
               WHERE n.tenant_id = know_how_entries.tenant_id AND n.id = know_how_entries.internal_note_id
                 AND n.proposal_id = know_how_entries.proposal_id));
--> statement-breakpoint
CREATE POLICY know_how_entries_staff_update ON know_how_entries FOR UPDATE TO desk_app
  USING (
    app_actor() = 'staff' AND tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IS NOT NULL
    AND EXISTS (SELECT 1 FROM internal_notes n
                 WHERE n.tenant_id = know_how_entries.tenant_id AND n.id = know_how_entries.internal_note_id))
  WITH CHECK (
    app_actor() = 'staff' AND tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IS NOT NULL
    AND marked_by = app_user_id()
    AND EXISTS (SELECT 1 FROM internal_notes n
                 WHERE n.tenant_id = know_how_entries.tenant_id AND n.id = know_how_entries.internal_note_id
                   AND n.proposal_id = know_how_entries.proposal_id));
--> statement-breakpoint
CREATE POLICY know_how_entries_staff_delete ON know_how_entries FOR DELETE TO desk_app USING (
  app_actor() = 'staff' AND tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IS NOT NULL
  AND EXISTS (SELECT 1 FROM internal_notes n
               WHERE n.tenant_id = know_how_entries.tenant_id AND n.id = know_how_entries.internal_note_id));
