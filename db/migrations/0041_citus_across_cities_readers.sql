-- Reading across cities on Citus (issue 21, decision 008 "Across cities").
-- The views of migration 0021 read other cities' rows with their owner's
-- rights on one PostgreSQL; a Citus coordinator sends a view's shard queries
-- as the caller, whose policies show no other city, so the platform home, the
-- desk's "similar cases elsewhere" and alert matching came back empty there.
-- Every cross-city read is now a SECURITY DEFINER reader called as a
-- statement of its own: the search functions of 0028 (the lists, the home,
-- a city's content when it goes live) and the two below (given items, by id:
-- alert matching, the theme of a proposal). They return the views' row types,
-- so nothing but what a live city published on purpose — open themes,
-- published cases, the columns the city portals show — and never anything of
-- a proposal. The views stay as the readers' row types and the one place of
-- the rule for platform_content_stamp; the runtime role no longer reads them,
-- so nothing can read them as the caller again (on either engine).

CREATE FUNCTION platform_open_themes_among(p_ids uuid[]) RETURNS SETOF platform_open_themes
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    -- PL/pgSQL: Citus cannot plan a parameter of an SQL function.
    RETURN QUERY SELECT v.* FROM public.platform_open_themes v WHERE v.id = ANY (p_ids);
  END
  $$;
--> statement-breakpoint
CREATE FUNCTION platform_published_cases_among(p_ids uuid[]) RETURNS SETOF platform_published_cases
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    RETURN QUERY SELECT v.* FROM public.platform_published_cases v WHERE v.id = ANY (p_ids);
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION platform_open_themes_among(uuid[]) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION platform_published_cases_among(uuid[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION platform_open_themes_among(uuid[]) TO desk_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION platform_published_cases_among(uuid[]) TO desk_app;
--> statement-breakpoint
REVOKE SELECT ON platform_open_themes FROM desk_app;
--> statement-breakpoint
REVOKE SELECT ON platform_published_cases FROM desk_app;
