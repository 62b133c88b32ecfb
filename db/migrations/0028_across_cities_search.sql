-- Issue 22, performance: /themes and /cases filtered by platform field answer
-- from an index. The views of 0021 are security_barrier, so a caller's filter
-- that is not leakproof (`platform_fields && $1`, a city slug, a deadline
-- range) is applied above the view's join, after every open theme of every
-- live city has been read (a sequential scan of themes, 31 ms for the count
-- at 1,000 cities and 20,000 open themes, 19 ms for the page).
--
-- The filters therefore go in as arguments of two set-returning SECURITY
-- DEFINER functions whose WHERE is the views' rule (open themes / published
-- cases of cities whose status is 'live', nothing else) plus the filters, so
-- the planner sees them next to the tables. Custom plans (plan_cache_mode):
-- an argument left NULL (no filter) is folded away, a field filter reaches the
-- GIN index below. They return the views' row types, so they show exactly the
-- views' columns, and take no tenant argument (the catalogue check).
-- db/probes/across-cities.test.ts holds them to the views' rule.

-- GIN indexes for the overlap test on the platform fields, leading with
-- tenant_id as every index of a tenant table must (Citus; btree_gin, as the
-- trigram index of 0001). A multicolumn GIN index serves a condition on any of
-- its columns, so `platform_fields && $1` across all cities uses it.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gin') THEN
    CREATE EXTENSION IF NOT EXISTS btree_gin;
    CREATE INDEX IF NOT EXISTS themes_open_platform_fields_idx ON themes
      USING gin (tenant_id, platform_fields) WHERE status = 'open';
    CREATE INDEX IF NOT EXISTS published_cases_public_platform_fields_idx ON published_cases
      USING gin (tenant_id, platform_fields) WHERE status = 'published';
  ELSE
    RAISE NOTICE 'btree_gin not available: platform field indexes skipped';
  END IF;
END
$$;
--> statement-breakpoint
CREATE FUNCTION platform_search_open_themes(
  any_of_fields text[], in_cities text[], deadline_from date, deadline_to date
) RETURNS SETOF platform_open_themes
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  SET plan_cache_mode = force_custom_plan
  AS $$
  BEGIN
    RETURN QUERY
      SELECT t.tenant_id, c.slug, t.id, t.title_ja, t.title_en, t.background_ja, t.background_en,
             t.expected_outcome_ja, t.expected_outcome_en, t.deadline, t.fields, t.platform_fields,
             t.published_at, t.updated_at
        FROM public.themes t JOIN public.tenants c ON c.id = t.tenant_id
       WHERE t.status = 'open' AND c.status = 'live'
         AND (any_of_fields IS NULL OR t.platform_fields && any_of_fields)
         AND (in_cities IS NULL OR c.slug = ANY (in_cities))
         AND (deadline_from IS NULL OR t.deadline >= deadline_from)
         AND (deadline_to IS NULL OR t.deadline <= deadline_to);
  END
  $$;
--> statement-breakpoint
CREATE FUNCTION platform_search_published_cases(
  any_of_fields text[], in_cities text[], by_method text
) RETURNS SETOF platform_published_cases
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public
  SET plan_cache_mode = force_custom_plan
  AS $$
  BEGIN
    RETURN QUERY
      SELECT p.tenant_id, c.slug, p.id, p.title_ja, p.title_en, p.summary_ja, p.summary_en,
             p.partner_name, p.collaboration_method, p.agreement_kind, p.fields, p.platform_fields,
             p.started_on, p.ended_on, p.published_at, p.updated_at
        FROM public.published_cases p JOIN public.tenants c ON c.id = p.tenant_id
       WHERE p.status = 'published' AND p.published_at <= now() AND c.status = 'live'
         AND (any_of_fields IS NULL OR p.platform_fields && any_of_fields)
         AND (in_cities IS NULL OR c.slug = ANY (in_cities))
         AND (by_method IS NULL OR p.collaboration_method = by_method);
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION platform_search_open_themes(text[], text[], date, date),
  platform_search_published_cases(text[], text[], text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION platform_search_open_themes(text[], text[], date, date),
  platform_search_published_cases(text[], text[], text) TO desk_app;
