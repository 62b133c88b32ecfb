-- Password reset tokens are revoked together (issue 17, finding 2;
-- docs/decisions/006-security.md): using one, requesting a new one or
-- changing the password leaves none of the user's other tokens usable.
-- Tokens stay single-use, short-lived and stored as SHA-256 hashes.

-- Consuming a token marks every outstanding token of its user used, in the
-- same statement's transaction: a second mailed link dies with the first use.
CREATE OR REPLACE FUNCTION consume_password_reset_token(p_token_hash text) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_user_id uuid;
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'system' THEN
      RETURN NULL;
    END IF;
    UPDATE public.password_reset_tokens t
       SET used_at = now()
     WHERE t.token_hash = p_token_hash AND t.used_at IS NULL AND t.expires_at > now()
    RETURNING t.user_id INTO v_user_id;
    IF v_user_id IS NOT NULL THEN
      UPDATE public.password_reset_tokens t SET used_at = now()
       WHERE t.user_id = v_user_id AND t.used_at IS NULL;
    END IF;
    RETURN v_user_id;
  END
  $$;
--> statement-breakpoint

-- Revokes every outstanding reset token of a user: by the system actor (a new
-- reset is requested) or by the user themselves (their password changes).
CREATE FUNCTION revoke_password_reset_tokens(p_user_id uuid) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    UPDATE public.password_reset_tokens t
       SET used_at = now()
     WHERE t.user_id = p_user_id AND t.used_at IS NULL
       AND (public.app_actor() = 'system' OR p_user_id = public.app_user_id())
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION revoke_password_reset_tokens(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION revoke_password_reset_tokens(uuid) TO desk_app;
