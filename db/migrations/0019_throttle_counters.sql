CREATE TABLE "throttle_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"hits" integer DEFAULT 0 NOT NULL,
	"window_ends_at" timestamp with time zone NOT NULL,
	"blocked_until" timestamp with time zone,
	"strikes" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP TABLE "login_attempts" CASCADE;
--> statement-breakpoint

-- Throttling (issue 17, findings 3 and 4; docs/decisions/006-security.md).
-- login_attempts was read (count the failures) and written (record one) in two
-- steps, so concurrent guesses all passed the check before any was recorded
-- (100 concurrent wrong passwords: 21 through a limit of 10). A counter row
-- per key, taken under its row lock in one call, makes the check and the
-- record one step. A key over its limit is blocked for a while that doubles
-- with each block (backoff), up to the rule's longest; nothing locks an
-- account for everyone: sign-in keys are per (account, address) and per address.

SELECT desk_secure_table('throttle_counters');
--> statement-breakpoint
-- Throttling happens before anyone is known: system actor only.
CREATE POLICY throttle_counters_system ON throttle_counters FOR ALL TO desk_app
  USING (app_actor() = 'system') WITH CHECK (app_actor() = 'system');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON throttle_counters TO desk_app;
--> statement-breakpoint

-- One attempt against p_key: 0 when allowed, else the seconds until the key
-- may try again. Counts the attempt and checks the limit under the row's lock
-- (the INSERT makes sure a row exists to lock), so concurrent callers are
-- served one after another and at most p_limit attempts per window pass.
-- SECURITY INVOKER: the caller's row-level security applies (system actor).
CREATE FUNCTION throttle_take(
  p_key text, p_limit integer, p_window_seconds integer, p_block_seconds integer, p_max_block_seconds integer
) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    c public.throttle_counters%ROWTYPE;
  BEGIN
    INSERT INTO public.throttle_counters (key, hits, window_ends_at)
    VALUES (p_key, 0, now() + make_interval(secs => p_window_seconds))
    ON CONFLICT (key) DO NOTHING;
    SELECT * INTO c FROM public.throttle_counters t WHERE t.key = p_key FOR UPDATE;
    IF c.blocked_until > now() THEN
      RETURN ceil(extract(epoch FROM c.blocked_until - now()))::integer;
    END IF;
    IF c.window_ends_at <= now() THEN
      c.hits := 0;
      c.window_ends_at := now() + make_interval(secs => p_window_seconds);
    END IF;
    c.hits := c.hits + 1;
    IF c.hits > p_limit THEN
      c.strikes := c.strikes + 1;
      c.blocked_until := now() + make_interval(
        secs => least(p_block_seconds * power(2, least(c.strikes - 1, 30)), p_max_block_seconds));
      c.hits := 0;
      c.window_ends_at := c.blocked_until + make_interval(secs => p_window_seconds);
    END IF;
    UPDATE public.throttle_counters t
       SET hits = c.hits, window_ends_at = c.window_ends_at, blocked_until = c.blocked_until,
           strikes = c.strikes, updated_at = now()
     WHERE t.key = p_key;
    RETURN CASE WHEN c.blocked_until > now() THEN ceil(extract(epoch FROM c.blocked_until - now()))::integer ELSE 0 END;
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION throttle_take(text, integer, integer, integer, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION throttle_take(text, integer, integer, integer, integer) TO desk_app;
