-- Write paths that run on a Citus coordinator (issue 21, decision 008 "Write
-- paths"). Citus refuses, in one transaction, a query of a city's shards by a
-- second database user after the first wrote them ("cannot perform query on
-- placements that were modified in this transaction by a different user"):
-- a SECURITY DEFINER function called by a request after the request's own
-- writes runs as the owner, on other connections, and cannot see them. So the
-- request now does these writes itself, as the runtime role under row-level
-- security, and what it may not read is done by triggers, which run on the
-- shard itself (local execution, in the writing connection).
--
-- 1. Reference numbers: a counter row per city, prefix and year, advanced by
--    the submitting request with INSERT … ON CONFLICT DO UPDATE … RETURNING.
--    Codes stay PREFIX-YEAR-NNNN, numbered from 1 per city and year, gap-free:
--    the row lock serialises the city's submissions until commit (as the
--    advisory lock did) and a rolled-back submission rolls its number back. It
--    replaces the max() over the city's codes under an advisory lock (O(n), and
--    the queue the performance run saw, docs/performance.md).
-- 2. Notifications to a city's staff: the request inserts one row without a
--    recipient (for the desk, or for the staff of some departments); a BEFORE
--    INSERT trigger replaces it by one row per recipient, in each one's
--    language, after checking the writer may notify the city (the rule of
--    enqueue_city_staff_notifications). A row with a recipient and no locale
--    gets the recipient's (the submitter's notice no longer calls app_people
--    after the request's writes).
-- 3. touch_session: no timestamptz + interval next to column references in
--    the UPDATE (STABLE; Citus refuses it there).
-- 4. The mailer reads each batch's recipients with one PL/pgSQL reader before
--    its writes (recipient_for_notification was SQL, per row, after them).

------------------------------------------------------------------------------
-- 1. Reference numbers
------------------------------------------------------------------------------
CREATE TABLE "proposal_reference_counters" (
	"tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
	"prefix" text NOT NULL,
	"year" integer NOT NULL,
	-- The last number given (PREFIX-YEAR-NNNN): the next submission takes last_number + 1.
	"last_number" integer NOT NULL CHECK ("last_number" > 0),
	CONSTRAINT "proposal_reference_counters_pk" PRIMARY KEY ("tenant_id", "prefix", "year")
);
--> statement-breakpoint
SELECT desk_secure_table('proposal_reference_counters');
--> statement-breakpoint
-- Who may number a city's submissions: its staff, and a proposer whose organisation has a proposal
-- there (the draft being submitted is one) — the callers next_proposal_reference_number allowed.
CREATE POLICY proposal_reference_counters_city ON proposal_reference_counters FOR ALL TO desk_app
  USING (tenant_id = app_tenant_id()
         AND (app_staff_role() IS NOT NULL OR (app_actor() = 'proposer' AND app_has_flag('proposer_in_city'))))
  WITH CHECK (tenant_id = app_tenant_id()
         AND (app_staff_role() IS NOT NULL OR (app_actor() = 'proposer' AND app_has_flag('proposer_in_city'))));
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON proposal_reference_counters TO desk_app;
--> statement-breakpoint
SELECT desk_distribute_tenant_table('proposal_reference_counters');
--> statement-breakpoint
-- The counters of the codes already given.
INSERT INTO proposal_reference_counters (tenant_id, prefix, year, last_number)
SELECT p.tenant_id, m[1], m[2]::integer, max(m[3]::integer)
  FROM proposals p CROSS JOIN LATERAL regexp_match(p.reference_code, '^(.+)-([0-9]{4})-([0-9]+)$') AS m
 WHERE p.reference_code IS NOT NULL AND m IS NOT NULL
 GROUP BY p.tenant_id, m[1], m[2]::integer;
--> statement-breakpoint
-- A code written any other way (the demo and scale seeds, an imported city, a test's fixture) moves
-- its counter too, so the next submission never takes a number already given. Runs on the shard
-- (local execution on Citus: the counter is the same city's co-located row).
CREATE FUNCTION keep_reference_counter() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    m text[] := regexp_match(NEW.reference_code, '^(.+)-([0-9]{4})-([0-9]+)$');
  BEGIN
    IF m IS NOT NULL THEN
      INSERT INTO public.proposal_reference_counters AS c (tenant_id, prefix, year, last_number)
        VALUES (NEW.tenant_id, m[1], m[2]::integer, m[3]::integer)
        ON CONFLICT (tenant_id, prefix, year) DO UPDATE SET last_number = excluded.last_number
        WHERE c.last_number < excluded.last_number;
    END IF;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION keep_reference_counter() FROM PUBLIC;
--> statement-breakpoint
-- Citus creates a trigger on a distributed table only under this setting (db/citus/distribute.ts:
-- the trigger functions known to be safe on shards); elsewhere it is an unused placeholder.
SET LOCAL citus.enable_unsafe_triggers TO on;
--> statement-breakpoint
CREATE TRIGGER proposals_reference_counter AFTER INSERT OR UPDATE OF reference_code ON proposals
  FOR EACH ROW WHEN (NEW.reference_code IS NOT NULL) EXECUTE FUNCTION keep_reference_counter();
--> statement-breakpoint
DROP FUNCTION next_proposal_reference_number(text, integer);
--> statement-breakpoint

------------------------------------------------------------------------------
-- 2. Notifications to a city's staff
------------------------------------------------------------------------------
-- Only on a row a request inserts without a recipient: for the staff of these departments (by key),
-- or for the desk (desk admins and desk staff) when NULL. Never stored: the trigger below replaces
-- that row by one per recipient.
ALTER TABLE notification_outbox ADD COLUMN for_department_keys text[];
--> statement-breakpoint
CREATE FUNCTION address_notification() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    IF NEW.recipient_user_id IS NOT NULL THEN
      IF NEW.locale IS NULL THEN
        NEW.locale := coalesce((SELECT u.locale FROM public.users u WHERE u.id = NEW.recipient_user_id), 'ja');
      END IF;
      NEW.for_department_keys := NULL;
      RETURN NEW;
    END IF;
    -- For the city's staff: written by the city's staff, or by a proposer with a proposal there
    -- (the notification_outbox_insert policy's rule; this row never reaches the policy's check).
    IF NEW.tenant_id IS DISTINCT FROM public.app_tenant_id() OR NOT (
         public.app_staff_role() IS NOT NULL
         OR (public.app_actor() = 'proposer' AND public.app_has_flag('proposer_in_city'))) THEN
      RAISE EXCEPTION 'city staff are notified only by staff or proposers of the city' USING ERRCODE = '42501';
    END IF;
    INSERT INTO public.notification_outbox (tenant_id, recipient_user_id, kind, payload, locale)
    SELECT cm.tenant_id, cm.user_id, NEW.kind, NEW.payload, u.locale
      FROM public.city_memberships cm
      JOIN public.users u ON u.id = cm.user_id AND u.disabled_at IS NULL
      LEFT JOIN public.departments d ON d.tenant_id = cm.tenant_id AND d.id = cm.department_id
     WHERE cm.tenant_id = NEW.tenant_id
       AND CASE WHEN NEW.for_department_keys IS NULL THEN cm.role IN ('desk_admin', 'desk_staff')
                ELSE cm.role = 'department_staff' AND d.key = ANY (NEW.for_department_keys) END;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION address_notification() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER notification_outbox_address BEFORE INSERT ON notification_outbox
  FOR EACH ROW WHEN (NEW.recipient_user_id IS NULL OR NEW.locale IS NULL) EXECUTE FUNCTION address_notification();
--> statement-breakpoint
DROP FUNCTION enqueue_city_staff_notifications(text, jsonb, text[]);
--> statement-breakpoint

------------------------------------------------------------------------------
-- 3. touch_session: the new expiry computed in PL/pgSQL, written as values.
------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION touch_session(p_session_id text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_now timestamptz := now();
    v_stale_before timestamptz := v_now - interval '30 seconds';
    v_idle interval;
    v_absolute timestamptz;
    v_idle_expires timestamptz;
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'system' THEN
      RETURN;
    END IF;
    SELECT s.idle_expires_at - s.last_seen_at, s.absolute_expires_at INTO v_idle, v_absolute
      FROM public.sessions s
     WHERE s.id = p_session_id AND s.expires_at > v_now AND s.last_seen_at < v_stale_before;
    IF NOT FOUND THEN
      RETURN;
    END IF;
    v_idle_expires := v_now + v_idle;
    -- The same conditions again: a concurrent touch in between has moved last_seen_at, and wins.
    UPDATE public.sessions s
       SET idle_expires_at = v_idle_expires,
           expires_at = least(v_idle_expires, v_absolute),
           last_seen_at = v_now
     WHERE s.id = p_session_id AND s.expires_at > v_now AND s.last_seen_at < v_stale_before;
  END
  $$;
--> statement-breakpoint

------------------------------------------------------------------------------
-- 4. The mailer's recipients: name, address and language of each notification among p_ids not
--    yet sent to an account still enabled. The system actor of the city only.
------------------------------------------------------------------------------
CREATE FUNCTION recipients_for_notifications(p_ids uuid[])
  RETURNS TABLE (notification_id uuid, email text, display_name text, locale text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_city uuid := public.app_tenant_id();
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'system' OR v_city IS NULL THEN
      RETURN;
    END IF;
    RETURN QUERY
      SELECT n.id, u.email, u.display_name, coalesce(n.locale, u.locale)
        FROM public.notification_outbox n JOIN public.users u ON u.id = n.recipient_user_id
       WHERE n.tenant_id = v_city AND n.id = ANY (p_ids) AND n.sent_at IS NULL AND u.disabled_at IS NULL;
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION recipients_for_notifications(uuid[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION recipients_for_notifications(uuid[]) TO desk_app;
--> statement-breakpoint
DROP FUNCTION recipient_for_notification(uuid);
