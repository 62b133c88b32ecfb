-- The PostgreSQL file store (issue 20; docs/decisions/011-stored-files-and-the-orphan-sweep.md).
-- With FILE_STORAGE=postgres a stored file is its chunks here, in its city's
-- rows: every app server reads the same files, and a city's files move with
-- its rows (they are distributed by tenant_id like every tenant table).
-- Chunk 0 always exists (an empty file is one empty chunk): a file is stored
-- when its chunk 0 is; its created_at is the file's age for the orphan sweep.
CREATE TABLE "stored_file_chunks" (
	"tenant_id" uuid NOT NULL,
	"stored_name" text NOT NULL,
	"seq" integer NOT NULL,
	"data" bytea NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stored_file_chunks_tenant_id_stored_name_seq_pk" PRIMARY KEY("tenant_id","stored_name","seq"),
	CONSTRAINT "stored_file_chunks_seq_check" CHECK ("seq" >= 0)
);
--> statement-breakpoint
ALTER TABLE "stored_file_chunks" ADD CONSTRAINT "stored_file_chunks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The sweep's candidates: files (chunk 0) older than the grace period.
CREATE INDEX "stored_file_chunks_first_created_idx" ON "stored_file_chunks" USING btree ("tenant_id","created_at") WHERE "seq" = 0;
--> statement-breakpoint
-- Uploads are PDFs, images and office files, already compressed: kept out of line, not compressed again.
ALTER TABLE "stored_file_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL;
--> statement-breakpoint
SELECT desk_secure_table('stored_file_chunks');
--> statement-breakpoint
-- Files are written and read by the storage module only, as the system actor
-- in the file's city (app/utils/file-storage): whether a person may have a
-- file is decided on the row that names it (attachments, case_images) under
-- its own policies, before the storage is asked. No request's context —
-- staff, proposer, public — reads or writes chunks. Chunks are never updated.
CREATE POLICY stored_file_chunks_system ON stored_file_chunks FOR ALL TO desk_app
  USING (app_actor() = 'system' AND tenant_id = app_tenant_id())
  WITH CHECK (app_actor() = 'system' AND tenant_id = app_tenant_id());
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON stored_file_chunks TO desk_app;
--> statement-breakpoint
-- The orphan sweep (files.sweep) runs as the system actor without a city and
-- so sees no chunk; this answers, for it alone, which files (city, stored
-- name) were stored before `cutoff` — names and cities only, never content.
-- It deletes them city by city in that city's own transaction.
CREATE FUNCTION stored_files_before(cutoff timestamptz) RETURNS TABLE (city uuid, stored_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT c.tenant_id, c.stored_name FROM public.stored_file_chunks c
     WHERE public.app_actor() = 'system' AND c.seq = 0 AND c.created_at <= cutoff
     ORDER BY c.tenant_id, c.stored_name
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION stored_files_before(timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION stored_files_before(timestamptz) TO desk_app;
