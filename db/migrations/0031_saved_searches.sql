-- Alerts (issue 22): a member of an organisation saves a search of /themes or /cases and is mailed
-- when a city opens a matching theme or publishes a matching case, at once or in a daily digest.
-- Organisation data, not a city's: no tenant_id. A saved search belongs to the member who saved it,
-- in one of their organisations; nobody else reads it (not another member, never another
-- organisation), except the system actor that matches and mails. Policies compare the row's own
-- columns with the transaction's settings only (ADR 008).
CREATE TABLE "saved_searches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL REFERENCES "organisations"("id") ON DELETE CASCADE,
	"user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
	"kind" text NOT NULL CHECK ("kind" IN ('themes', 'cases')),
	-- The search's scope as the query that finds it (field=…&city=…&prefecture=…&type=…&method=…),
	-- read back by the lists' one parser (app/operations/across-cities/search.ts).
	"query" text NOT NULL,
	"frequency" text NOT NULL CHECK ("frequency" IN ('immediate', 'daily')),
	-- The capability in every alert mail's unsubscribe link: 256 random bits, usable without signing in.
	"unsubscribe_token" text NOT NULL DEFAULT encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex'),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_searches_unique" UNIQUE ("user_id", "organisation_id", "kind", "query")
);
--> statement-breakpoint
CREATE INDEX "saved_searches_organisation_idx" ON "saved_searches" USING btree ("organisation_id");
--> statement-breakpoint
CREATE INDEX "saved_searches_kind_idx" ON "saved_searches" USING btree ("kind");
--> statement-breakpoint
CREATE UNIQUE INDEX "saved_searches_token_idx" ON "saved_searches" USING btree ("unsubscribe_token");
--> statement-breakpoint

-- What each saved search has matched: one row per (search, item), so an item is matched and mailed
-- once however often its job runs; the daily digest mails the rows not mailed yet.
CREATE TABLE "saved_search_matches" (
	"saved_search_id" uuid NOT NULL REFERENCES "saved_searches"("id") ON DELETE CASCADE,
	"item_kind" text NOT NULL CHECK ("item_kind" IN ('theme', 'case')),
	"item_id" uuid NOT NULL,
	"matched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"mailed_at" timestamp with time zone,
	CONSTRAINT "saved_search_matches_pk" PRIMARY KEY ("saved_search_id", "item_kind", "item_id")
);
--> statement-breakpoint
CREATE INDEX "saved_search_matches_unmailed_idx" ON "saved_search_matches" USING btree ("saved_search_id") WHERE "mailed_at" IS NULL;
--> statement-breakpoint

SELECT desk_secure_table('saved_searches');
--> statement-breakpoint
SELECT desk_secure_table('saved_search_matches');
--> statement-breakpoint
-- The member who saved it, in an organisation they still belong to (app_organisation_ids() is empty
-- for a disabled account and for any actor but a proposer).
CREATE POLICY saved_searches_own ON saved_searches FOR ALL TO desk_app
  USING (app_actor() = 'proposer' AND user_id = app_user_id() AND organisation_id = ANY (app_organisation_ids()))
  WITH CHECK (app_actor() = 'proposer' AND user_id = app_user_id() AND organisation_id = ANY (app_organisation_ids()));
--> statement-breakpoint
-- The matcher and the digest read every saved search; the unsubscribe link (no session, its token
-- checked in the statement) deletes one.
CREATE POLICY saved_searches_system_select ON saved_searches FOR SELECT TO desk_app
  USING (app_actor() = 'system');
--> statement-breakpoint
CREATE POLICY saved_searches_system_delete ON saved_searches FOR DELETE TO desk_app
  USING (app_actor() = 'system');
--> statement-breakpoint
CREATE POLICY saved_search_matches_system ON saved_search_matches FOR ALL TO desk_app
  USING (app_actor() = 'system') WITH CHECK (app_actor() = 'system');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON saved_searches, saved_search_matches TO desk_app;
--> statement-breakpoint
REVOKE UPDATE ON saved_searches FROM desk_app;
--> statement-breakpoint
GRANT UPDATE ("frequency", "updated_at") ON saved_searches TO desk_app;
--> statement-breakpoint

-- Where an alert of one saved search goes, and in which language: its member, for the system actor
-- only, while the account is enabled and still a member of the organisation the search was saved in.
CREATE FUNCTION recipient_for_saved_search(p_saved_search_id uuid)
  RETURNS TABLE (email text, display_name text, locale text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.email, u.display_name, u.locale
      FROM public.saved_searches s
      JOIN public.users u ON u.id = s.user_id
      JOIN public.organisation_members m ON m.organisation_id = s.organisation_id AND m.user_id = s.user_id
     WHERE public.app_actor() = 'system' AND s.id = p_saved_search_id AND u.disabled_at IS NULL
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION recipient_for_saved_search(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION recipient_for_saved_search(uuid) TO desk_app;
--> statement-breakpoint

-- RFC 8058 List-Unsubscribe headers ride with the alert mail to the SMTP worker.
ALTER TABLE "mail_outbox" ADD COLUMN "list_unsubscribe_url" text;
