-- Accepting an invitation on a Citus coordinator (issue 21, decision 008 "Write paths").
--
-- 1. No SELECT … FOR UPDATE: Citus refuses it when the statement joins a
--    city's shard to the users reference table ("could not run distributed
--    query with FOR UPDATE/SHARE commands"). The acceptance reads the caller's
--    address first, then claims the invitation with one UPDATE … RETURNING
--    filtered by the city (a router query on one shard): the row lock and the
--    "not used yet" check are the same statement, so two concurrent
--    acceptances of one link still give one membership. The times are values
--    (now() next to column references in a distributed UPDATE is refused).
--    The city's audit entry is written by the same definer (it takes the
--    client's address): after the definer wrote the city's shards, the
--    request's own INSERT into the co-located audit_log is refused too.
-- 2. With a new account: the request no longer inserts the user and then
--    calls the definer, which would read the row another database user wrote
--    in this transaction (Citus refuses: "modified in this transaction by a
--    different user"). One definer creates the account and accepts, as sign-up
--    does with create_account_with_organisation() (0034). The account is the
--    context's own new user (the rules of users_insert_self); when the
--    invitation cannot be accepted it returns NULL and the caller rolls back.

DROP FUNCTION accept_invitation(text);
--> statement-breakpoint
-- The membership's id; NULL when the token is unknown, used, revoked, expired or for another email.
CREATE FUNCTION accept_invitation(p_token_hash text, p_ip text) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_city uuid := public.app_tenant_id();
    v_user uuid := public.app_user_id();
    v_now timestamptz := now();
    v_email text;
    v_role text;
    v_department uuid;
    v_membership uuid;
  BEGIN
    IF v_city IS NULL OR v_user IS NULL THEN
      RETURN NULL;
    END IF;
    SELECT lower(u.email) INTO v_email FROM public.users u WHERE u.id = v_user AND u.disabled_at IS NULL;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    UPDATE public.invitations i SET used_at = v_now, used_by = v_user
     WHERE i.tenant_id = v_city AND i.token_hash = p_token_hash AND lower(i.email) = v_email
       AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > v_now
    RETURNING i.role, i.department_id INTO v_role, v_department;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    INSERT INTO public.city_memberships (tenant_id, user_id, role, department_id)
    VALUES (v_city, v_user, v_role, v_department)
    ON CONFLICT (tenant_id, user_id)
      DO UPDATE SET role = EXCLUDED.role, department_id = EXCLUDED.department_id, updated_at = v_now
    RETURNING id INTO v_membership;
    INSERT INTO public.audit_log (tenant_id, actor_user_id, actor_kind, action, target_type, target_id, ip, at)
    VALUES (v_city, v_user, 'staff', 'staff.invitation_accepted', 'membership', v_membership::text, p_ip, v_now);
    RETURN v_membership;
  END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION accept_organisation_invitation(p_token_hash text) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_user uuid := public.app_user_id();
    v_now timestamptz := now();
    v_email text;
    v_organisation uuid;
    v_role text;
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'proposer' OR v_user IS NULL THEN
      RETURN NULL;
    END IF;
    SELECT lower(u.email) INTO v_email FROM public.users u WHERE u.id = v_user AND u.disabled_at IS NULL;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    UPDATE public.organisation_invitations i SET used_at = v_now, used_by = v_user
     WHERE i.token_hash = p_token_hash AND lower(i.email) = v_email
       AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > v_now
    RETURNING i.organisation_id, i.role INTO v_organisation, v_role;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    INSERT INTO public.organisation_members (organisation_id, user_id, role)
    VALUES (v_organisation, v_user, v_role)
    ON CONFLICT (organisation_id, user_id) DO NOTHING;
    RETURN v_organisation;
  END
  $$;
--> statement-breakpoint
-- The context's own new user (users_insert_self: a public, proposer or staff context, no platform
-- role, not disabled). Internal: called by the two definers below with their owner's rights.
CREATE FUNCTION app_create_invited_account(
    p_email text, p_display_name text, p_locale text, p_password_hash text)
  RETURNS void
  LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, public
  AS $$
  BEGIN
    IF coalesce(public.app_actor(), '') NOT IN ('public', 'proposer', 'staff') OR public.app_user_id() IS NULL THEN
      RAISE EXCEPTION 'an invited account is created by its new user' USING ERRCODE = '42501';
    END IF;
    INSERT INTO public.users (id, email, display_name, locale, password_hash)
      VALUES (public.app_user_id(), p_email, p_display_name, p_locale, p_password_hash);
  END
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_create_invited_account(text, text, text, text) FROM PUBLIC;
--> statement-breakpoint
-- A new account accepting a city's staff invitation: the membership's id, NULL as accept_invitation.
CREATE FUNCTION accept_invitation_with_account(
    p_token_hash text, p_ip text, p_email text, p_display_name text, p_locale text, p_password_hash text)
  RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    PERFORM public.app_create_invited_account(p_email, p_display_name, p_locale, p_password_hash);
    RETURN public.accept_invitation(p_token_hash, p_ip);
  END
  $$;
--> statement-breakpoint
-- A new account accepting an organisation's invitation: the organisation's id, NULL as
-- accept_organisation_invitation.
CREATE FUNCTION accept_organisation_invitation_with_account(
    p_token_hash text, p_email text, p_display_name text, p_locale text, p_password_hash text)
  RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  BEGIN
    PERFORM public.app_create_invited_account(p_email, p_display_name, p_locale, p_password_hash);
    RETURN public.accept_organisation_invitation(p_token_hash);
  END
  $$;
--> statement-breakpoint
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY[
    'accept_invitation(text, text)',
    'accept_invitation_with_account(text, text, text, text, text, text)',
    'accept_organisation_invitation_with_account(text, text, text, text, text)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO desk_app', f);
  END LOOP;
END
$$;
