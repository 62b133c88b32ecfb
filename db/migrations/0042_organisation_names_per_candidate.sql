-- The organisations a reader has seen, asked about given ids (app_organisations: the names of a
-- page's rows). For staff, 0034 collected every organisation of the city's visible proposals among
-- the candidates — each proposal of each candidate read and checked, then made distinct: on a
-- 50-row inbox page of a city with 10,000 proposals, ~1,900 rows read to name ~45 organisations,
-- ~4 ms of PostgreSQL (over half of the inbox's statements; docs/performance.md, "the inbox
-- (session 12)"). Now each candidate is looked up once and only until one of its proposals is
-- visible (an index probe on proposals_tenant_org_idx). Same answers: a candidate is seen when at
-- least one of its proposals is. Without candidates (the inbox's search by name) nothing changes.
CREATE OR REPLACE FUNCTION app_seen_organisation_ids(p_candidates uuid[]) RETURNS uuid[]
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_tenant uuid := public.app_tenant_id();
    v_seen uuid[] := public.app_organisation_ids();
  BEGIN
    IF public.app_staff_role() IS NULL THEN
      RETURN v_seen;
    END IF;
    -- tenant_id as a value: one shard on Citus.
    IF p_candidates IS NULL THEN
      RETURN v_seen || ARRAY(
        SELECT DISTINCT p.organisation_id FROM public.proposals p
         WHERE p.tenant_id = v_tenant
           AND public.app_sees_proposal(p.tenant_id, p.organisation_id,
                 p.submitted_at IS NOT NULL OR p.shared_with_city_at IS NOT NULL, p.routed_department_ids));
    END IF;
    RETURN v_seen || ARRAY(
      SELECT DISTINCT c.id FROM unnest(p_candidates) AS c(id)
       WHERE EXISTS (
         SELECT 1 FROM public.proposals p
          WHERE p.tenant_id = v_tenant AND p.organisation_id = c.id
            AND public.app_sees_proposal(p.tenant_id, p.organisation_id,
                  p.submitted_at IS NOT NULL OR p.shared_with_city_at IS NOT NULL, p.routed_department_ids)));
  END
  $$;
