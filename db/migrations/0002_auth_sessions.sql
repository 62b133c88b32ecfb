-- Sessions (issue 5, docs/decisions/003-lucia-behind-one-module.md): the two
-- session operations that know only a session id. The session validator runs
-- as the system actor before any user is known, so, like find_session(), these
-- are SECURITY DEFINER and limited to actor 'system'.

-- Slides a live session's idle window: the idle length is what was granted at
-- sign-in (idle_expires_at - last_seen_at), never past the absolute limit.
-- Touches at most once every 30 seconds per session.
CREATE FUNCTION touch_session(p_session_id text) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    UPDATE public.sessions s
       SET idle_expires_at = now() + (s.idle_expires_at - s.last_seen_at),
           expires_at = least(now() + (s.idle_expires_at - s.last_seen_at), s.absolute_expires_at),
           last_seen_at = now()
     WHERE public.app_actor() = 'system' AND s.id = p_session_id
       AND s.expires_at > now() AND s.last_seen_at < now() - interval '30 seconds'
  $$;
--> statement-breakpoint

-- Ends one session by its id (sign-out, or a session found expired or orphaned).
CREATE FUNCTION end_session(p_session_id text) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    DELETE FROM public.sessions s WHERE public.app_actor() = 'system' AND s.id = p_session_id
  $$;
--> statement-breakpoint

REVOKE ALL ON FUNCTION touch_session(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION touch_session(text) TO desk_app;
--> statement-breakpoint
REVOKE ALL ON FUNCTION end_session(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION end_session(text) TO desk_app;
