-- The proposal lifecycle (issue 7, app/operations/proposals): the two things a
-- proposer must do at submit time that row-level security, rightly, does not
-- let them do with their own eyes. Both read the city from the settings (never
-- from an argument) and act only for a caller who already has a stake in it.

-- Reference codes are numbered per city and year (PREFIX-YEAR-0001). A proposer
-- sees only their own organisations' proposals, so the next number has to be
-- found by a definer. The advisory lock is transaction-level: concurrent submits
-- to the same city and year queue here until the first one commits, and the
-- (tenant_id, reference_code) unique constraint stays the last line of defence.
CREATE FUNCTION next_proposal_reference_number(p_prefix text, p_year integer) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_city uuid := public.app_tenant_id();
  v_next integer;
BEGIN
  IF v_city IS NULL OR NOT (
       public.app_staff_role() IS NOT NULL
       OR EXISTS (SELECT 1 FROM public.proposals p
                   WHERE p.tenant_id = v_city AND p.organisation_id IN (SELECT public.app_my_organisation_ids()))) THEN
    RAISE EXCEPTION 'reference numbers are allocated only for staff or proposers of the city' USING ERRCODE = '42501';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('proposal_reference:' || v_city::text || ':' || p_year::text, 0));
  SELECT coalesce(max(substring(p.reference_code FROM '-([0-9]+)$')::integer), 0) + 1
    INTO v_next
    FROM public.proposals p
   WHERE p.tenant_id = v_city
     AND p.reference_code LIKE p_prefix || '-' || p_year::text || '-%';
  RETURN v_next;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION next_proposal_reference_number(text, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION next_proposal_reference_number(text, integer) TO desk_app;
--> statement-breakpoint

-- Notifies the city's staff in the transactional outbox: the desk roles when
-- p_department_keys is NULL, otherwise the department staff of those
-- departments. A proposer cannot read the city's memberships, yet their submit
-- or withdrawal must reach the desk. Allowed to exactly the callers the
-- notification_outbox_insert policy allows; each recipient in their own locale.
-- Returns how many notifications were queued.
CREATE FUNCTION enqueue_city_staff_notifications(p_kind text, p_payload jsonb, p_department_keys text[])
  RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
DECLARE
  v_city uuid := public.app_tenant_id();
  v_count integer;
BEGIN
  IF v_city IS NULL OR NOT (
       public.app_staff_role() IS NOT NULL
       OR EXISTS (SELECT 1 FROM public.proposals p
                   WHERE p.tenant_id = v_city AND p.organisation_id IN (SELECT public.app_my_organisation_ids()))) THEN
    RAISE EXCEPTION 'city staff are notified only by staff or proposers of the city' USING ERRCODE = '42501';
  END IF;
  INSERT INTO public.notification_outbox (tenant_id, recipient_user_id, kind, payload, locale)
  SELECT v_city, cm.user_id, p_kind, p_payload, u.locale
    FROM public.city_memberships cm
    JOIN public.users u ON u.id = cm.user_id AND u.disabled_at IS NULL
    LEFT JOIN public.departments d ON d.tenant_id = cm.tenant_id AND d.id = cm.department_id
   WHERE cm.tenant_id = v_city
     AND CASE WHEN p_department_keys IS NULL THEN cm.role IN ('desk_admin', 'desk_staff')
              ELSE cm.role = 'department_staff' AND d.key = ANY (p_department_keys) END;
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION enqueue_city_staff_notifications(text, jsonb, text[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION enqueue_city_staff_notifications(text, jsonb, text[]) TO desk_app;
