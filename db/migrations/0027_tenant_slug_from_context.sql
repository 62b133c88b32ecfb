-- The mail worker finds a city's tenant file by its slug (0025). A SECURITY
-- DEFINER function must not take the tenant as an argument (the catalogue
-- check, db/probes/catalogue.ts): the tenant is the transaction's, set by
-- app_set_context like every other tenant read. So the slug is read for the
-- transaction's own city, by the system actor only (it sees draft and
-- suspended cities too, which the tenants policy hides from it).
DROP FUNCTION tenant_slug_for_id(uuid);
--> statement-breakpoint
CREATE FUNCTION current_tenant_slug() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT t.slug FROM public.tenants t WHERE public.app_actor() = 'system' AND t.id = public.app_tenant_id()
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION current_tenant_slug() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION current_tenant_slug() TO desk_app;
