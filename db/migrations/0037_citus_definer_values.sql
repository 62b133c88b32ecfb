-- Definers Citus could not run, found by running the integration suite on the
-- coordinator (pnpm test:citus, issue 21, decision 008). Citus plans an UPDATE
-- or DELETE of a distributed, reference or Citus local table itself and
-- refuses, next to the table's columns, a function that is not IMMUTABLE
-- inside CASE or COALESCE ("non-IMMUTABLE functions are not allowed in CASE or
-- COALESCE statements": app_actor() is inlined to one, now() in a CASE) and a
-- STABLE function with column references ("STABLE functions used in UPDATE
-- queries cannot be called with column references": timestamptz + interval).
-- Each is now computed in PL/pgSQL first and written into the statement as a
-- value; same rules, same rows. The city as a value also makes a read one
-- shard: app_tenant_id() in the WHERE made set_account_disabled's membership
-- check a read of every shard, after which Citus refuses the write to the users
-- reference table ("cannot modify table … after a parallel operation").

CREATE OR REPLACE FUNCTION end_session(p_session_id text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'system' THEN
      RETURN;
    END IF;
    DELETE FROM public.sessions s WHERE s.id = p_session_id;
  END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION revoke_password_reset_tokens(p_user_id uuid) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_now timestamptz := now();
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'system' AND p_user_id IS DISTINCT FROM public.app_user_id() THEN
      RETURN;
    END IF;
    UPDATE public.password_reset_tokens t
       SET used_at = v_now
     WHERE t.user_id = p_user_id AND t.used_at IS NULL;
  END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION set_account_disabled(p_user_id uuid, p_disabled boolean) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    target_role text;
    changed integer;
    v_disabled_at timestamptz := CASE WHEN p_disabled THEN now() END;
    v_city uuid := public.app_tenant_id();
  BEGIN
    IF NOT public.app_is_operator() AND public.app_staff_role() IS DISTINCT FROM 'desk_admin' THEN
      RAISE EXCEPTION 'operator or desk admin only' USING ERRCODE = '42501';
    END IF;
    SELECT u.platform_role INTO target_role FROM public.users u WHERE u.id = p_user_id;
    IF NOT FOUND THEN
      RETURN 'not_found';
    END IF;
    IF NOT public.app_is_operator() AND NOT EXISTS (
      SELECT 1 FROM public.city_memberships m
       WHERE m.user_id = p_user_id AND m.tenant_id = v_city
    ) THEN
      RETURN 'not_found';
    END IF;
    IF p_user_id = public.app_user_id() THEN
      RETURN 'self';
    END IF;
    IF NOT public.app_is_operator() AND target_role IS NOT NULL THEN
      RETURN 'operator';
    END IF;
    UPDATE public.users SET disabled_at = v_disabled_at
     WHERE id = p_user_id AND (disabled_at IS NULL) = p_disabled;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF p_disabled THEN
      DELETE FROM public.sessions WHERE user_id = p_user_id;
    END IF;
    RETURN CASE WHEN changed > 0 THEN 'changed' ELSE 'unchanged' END;
  END
  $$;
--> statement-breakpoint
-- The reminder job (migration 0032), target by target: the cut-off is a value, and the proposals it
-- marks are read back from the UPDATE to queue each one's notifications (one statement per proposal
-- instead of data-modifying CTEs). Same rows, same notifications.
CREATE OR REPLACE FUNCTION remind_desk_of_waiting_proposals(p_targets jsonb)
  RETURNS TABLE (proposal_id uuid, track text, state text, target_days integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_city uuid := public.app_tenant_id();
    v_now timestamptz := now();
    v_cutoff timestamptz;
    v_target record;
    v_proposal record;
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'system' OR v_city IS NULL THEN
      RAISE EXCEPTION 'the reminder job runs as the system actor of one city' USING ERRCODE = '42501';
    END IF;
    FOR v_target IN
      SELECT x.track, x.step, x.days FROM jsonb_to_recordset(p_targets) AS x(track text, step text, days integer)
    LOOP
      v_cutoff := v_now - make_interval(days => v_target.days);
      FOR v_proposal IN
        UPDATE public.proposals p
           SET stage_reminded_at = v_now
         WHERE p.tenant_id = v_city AND p.submitted_at IS NOT NULL
           AND p.track = v_target.track AND p.state = v_target.step
           AND p.state_entered_at < v_cutoff
           AND (p.stage_reminded_at IS NULL OR p.stage_reminded_at < p.state_entered_at)
        RETURNING p.id, p.reference_code, p.title, p.track, p.state, p.state_entered_at
      LOOP
        INSERT INTO public.notification_outbox (tenant_id, recipient_user_id, kind, payload, locale)
        SELECT v_city, cm.user_id, 'proposal.stage_overdue',
               jsonb_build_object('proposalId', v_proposal.id, 'referenceCode', v_proposal.reference_code,
                                  'title', v_proposal.title, 'track', v_proposal.track, 'state', v_proposal.state,
                                  'targetDays', v_target.days, 'enteredAt', v_proposal.state_entered_at,
                                  'audience', 'city'),
               u.locale
          FROM public.city_memberships cm
          JOIN public.users u ON u.id = cm.user_id AND u.disabled_at IS NULL
         WHERE cm.tenant_id = v_city AND cm.role IN ('desk_admin', 'desk_staff');
        proposal_id := v_proposal.id;
        track := v_proposal.track;
        state := v_proposal.state;
        target_days := v_target.days;
        RETURN NEXT;
      END LOOP;
    END LOOP;
  END
  $$;
--> statement-breakpoint
-- SQL-language definers whose query takes a parameter cannot be planned by Citus ("could not create
-- distributed plan … parameters in SQL functions"): the invitation links' readers in PL/pgSQL, the
-- city as a value.
CREATE OR REPLACE FUNCTION invitation_for_token(p_token_hash text)
  RETURNS TABLE (id uuid, email text, role text, department_id uuid, expires_at timestamptz, used_at timestamptz,
                 revoked_at timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_city uuid := public.app_tenant_id();
  BEGIN
    RETURN QUERY
      SELECT i.id, i.email, i.role, i.department_id, i.expires_at, i.used_at, i.revoked_at
        FROM public.invitations i
       WHERE i.tenant_id = v_city AND i.token_hash = p_token_hash;
  END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION organisation_invitation_for_token(p_token_hash text)
  RETURNS TABLE (id uuid, organisation_id uuid, organisation_name text, email text, role text,
                 expires_at timestamptz, used_at timestamptz, revoked_at timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    IF public.app_actor() IS NULL THEN
      RETURN;
    END IF;
    RETURN QUERY
      SELECT i.id, i.organisation_id, o.name, i.email, i.role, i.expires_at, i.used_at, i.revoked_at
        FROM public.organisation_invitations i JOIN public.organisations o ON o.id = i.organisation_id
       WHERE i.token_hash = p_token_hash;
  END
  $$;
