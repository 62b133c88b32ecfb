-- The names of a page's people (app_people: a thread's authors, a proposal's submitter) looked up by index
-- (issue 19; docs/performance.md, "the functions every request calls (session 16)").
--
-- app_people admits a person the caller may see: among others, the authors of the city's messages the caller
-- may read and the submitters of the city's proposals they see. Neither table had an index on those columns,
-- so each call read every message and every proposal of the city and checked the policy's test on each: for
-- the three authors of one proposal's thread in a city of 10,000 proposals, 16,000 messages (15.7 ms) and
-- 10,000 proposals (21.5 ms), on every desk proposal page — and more with every proposal the city receives.
CREATE INDEX "messages_tenant_author_idx" ON "messages" USING btree ("tenant_id", "author_user_id");
--> statement-breakpoint
CREATE INDEX "proposals_tenant_submitter_idx" ON "proposals" USING btree ("tenant_id", "submitter_user_id");
--> statement-breakpoint
-- And, in a city, each candidate is looked up once, only until one of their messages or proposals is visible
-- (as app_seen_organisation_ids since migration 0042), instead of collecting every such row: a desk's staff
-- member is the author of thousands of the city's messages. Same answers: a person is seen when at least one
-- of their messages (or, for staff, proposals) is. A proposer's reading across cities (no city set) is
-- unchanged: it has no city to look up by.
CREATE OR REPLACE FUNCTION app_people(p_user_ids uuid[])
  RETURNS TABLE (id uuid, email text, display_name text, locale text, disabled_at timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  #variable_conflict use_column
  DECLARE
    v_actor text := public.app_actor();
    v_tenant uuid := public.app_tenant_id();
    v_seen uuid[];
  BEGIN
    IF v_actor IS NULL OR p_user_ids IS NULL THEN
      RETURN;
    END IF;
    v_seen := ARRAY[public.app_user_id()];
    -- The members of one's organisations (empty unless the actor is a proposer).
    v_seen := v_seen || ARRAY(
      SELECT om.user_id FROM public.organisation_members om
       WHERE om.organisation_id = ANY (public.app_organisation_ids()) AND om.user_id = ANY (p_user_ids));
    -- The authors of messages the caller may read (the messages policy's rule); the city as a value
    -- where there is one, so that Citus sends the statement to one shard.
    IF v_actor IN ('staff', 'proposer') AND v_tenant IS NOT NULL THEN
      v_seen := v_seen || ARRAY(
        SELECT c.id FROM unnest(p_user_ids) AS c(id)
         WHERE EXISTS (
           SELECT 1 FROM public.messages m
            WHERE m.tenant_id = v_tenant AND m.author_user_id = c.id
              AND public.app_sees_proposal(m.tenant_id, m.organisation_id, m.city_visible, m.routed_department_ids)));
    ELSIF v_actor = 'proposer' THEN
      v_seen := v_seen || ARRAY(
        SELECT m.author_user_id FROM public.messages m
         WHERE m.organisation_id = ANY (public.app_organisation_ids()) AND m.author_user_id = ANY (p_user_ids)
           AND public.app_sees_proposal(m.tenant_id, m.organisation_id, m.city_visible, m.routed_department_ids));
    END IF;
    -- A city's staff: the city's members, and the submitters of the proposals they see.
    IF public.app_staff_role() IS NOT NULL THEN
      v_seen := v_seen || ARRAY(
        SELECT cm.user_id FROM public.city_memberships cm
         WHERE cm.tenant_id = v_tenant AND cm.user_id = ANY (p_user_ids));
      v_seen := v_seen || ARRAY(
        SELECT c.id FROM unnest(p_user_ids) AS c(id)
         WHERE EXISTS (
           SELECT 1 FROM public.proposals p
            WHERE p.tenant_id = v_tenant AND p.submitter_user_id = c.id
              AND public.app_sees_proposal(p.tenant_id, p.organisation_id,
                    p.submitted_at IS NOT NULL OR p.shared_with_city_at IS NOT NULL, p.routed_department_ids)));
    END IF;
    RETURN QUERY
      SELECT u.id, u.email, u.display_name, u.locale, u.disabled_at FROM public.users u
       WHERE u.id = ANY (p_user_ids) AND u.id = ANY (v_seen);
  END
  $$;
