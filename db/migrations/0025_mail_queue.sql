ALTER TABLE "mail_outbox" ADD COLUMN "subject_tenant_id" uuid;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "dead_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "mail_outbox_dead_idx" ON "mail_outbox" USING btree ("subject_tenant_id") WHERE "mail_outbox"."dead_at" IS NOT NULL;
--> statement-breakpoint

-- Mail is delivered by jobs (ADR 009). A job names the city, not its slug; the
-- worker finds the city's tenant file by the slug this returns, for the
-- system actor only (it sees draft and suspended cities too).
CREATE FUNCTION tenant_slug_for_id(p_tenant_id uuid) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT t.slug FROM public.tenants t WHERE public.app_actor() = 'system' AND t.id = p_tenant_id
  $$;
--> statement-breakpoint

-- The operator console's mail health: per city (null: platform mail such as
-- password resets), how many mails wait for delivery and how many were given
-- up after every retry. Counts only: never an address, subject or text.
CREATE FUNCTION operator_mail_counts()
  RETURNS TABLE (slug text, waiting integer, dead integer, oldest_waiting_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT t.slug,
           count(*) FILTER (WHERE m.sent_at IS NULL AND m.dead_at IS NULL)::int,
           count(*) FILTER (WHERE m.dead_at IS NOT NULL)::int,
           min(m.created_at) FILTER (WHERE m.sent_at IS NULL AND m.dead_at IS NULL)
      FROM public.mail_outbox m LEFT JOIN public.tenants t ON t.id = m.subject_tenant_id
     WHERE (SELECT public.app_is_operator()) AND m.sent_at IS NULL
     GROUP BY t.slug
  $$;
--> statement-breakpoint

DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['tenant_slug_for_id(uuid)', 'operator_mail_counts()'] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO desk_app', f);
  END LOOP;
END
$$;
