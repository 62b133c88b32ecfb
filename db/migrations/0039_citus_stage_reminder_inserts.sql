-- The reminder job (migrations 0032, 0037) on Citus (issue 21, decision 008): its one
-- INSERT … SELECT of the desk's notifications from city_memberships and users cannot be pushed to
-- the shards, because notification_outbox's defaults (gen_random_uuid()) are volatile ("volatile
-- functions are not allowed in distributed INSERT ... SELECT queries"); Citus then collects the rows
-- on the coordinator and COPYs them into the shard, which PostgreSQL refuses on a table with
-- row-level security ("COPY FROM not supported with row-level security"). The desk's recipients are
-- now read once per run (one router query) and each notification is one INSERT … VALUES, a router
-- insert on either engine. Same rows: one per desk admin and desk staff member whose account is
-- enabled, in their language, per proposal marked.
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
    v_recipients uuid[];
    v_locales text[];
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'system' OR v_city IS NULL THEN
      RAISE EXCEPTION 'the reminder job runs as the system actor of one city' USING ERRCODE = '42501';
    END IF;
    SELECT coalesce(array_agg(cm.user_id ORDER BY cm.user_id), '{}'), coalesce(array_agg(u.locale ORDER BY cm.user_id), '{}')
      INTO v_recipients, v_locales
      FROM public.city_memberships cm
      JOIN public.users u ON u.id = cm.user_id AND u.disabled_at IS NULL
     WHERE cm.tenant_id = v_city AND cm.role IN ('desk_admin', 'desk_staff');
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
        FOR i IN 1 .. cardinality(v_recipients) LOOP
          INSERT INTO public.notification_outbox (tenant_id, recipient_user_id, kind, payload, locale)
          VALUES (v_city, v_recipients[i], 'proposal.stage_overdue',
                  jsonb_build_object('proposalId', v_proposal.id, 'referenceCode', v_proposal.reference_code,
                                     'title', v_proposal.title, 'track', v_proposal.track, 'state', v_proposal.state,
                                     'targetDays', v_target.days, 'enteredAt', v_proposal.state_entered_at,
                                     'audience', 'city'),
                  v_locales[i]);
        END LOOP;
        proposal_id := v_proposal.id;
        track := v_proposal.track;
        state := v_proposal.state;
        target_days := v_target.days;
        RETURN NEXT;
      END LOOP;
    END LOOP;
  END
  $$;
