-- The orphan sweep (issue 20; app/operations/attachments/sweep-orphan-files.server.ts).
-- A stored file is in use while an attachment or a case image names it, in any
-- city. The sweep runs as the system actor, which reads neither table; this
-- function answers only which of the names it is given are in use — never a
-- name it was not given, nor anything else of the rows. It runs as the owner
-- (its "owner_all" policies), pins search_path, takes no tenant, and only the
-- runtime role may call it.
CREATE FUNCTION stored_files_in_use(candidates text[]) RETURNS SETOF text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT a.stored_name FROM public.attachments a
     WHERE public.app_actor() = 'system' AND a.stored_name = ANY(candidates)
    UNION
    SELECT c.stored_name FROM public.case_images c
     WHERE public.app_actor() = 'system' AND c.stored_name = ANY(candidates)
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION stored_files_in_use(text[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION stored_files_in_use(text[]) TO desk_app;
