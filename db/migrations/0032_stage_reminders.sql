-- Per-stage target days and the desk's reminders (issue 20). A proposal keeps
-- when it entered its current stage (state_entered_at, set by the transition
-- that moves it) and when the desk was last reminded that it waits too long
-- there (stage_reminded_at): reminded for this stay iff stage_reminded_at is at
-- or after state_entered_at, so the reminder job mails once per proposal and
-- stage however often it runs, and again only if the proposal comes back to a
-- stage later.
ALTER TABLE proposals ADD COLUMN state_entered_at timestamptz NOT NULL DEFAULT now();
--> statement-breakpoint
ALTER TABLE proposals ADD COLUMN stage_reminded_at timestamptz;
--> statement-breakpoint
-- Existing proposals entered their stage with the last event that led there.
UPDATE proposals p
   SET state_entered_at = coalesce(
         (SELECT max(e.at) FROM proposal_events e
           WHERE e.tenant_id = p.tenant_id AND e.proposal_id = p.id AND e.to_state = p.state),
         p.submitted_at, p.created_at);
--> statement-breakpoint

-- The reminder job (actor 'system', the city's tenant set): marks the city's
-- submitted proposals that have waited longer than their stage's target and
-- were not yet reminded for this stay, and queues a notification to each of
-- the desk's staff (desk admins and desk staff, not disabled) for each, in
-- their language. p_targets: [{ "track", "step", "days" }] from the tenant
-- file. Returns the proposals marked. SECURITY DEFINER because the system
-- actor reads no proposal and lists no staff through the policies.
CREATE FUNCTION remind_desk_of_waiting_proposals(p_targets jsonb)
  RETURNS TABLE (proposal_id uuid, track text, state text, target_days integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_city uuid := public.app_tenant_id();
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'system' OR v_city IS NULL THEN
      RAISE EXCEPTION 'the reminder job runs as the system actor of one city' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
    WITH targets AS (
      SELECT t.track, t.step, t.days FROM jsonb_to_recordset(p_targets) AS t(track text, step text, days integer)
    ), reminded AS (
      UPDATE public.proposals p
         SET stage_reminded_at = now()
        FROM targets t
       WHERE p.tenant_id = v_city AND p.submitted_at IS NOT NULL
         AND p.track = t.track AND p.state = t.step
         AND p.state_entered_at + make_interval(days => t.days) < now()
         AND (p.stage_reminded_at IS NULL OR p.stage_reminded_at < p.state_entered_at)
      RETURNING p.id, p.reference_code, p.title, p.track, p.state, t.days, p.state_entered_at
    ), queued AS (
      INSERT INTO public.notification_outbox (tenant_id, recipient_user_id, kind, payload, locale)
      SELECT v_city, cm.user_id, 'proposal.stage_overdue',
             jsonb_build_object('proposalId', r.id, 'referenceCode', r.reference_code, 'title', r.title,
                                'track', r.track, 'state', r.state, 'targetDays', r.days,
                                'enteredAt', r.state_entered_at, 'audience', 'city'),
             u.locale
        FROM reminded r
        JOIN public.city_memberships cm ON cm.tenant_id = v_city AND cm.role IN ('desk_admin', 'desk_staff')
        JOIN public.users u ON u.id = cm.user_id AND u.disabled_at IS NULL
      RETURNING 1
    )
    SELECT r.id, r.track, r.state, r.days FROM reminded r;
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION remind_desk_of_waiting_proposals(jsonb) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION remind_desk_of_waiting_proposals(jsonb) TO desk_app;
