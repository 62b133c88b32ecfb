-- The functions every request calls keep their plans (issue 19: the PostgreSQL work of a page beyond its own
-- statements; docs/performance.md, "the functions every request calls (session 16)").
--
-- The runtime pool plans every statement afresh (plan_cache_mode = force_custom_plan, db/runtime.ts): a
-- generic plan cannot see the settings the policies compare with, and the inbox's statements were slower
-- with one. That setting also reaches the statements inside PL/pgSQL functions, which PostgreSQL would
-- otherwise plan once per connection, and an SQL function with a SET clause is planned on every call anyway.
-- So the session's validation, the context every transaction sets and the organisations' names of a page
-- planned their few key lookups on every call: per call under the inbox's load, find_session 226-261 µs,
-- app_context_memberships 154, app_seen_organisation_ids 593 (pg_stat_user_functions, track_functions = all).
--
-- Here each of them plans as PostgreSQL does by default (plan_cache_mode = auto, for the function's own
-- statements only): custom plans for the first five calls, then the generic plan when it costs no more.
-- Their statements are lookups by key (a session by id, a membership by city and user, an organisation's
-- first visible proposal by city and organisation), whose plan does not depend on the values. find_session
-- and app_organisations become PL/pgSQL with the same query, since an SQL function keeps no plan between
-- calls; app_organisations reads the seen organisations once, before its query, not as part of it. What each
-- returns is unchanged.

CREATE OR REPLACE FUNCTION find_session(p_session_id text)
  RETURNS TABLE (session_id text, user_id uuid, expires_at timestamptz, idle_expires_at timestamptz,
                 absolute_expires_at timestamptz, created_at timestamptz, last_seen_at timestamptz,
                 email text, display_name text, locale text, disabled_at timestamptz, platform_role text,
                 password_changed_at timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public SET plan_cache_mode = auto
  AS $$
  #variable_conflict use_column
  BEGIN
    RETURN QUERY
      SELECT s.id, s.user_id, s.expires_at, s.idle_expires_at, s.absolute_expires_at, s.created_at, s.last_seen_at,
             u.email, u.display_name, u.locale, u.disabled_at, u.platform_role, u.password_changed_at
        FROM public.sessions s JOIN public.users u ON u.id = s.user_id
       WHERE public.app_actor() = 'system' AND s.id = p_session_id;
  END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_organisations(p_organisation_ids uuid[]) RETURNS TABLE (id uuid, name text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public SET plan_cache_mode = auto
  AS $$
  #variable_conflict use_column
  DECLARE
    v_seen uuid[] := public.app_seen_organisation_ids(p_organisation_ids);
  BEGIN
    RETURN QUERY
      SELECT o.id, o.name FROM public.organisations o
       WHERE o.id = ANY (p_organisation_ids) AND o.id = ANY (v_seen);
  END
  $$;
--> statement-breakpoint
ALTER FUNCTION app_seen_organisation_ids(uuid[]) SET plan_cache_mode = auto;
--> statement-breakpoint
ALTER FUNCTION app_context_memberships() SET plan_cache_mode = auto;
--> statement-breakpoint
ALTER FUNCTION touch_session(text) SET plan_cache_mode = auto;
