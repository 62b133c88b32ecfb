-- Issue 22: across cities. Themes carry fields of activity; themes and cases
-- the platform taxonomy's fields those map to (tenants/platform/taxonomy.yaml,
-- written by the desk's save), for the cross-city pages and alerts.
ALTER TABLE "themes" ADD COLUMN "fields" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "themes" ADD COLUMN "platform_fields" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "published_cases" ADD COLUMN "platform_fields" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
CREATE INDEX "themes_open_deadline_idx" ON "themes" USING btree ("tenant_id","deadline","published_at") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "published_cases_public_idx" ON "published_cases" USING btree ("tenant_id","published_at") WHERE status = 'published';--> statement-breakpoint
-- The cross-city reads (/themes, /cases, their feeds, the platform home, the
-- alerts): what every live city has made public on purpose, and nothing else.
-- Views owned by desk_owner and not security_invoker, so they read through the
-- owner's policies; their WHERE is the whole rule: open themes and published
-- cases (published_at reached, as the city's own public policy says) of cities
-- whose status is 'live' — a draft or suspended city never appears. Only the
-- columns the city portals already publish. security_barrier keeps a caller's
-- functions in WHERE from seeing rows the view filters out.
CREATE VIEW platform_open_themes WITH (security_barrier) AS
  SELECT t.tenant_id, c.slug AS city_slug, t.id, t.title_ja, t.title_en, t.background_ja, t.background_en,
         t.expected_outcome_ja, t.expected_outcome_en, t.deadline, t.fields, t.platform_fields,
         t.published_at, t.updated_at
    FROM public.themes t JOIN public.tenants c ON c.id = t.tenant_id
   WHERE t.status = 'open' AND c.status = 'live';
--> statement-breakpoint
CREATE VIEW platform_published_cases WITH (security_barrier) AS
  SELECT p.tenant_id, c.slug AS city_slug, p.id, p.title_ja, p.title_en, p.summary_ja, p.summary_en,
         p.partner_name, p.collaboration_method, p.agreement_kind, p.fields, p.platform_fields,
         p.started_on, p.ended_on, p.published_at, p.updated_at
    FROM public.published_cases p JOIN public.tenants c ON c.id = p.tenant_id
   WHERE p.status = 'published' AND p.published_at <= now() AND c.status = 'live';
--> statement-breakpoint
REVOKE ALL ON platform_open_themes, platform_published_cases FROM PUBLIC;
--> statement-breakpoint
GRANT SELECT ON platform_open_themes, platform_published_cases TO desk_app;
--> statement-breakpoint
-- Changes whenever anything the two views show changes (a row added, removed
-- or edited, a city going live or being suspended): the cross-city pages'
-- version, for their caches and ETags. Order-independent sums of row hashes.
CREATE FUNCTION platform_content_stamp() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT md5(concat_ws('|',
      (SELECT count(*) || ':' || coalesce(sum(hashtextextended(v.id::text || v.updated_at::text || v.city_slug, 0)), 0)
         FROM public.platform_open_themes v),
      (SELECT count(*) || ':' || coalesce(sum(hashtextextended(v.id::text || v.updated_at::text || v.city_slug, 0)), 0)
         FROM public.platform_published_cases v)))
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION platform_content_stamp() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION platform_content_stamp() TO desk_app;
