-- Issue 10: the platform operator. The operator context still gets no tenant
-- rows (ADR 002); what the console shows comes from the definer functions
-- below, each of which returns numbers, statuses and configuration only.

-- Replay protection for TOTP: the user's own last accepted time step.
GRANT SELECT (totp_last_step), UPDATE (totp_last_step) ON users TO desk_app;
--> statement-breakpoint

-- Every city's status and applied configuration, for the tenant registry of a
-- running server (actor 'system'): it serves applied files without a restart.
-- Tenant files are configuration the portal publishes, not tenant content.
CREATE FUNCTION applied_tenant_configs()
  RETURNS TABLE (slug text, status text, config_revision integer, config_file text, config_source text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT t.slug, t.status, t.config_revision, t.config_file, t.config_source
      FROM public.tenants t
     WHERE public.app_actor() = 'system'
  $$;
--> statement-breakpoint

-- A cheap fingerprint of every city's status and revision: the registry polls
-- it and reloads only when it changes.
CREATE FUNCTION tenant_registry_stamp() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT md5(coalesce(string_agg(t.slug || ':' || t.status || ':' || t.config_revision, ',' ORDER BY t.slug), ''))
      FROM public.tenants t
     WHERE public.app_actor() = 'system'
  $$;
--> statement-breakpoint

-- The operator console's health numbers: per city (by slug), proposals per state, enabled
-- staff, and the time of the last proposal event. Counts and a timestamp only;
-- nothing for anyone but an enabled operator.
CREATE FUNCTION operator_tenant_counts()
  RETURNS TABLE (slug text, proposals_by_state jsonb, staff integer, last_activity_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT t.slug,
           coalesce((SELECT jsonb_object_agg(s.state, s.n)
                       FROM (SELECT p.state, count(*)::int AS n FROM public.proposals p
                              WHERE p.tenant_id = t.id GROUP BY p.state) s), '{}'::jsonb),
           (SELECT count(*)::int FROM public.city_memberships m JOIN public.users u ON u.id = m.user_id
             WHERE m.tenant_id = t.id AND u.disabled_at IS NULL),
           (SELECT max(e.at) FROM public.proposal_events e WHERE e.tenant_id = t.id)
      FROM public.tenants t
     WHERE (SELECT public.app_is_operator())
  $$;
--> statement-breakpoint

-- Suspend or resume a city (or make a draft live). Only an enabled operator;
-- returns false when nothing changed. Data is untouched.
CREATE FUNCTION operator_set_tenant_status(p_slug text, p_status text) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    changed integer;
  BEGIN
    IF NOT public.app_is_operator() THEN
      RAISE EXCEPTION 'operator only' USING ERRCODE = '42501';
    END IF;
    IF p_status NOT IN ('live', 'suspended') THEN
      RAISE EXCEPTION 'status must be live or suspended' USING ERRCODE = '22023';
    END IF;
    UPDATE public.tenants SET status = p_status, updated_at = now()
     WHERE slug = p_slug AND status IS DISTINCT FROM p_status;
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed > 0;
  END
  $$;
--> statement-breakpoint

DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY[
    'applied_tenant_configs()', 'tenant_registry_stamp()', 'operator_tenant_counts()',
    'operator_set_tenant_status(text, text)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO desk_app', f);
  END LOOP;
END
$$;
