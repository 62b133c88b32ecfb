-- Disabling and re-enabling accounts (issue 20). A platform operator may disable any account but
-- their own; a desk admin may disable the staff of their own city, never themselves and never an
-- operator. Disabling ends every session of the account in the same transaction. Returns what
-- happened: 'changed', 'unchanged', 'not_found' (no such account, or not this city's staff),
-- 'self' or 'operator'; anyone else is refused.
CREATE FUNCTION set_account_disabled(p_user_id uuid, p_disabled boolean) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    target_role text;
    changed integer;
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
       WHERE m.user_id = p_user_id AND m.tenant_id = public.app_tenant_id()
    ) THEN
      RETURN 'not_found';
    END IF;
    IF p_user_id = public.app_user_id() THEN
      RETURN 'self';
    END IF;
    IF NOT public.app_is_operator() AND target_role IS NOT NULL THEN
      RETURN 'operator';
    END IF;
    UPDATE public.users SET disabled_at = CASE WHEN p_disabled THEN now() END
     WHERE id = p_user_id AND (disabled_at IS NULL) = p_disabled;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF p_disabled THEN
      DELETE FROM public.sessions WHERE user_id = p_user_id;
    END IF;
    RETURN CASE WHEN changed > 0 THEN 'changed' ELSE 'unchanged' END;
  END
  $$;
--> statement-breakpoint

-- The operator console's account lookup by e-mail (exact, case-insensitive): operators only.
CREATE FUNCTION operator_find_account(p_email text)
  RETURNS TABLE (id uuid, email text, display_name text, disabled_at timestamptz, platform_role text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.id, u.email, u.display_name, u.disabled_at, u.platform_role
      FROM public.users u
     WHERE public.app_is_operator() AND lower(u.email) = lower(p_email)
  $$;
--> statement-breakpoint

REVOKE ALL ON FUNCTION set_account_disabled(uuid, boolean) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION set_account_disabled(uuid, boolean) TO desk_app;
--> statement-breakpoint
REVOKE ALL ON FUNCTION operator_find_account(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION operator_find_account(text) TO desk_app;
