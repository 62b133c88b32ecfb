-- Tenant isolation: grants for the runtime role, forced row-level security on
-- every table, the policies per actor, and the narrowly scoped SECURITY DEFINER
-- functions. Runs as desk_owner (db/setup.ts). Design and rationale:
-- docs/decisions/002-tenant-isolation-with-rls.md.
--
-- Request context, always transaction-local (set_config(name, $1, true), see
-- db/tenant-context.ts):
--   app.tenant_id  the city the request acts in (uuid) or empty
--   app.user_id    the signed-in user (uuid) or empty
--   app.actor      staff | proposer | public | operator | system
-- Unset or empty means NULL, and NULL matches nothing.

-- Search for Japanese text (issue 8): trigram matching, and btree_gin so the
-- trigram index can lead with tenant_id. Both are trusted contrib extensions;
-- skipped where the server does not ship them.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm')
     AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gin') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE EXTENSION IF NOT EXISTS btree_gin;
    CREATE INDEX IF NOT EXISTS proposals_tenant_title_trgm_idx ON proposals USING gin (tenant_id, title gin_trgm_ops);
  ELSE
    RAISE NOTICE 'pg_trgm or btree_gin not available: proposal title trigram index skipped';
  END IF;
END
$$;
--> statement-breakpoint

------------------------------------------------------------------------------
-- Context readers (plain SQL functions so the planner can inline them)
------------------------------------------------------------------------------
CREATE FUNCTION app_tenant_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;
--> statement-breakpoint
-- Only the five known actor kinds count; anything else reads as NULL (no rows).
CREATE FUNCTION app_actor() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT CASE WHEN current_setting('app.actor', true) IN ('staff', 'proposer', 'public', 'operator', 'system')
                THEN current_setting('app.actor', true) END
  $$;
--> statement-breakpoint

------------------------------------------------------------------------------
-- SECURITY DEFINER helpers. Each pins search_path, reads the tenant and the
-- user from the settings (never from an argument), and is executable by the
-- runtime role only. They run as desk_owner, whose "owner_all" policies let
-- them read the membership tables without recursing into the policies below.
------------------------------------------------------------------------------

-- The signed-in user's role in the current city, or NULL (actor must be
-- 'staff', the user must be enabled and a member of app.tenant_id).
CREATE FUNCTION app_staff_role() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT cm.role
      FROM public.city_memberships cm
      JOIN public.users u ON u.id = cm.user_id
     WHERE public.app_actor() = 'staff'
       AND cm.tenant_id = public.app_tenant_id()
       AND cm.user_id = public.app_user_id()
       AND u.disabled_at IS NULL
  $$;
--> statement-breakpoint

-- Proposals of the current city routed to the current department-staff user's department.
CREATE FUNCTION app_department_proposal_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT pd.proposal_id
      FROM public.proposal_departments pd
      JOIN public.city_memberships cm
        ON cm.tenant_id = pd.tenant_id AND cm.department_id = pd.department_id
      JOIN public.users u ON u.id = cm.user_id
     WHERE public.app_actor() = 'staff'
       AND pd.tenant_id = public.app_tenant_id()
       AND cm.user_id = public.app_user_id()
       AND cm.role = 'department_staff'
       AND u.disabled_at IS NULL
  $$;
--> statement-breakpoint

-- Organisations the signed-in user belongs to (actor 'proposer', enabled user).
CREATE FUNCTION app_my_organisation_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT om.organisation_id
      FROM public.organisation_members om
      JOIN public.users u ON u.id = om.user_id
     WHERE public.app_actor() = 'proposer'
       AND om.user_id = public.app_user_id()
       AND u.disabled_at IS NULL
  $$;
--> statement-breakpoint

-- Organisations the signed-in user owns (may edit, may manage members).
CREATE FUNCTION app_my_owned_organisation_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT om.organisation_id
      FROM public.organisation_members om
      JOIN public.users u ON u.id = om.user_id
     WHERE public.app_actor() = 'proposer'
       AND om.user_id = public.app_user_id()
       AND om.role = 'owner'
       AND u.disabled_at IS NULL
  $$;
--> statement-breakpoint

-- True while an organisation has no member yet: lets its creator become its
-- first owner inside the sign-up transaction.
CREATE FUNCTION app_organisation_is_unclaimed(p_organisation_id uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT NOT EXISTS (SELECT 1 FROM public.organisation_members om WHERE om.organisation_id = p_organisation_id)
  $$;
--> statement-breakpoint

-- The signed-in user is an enabled platform operator (actor 'operator').
CREATE FUNCTION app_is_operator() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT public.app_actor() = 'operator' AND EXISTS (
      SELECT 1 FROM public.users u
       WHERE u.id = public.app_user_id() AND u.platform_role = 'operator' AND u.disabled_at IS NULL)
  $$;
--> statement-breakpoint

------------------------------------------------------------------------------
-- SECURITY DEFINER entry points for the moments before a user is known.
------------------------------------------------------------------------------

-- Sign-in (actor 'system'): the one way to read a user by email, with the
-- password hash. Exact, case-insensitive match; one row or none.
CREATE FUNCTION find_user_for_sign_in(p_email text)
  RETURNS TABLE (id uuid, email text, display_name text, locale text, password_hash text,
                 totp_secret text, disabled_at timestamptz, platform_role text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.id, u.email, u.display_name, u.locale, u.password_hash, u.totp_secret, u.disabled_at, u.platform_role
      FROM public.users u
     WHERE public.app_actor() = 'system' AND lower(u.email) = lower(p_email)
  $$;
--> statement-breakpoint

-- The signed-in user's own password hash and TOTP secret (to confirm the
-- current password before a change). Any actor with app.user_id set.
CREATE FUNCTION my_credentials() RETURNS TABLE (password_hash text, totp_secret text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.password_hash, u.totp_secret FROM public.users u
     WHERE public.app_actor() IS NOT NULL AND u.id = public.app_user_id()
  $$;
--> statement-breakpoint

-- Session validation (actor 'system'): the session and its user, by session id.
CREATE FUNCTION find_session(p_session_id text)
  RETURNS TABLE (session_id text, user_id uuid, expires_at timestamptz, idle_expires_at timestamptz,
                 absolute_expires_at timestamptz, created_at timestamptz, last_seen_at timestamptz,
                 email text, display_name text, locale text, disabled_at timestamptz, platform_role text,
                 password_changed_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT s.id, s.user_id, s.expires_at, s.idle_expires_at, s.absolute_expires_at, s.created_at, s.last_seen_at,
           u.email, u.display_name, u.locale, u.disabled_at, u.platform_role, u.password_changed_at
      FROM public.sessions s JOIN public.users u ON u.id = s.user_id
     WHERE public.app_actor() = 'system' AND s.id = p_session_id
  $$;
--> statement-breakpoint

-- Password reset (actor 'system'): marks a valid, unused, unexpired token used
-- and returns its user; NULL otherwise. The caller then acts as that user.
CREATE FUNCTION consume_password_reset_token(p_token_hash text) RETURNS uuid
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    UPDATE public.password_reset_tokens t
       SET used_at = now()
     WHERE public.app_actor() = 'system'
       AND t.token_hash = p_token_hash AND t.used_at IS NULL AND t.expires_at > now()
    RETURNING t.user_id
  $$;
--> statement-breakpoint

-- An invitation of the current city (app.tenant_id) by token hash, to show it
-- before it is accepted. Any actor.
CREATE FUNCTION invitation_for_token(p_token_hash text)
  RETURNS TABLE (id uuid, email text, role text, department_id uuid, expires_at timestamptz, used_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT i.id, i.email, i.role, i.department_id, i.expires_at, i.used_at
      FROM public.invitations i
     WHERE i.tenant_id = public.app_tenant_id() AND i.token_hash = p_token_hash
  $$;
--> statement-breakpoint

-- Accepts an invitation of the current city for the signed-in user, whose
-- email must be the invited one. Creates (or changes) the city membership,
-- marks the invitation used and returns the membership id; NULL when the
-- token is unknown, used, expired or for another email.
CREATE FUNCTION accept_invitation(p_token_hash text) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_invitation public.invitations%ROWTYPE;
    v_membership uuid;
  BEGIN
    IF public.app_tenant_id() IS NULL OR public.app_user_id() IS NULL THEN
      RETURN NULL;
    END IF;
    SELECT i.* INTO v_invitation
      FROM public.invitations i
      JOIN public.users u ON u.id = public.app_user_id() AND lower(u.email) = lower(i.email) AND u.disabled_at IS NULL
     WHERE i.tenant_id = public.app_tenant_id() AND i.token_hash = p_token_hash
       AND i.used_at IS NULL AND i.expires_at > now()
     FOR UPDATE OF i;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    INSERT INTO public.city_memberships (tenant_id, user_id, role, department_id)
    VALUES (v_invitation.tenant_id, public.app_user_id(), v_invitation.role, v_invitation.department_id)
    ON CONFLICT (tenant_id, user_id)
      DO UPDATE SET role = EXCLUDED.role, department_id = EXCLUDED.department_id, updated_at = now()
    RETURNING id INTO v_membership;
    UPDATE public.invitations SET used_at = now(), used_by = public.app_user_id()
     WHERE tenant_id = v_invitation.tenant_id AND id = v_invitation.id;
    RETURN v_membership;
  END
  $$;
--> statement-breakpoint

-- The outbox sender (actor 'system', app.tenant_id set): where to send one
-- unsent notification of the current city, and in which language.
CREATE FUNCTION recipient_for_notification(p_notification_id uuid)
  RETURNS TABLE (email text, display_name text, locale text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.email, u.display_name, coalesce(n.locale, u.locale)
      FROM public.notification_outbox n JOIN public.users u ON u.id = n.recipient_user_id
     WHERE public.app_actor() = 'system'
       AND n.tenant_id = public.app_tenant_id() AND n.id = p_notification_id
       AND n.sent_at IS NULL AND u.disabled_at IS NULL
  $$;
--> statement-breakpoint

-- Used by this and later migrations: RLS enabled AND forced, and the owner's
-- own policy (definer functions and the owner connection run as desk_owner,
-- which forced RLS would otherwise lock out). Not callable by the runtime role.
CREATE FUNCTION desk_secure_table(p_table regclass) RETURNS void
  LANGUAGE plpgsql SET search_path = pg_catalog, public
  AS $$
  BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_table);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', p_table);
    EXECUTE format('CREATE POLICY owner_all ON %s AS PERMISSIVE FOR ALL TO desk_owner USING (true) WITH CHECK (true)', p_table);
  END
  $$;
--> statement-breakpoint

DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY[
    'app_staff_role()', 'app_department_proposal_ids()', 'app_my_organisation_ids()',
    'app_my_owned_organisation_ids()', 'app_organisation_is_unclaimed(uuid)', 'app_is_operator()',
    'find_user_for_sign_in(text)', 'my_credentials()', 'find_session(text)',
    'consume_password_reset_token(text)', 'invitation_for_token(text)', 'accept_invitation(text)',
    'recipient_for_notification(uuid)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO desk_app', f);
  END LOOP;
  EXECUTE 'REVOKE ALL ON FUNCTION desk_secure_table(regclass) FROM PUBLIC';
END
$$;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES FOR ROLE desk_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
--> statement-breakpoint

------------------------------------------------------------------------------
-- Grants: only what some actor needs. Append-only tables get INSERT and SELECT.
------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA public TO desk_app;
--> statement-breakpoint
GRANT SELECT ON tenants TO desk_app;
--> statement-breakpoint
GRANT SELECT (id, email, display_name, locale, password_changed_at, disabled_at, platform_role, created_at, updated_at),
      INSERT,
      UPDATE (email, display_name, locale, password_hash, password_changed_at, totp_secret, updated_at)
   ON users TO desk_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, organisation_members TO desk_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON organisations, mail_outbox TO desk_app;
--> statement-breakpoint
GRANT INSERT ON password_reset_tokens TO desk_app;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON login_attempts TO desk_app;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE login_attempts_id_seq TO desk_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON platform_audit_log TO desk_app;
--> statement-breakpoint
GRANT SELECT ON departments TO desk_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON city_memberships, invitations, themes, proposals, proposal_departments TO desk_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON proposal_events, messages, internal_notes, attachments, audit_log TO desk_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON message_reads, eligibility_screenings, notification_outbox TO desk_app;
--> statement-breakpoint

------------------------------------------------------------------------------
-- Every table: RLS enabled and forced, plus the owner's policy.
------------------------------------------------------------------------------
DO $$
DECLARE
  t regclass;
BEGIN
  FOR t IN SELECT c.oid::regclass FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
  LOOP
    PERFORM desk_secure_table(t);
  END LOOP;
END
$$;
--> statement-breakpoint

------------------------------------------------------------------------------
-- Platform tables
------------------------------------------------------------------------------
-- tenants: live cities are readable by every actor (the portal resolves a
-- slug before it knows anything else); the operator sees all; staff see their own.
CREATE POLICY tenants_select ON tenants FOR SELECT TO desk_app USING (
  app_actor() IS NOT NULL AND (
    status = 'live'
    OR (SELECT app_is_operator())
    OR (id = app_tenant_id() AND (SELECT app_staff_role()) IS NOT NULL)));
--> statement-breakpoint

-- users: your own row; fellow members of your organisations; for city staff,
-- the city's staff and the submitters/authors of proposals and messages they
-- can see; for proposers, the authors of messages they can see.
CREATE POLICY users_select ON users FOR SELECT TO desk_app USING (
  app_actor() IS NOT NULL AND (
    id = app_user_id()
    OR (app_actor() = 'proposer' AND id IN (SELECT om.user_id FROM organisation_members om))
    OR (app_actor() IN ('staff', 'proposer') AND id IN (SELECT m.author_user_id FROM messages m))
    OR ((SELECT app_staff_role()) IS NOT NULL AND (
          id IN (SELECT cm.user_id FROM city_memberships cm WHERE cm.tenant_id = app_tenant_id())
          OR id IN (SELECT p.submitter_user_id FROM proposals p)))));
--> statement-breakpoint
-- Sign-up and invitation acceptance: a new user row for the id in app.user_id, never an operator or disabled.
CREATE POLICY users_insert_self ON users FOR INSERT TO desk_app WITH CHECK (
  app_actor() IN ('public', 'proposer', 'staff') AND id = app_user_id()
  AND platform_role IS NULL AND disabled_at IS NULL);
--> statement-breakpoint
-- Own row only; platform_role and disabled_at are not in the UPDATE grant.
CREATE POLICY users_update_self ON users FOR UPDATE TO desk_app
  USING (app_actor() IS NOT NULL AND id = app_user_id())
  WITH CHECK (app_actor() IS NOT NULL AND id = app_user_id());
--> statement-breakpoint

CREATE POLICY sessions_self ON sessions FOR ALL TO desk_app
  USING (app_actor() IS NOT NULL AND user_id = app_user_id())
  WITH CHECK (app_actor() IS NOT NULL AND user_id = app_user_id());
--> statement-breakpoint
-- The session sweeper (actor 'system') deletes expired sessions only.
CREATE POLICY sessions_system_select_expired ON sessions FOR SELECT TO desk_app
  USING (app_actor() = 'system' AND expires_at < now());
--> statement-breakpoint
CREATE POLICY sessions_system_delete_expired ON sessions FOR DELETE TO desk_app
  USING (app_actor() = 'system' AND expires_at < now());
--> statement-breakpoint

CREATE POLICY organisations_select_member ON organisations FOR SELECT TO desk_app
  USING (id IN (SELECT app_my_organisation_ids()));
--> statement-breakpoint
-- City staff see the organisations behind the proposals they can see.
CREATE POLICY organisations_select_staff ON organisations FOR SELECT TO desk_app
  USING ((SELECT app_staff_role()) IS NOT NULL AND id IN (SELECT p.organisation_id FROM proposals p));
--> statement-breakpoint
-- Any signed-in proposer may create an organisation (then claim it as first owner).
CREATE POLICY organisations_insert ON organisations FOR INSERT TO desk_app
  WITH CHECK (app_actor() = 'proposer' AND app_user_id() IS NOT NULL);
--> statement-breakpoint
CREATE POLICY organisations_update_owner ON organisations FOR UPDATE TO desk_app
  USING (id IN (SELECT app_my_owned_organisation_ids()))
  WITH CHECK (id IN (SELECT app_my_owned_organisation_ids()));
--> statement-breakpoint

CREATE POLICY organisation_members_select ON organisation_members FOR SELECT TO desk_app
  USING (organisation_id IN (SELECT app_my_organisation_ids()));
--> statement-breakpoint
CREATE POLICY organisation_members_insert ON organisation_members FOR INSERT TO desk_app WITH CHECK (
  organisation_id IN (SELECT app_my_owned_organisation_ids())
  OR (app_actor() = 'proposer' AND user_id = app_user_id() AND role = 'owner'
      AND app_organisation_is_unclaimed(organisation_id)));
--> statement-breakpoint
CREATE POLICY organisation_members_update_owner ON organisation_members FOR UPDATE TO desk_app
  USING (organisation_id IN (SELECT app_my_owned_organisation_ids()))
  WITH CHECK (organisation_id IN (SELECT app_my_owned_organisation_ids()));
--> statement-breakpoint
-- Owners remove members; anyone may leave.
CREATE POLICY organisation_members_delete ON organisation_members FOR DELETE TO desk_app USING (
  organisation_id IN (SELECT app_my_owned_organisation_ids())
  OR (app_actor() = 'proposer' AND user_id = app_user_id()));
--> statement-breakpoint

-- Password reset tokens: created by the system actor; consumed only through consume_password_reset_token().
CREATE POLICY password_reset_tokens_insert_system ON password_reset_tokens FOR INSERT TO desk_app
  WITH CHECK (app_actor() = 'system');
--> statement-breakpoint

-- Sign-in throttling happens before any user is known: system actor only.
CREATE POLICY login_attempts_system ON login_attempts FOR ALL TO desk_app
  USING (app_actor() = 'system') WITH CHECK (app_actor() = 'system');
--> statement-breakpoint

-- Mail: anyone acting may queue a mail; only the sender (system) reads and marks it.
CREATE POLICY mail_outbox_insert ON mail_outbox FOR INSERT TO desk_app WITH CHECK (app_actor() IS NOT NULL);
--> statement-breakpoint
CREATE POLICY mail_outbox_system_select ON mail_outbox FOR SELECT TO desk_app USING (app_actor() = 'system');
--> statement-breakpoint
CREATE POLICY mail_outbox_system_update ON mail_outbox FOR UPDATE TO desk_app
  USING (app_actor() = 'system') WITH CHECK (app_actor() = 'system');
--> statement-breakpoint

CREATE POLICY platform_audit_log_insert ON platform_audit_log FOR INSERT TO desk_app WITH CHECK (
  app_actor() IS NOT NULL AND (actor_user_id = app_user_id() OR (app_actor() = 'system' AND actor_user_id IS NULL)));
--> statement-breakpoint
CREATE POLICY platform_audit_log_select_operator ON platform_audit_log FOR SELECT TO desk_app
  USING ((SELECT app_is_operator()));
--> statement-breakpoint

------------------------------------------------------------------------------
-- Tenant tables
------------------------------------------------------------------------------
-- departments mirror the public tenant file: readable in the current city by
-- staff, proposers and the public; written only by the owner connection (sync).
CREATE POLICY departments_select ON departments FOR SELECT TO desk_app
  USING (tenant_id = app_tenant_id() AND app_actor() IN ('staff', 'proposer', 'public'));
--> statement-breakpoint

CREATE POLICY city_memberships_select_staff ON city_memberships FOR SELECT TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IS NOT NULL);
--> statement-breakpoint
-- Your own memberships ("my cities"), in every city or the current one.
CREATE POLICY city_memberships_select_self ON city_memberships FOR SELECT TO desk_app USING (
  app_actor() IN ('staff', 'proposer') AND user_id = app_user_id()
  AND (app_tenant_id() IS NULL OR tenant_id = app_tenant_id()));
--> statement-breakpoint
CREATE POLICY city_memberships_write_admin ON city_memberships FOR ALL TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) = 'desk_admin')
  WITH CHECK (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) = 'desk_admin');
--> statement-breakpoint

CREATE POLICY invitations_admin ON invitations FOR ALL TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) = 'desk_admin')
  WITH CHECK (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) = 'desk_admin');
--> statement-breakpoint

CREATE POLICY themes_select_staff ON themes FOR SELECT TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IS NOT NULL);
--> statement-breakpoint
-- The public portal (and proposers browsing it): open themes of the current city.
CREATE POLICY themes_select_open ON themes FOR SELECT TO desk_app
  USING (tenant_id = app_tenant_id() AND status = 'open' AND app_actor() IN ('public', 'proposer'));
--> statement-breakpoint
-- Proposers also see the theme their own proposal answers, even once closed.
CREATE POLICY themes_select_proposer ON themes FOR SELECT TO desk_app USING (
  app_actor() = 'proposer'
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = themes.tenant_id AND p.theme_id = themes.id));
--> statement-breakpoint
CREATE POLICY themes_write_desk ON themes FOR ALL TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'))
  WITH CHECK (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'));
--> statement-breakpoint

-- proposals, city side: submitted proposals of the current city; desk roles
-- see all, department staff those routed to their department.
CREATE POLICY proposals_staff ON proposals FOR SELECT TO desk_app USING (
  tenant_id = app_tenant_id() AND submitted_at IS NOT NULL AND (
    (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
    OR ((SELECT app_staff_role()) = 'department_staff' AND id IN (SELECT app_department_proposal_ids()))));
--> statement-breakpoint
CREATE POLICY proposals_staff_update ON proposals FOR UPDATE TO desk_app
  USING (
    tenant_id = app_tenant_id() AND submitted_at IS NOT NULL AND (
      (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
      OR ((SELECT app_staff_role()) = 'department_staff' AND id IN (SELECT app_department_proposal_ids()))))
  WITH CHECK (
    tenant_id = app_tenant_id() AND submitted_at IS NOT NULL AND (
      (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
      OR ((SELECT app_staff_role()) = 'department_staff' AND id IN (SELECT app_department_proposal_ids()))));
--> statement-breakpoint
-- proposals, proposer side: the proposals of your organisations in every city
-- (or only the current city when app.tenant_id is set). Writes need the city set.
CREATE POLICY proposals_proposer ON proposals FOR SELECT TO desk_app USING (
  app_actor() = 'proposer' AND organisation_id IN (SELECT app_my_organisation_ids())
  AND (app_tenant_id() IS NULL OR tenant_id = app_tenant_id()));
--> statement-breakpoint
CREATE POLICY proposals_proposer_insert ON proposals FOR INSERT TO desk_app WITH CHECK (
  app_actor() = 'proposer' AND tenant_id = app_tenant_id()
  AND organisation_id IN (SELECT app_my_organisation_ids()) AND submitter_user_id = app_user_id());
--> statement-breakpoint
CREATE POLICY proposals_proposer_update ON proposals FOR UPDATE TO desk_app
  USING (app_actor() = 'proposer' AND tenant_id = app_tenant_id() AND organisation_id IN (SELECT app_my_organisation_ids()))
  WITH CHECK (app_actor() = 'proposer' AND tenant_id = app_tenant_id() AND organisation_id IN (SELECT app_my_organisation_ids()));
--> statement-breakpoint
-- Only drafts can be deleted, and only by their organisation.
CREATE POLICY proposals_proposer_delete ON proposals FOR DELETE TO desk_app USING (
  app_actor() = 'proposer' AND tenant_id = app_tenant_id() AND submitted_at IS NULL
  AND organisation_id IN (SELECT app_my_organisation_ids()));
--> statement-breakpoint

-- Children of a proposal follow the proposal: "EXISTS (… proposals …)" is
-- itself filtered by the proposals policies above, for whoever is asking.
CREATE POLICY proposal_departments_select ON proposal_departments FOR SELECT TO desk_app USING (
  app_actor() = 'staff'
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = proposal_departments.tenant_id AND p.id = proposal_departments.proposal_id));
--> statement-breakpoint
CREATE POLICY proposal_departments_write_desk ON proposal_departments FOR ALL TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'))
  WITH CHECK (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
    AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = proposal_departments.tenant_id AND p.id = proposal_departments.proposal_id));
--> statement-breakpoint

CREATE POLICY proposal_events_select ON proposal_events FOR SELECT TO desk_app USING (
  (app_actor() = 'staff' OR (app_actor() = 'proposer' AND visible_to_proposer))
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = proposal_events.tenant_id AND p.id = proposal_events.proposal_id));
--> statement-breakpoint
CREATE POLICY proposal_events_insert ON proposal_events FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND actor_user_id = app_user_id()
  AND ((app_actor() = 'staff' AND actor_side IN ('desk', 'department'))
       OR (app_actor() = 'proposer' AND actor_side = 'proposer'))
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = proposal_events.tenant_id AND p.id = proposal_events.proposal_id));
--> statement-breakpoint

CREATE POLICY messages_select ON messages FOR SELECT TO desk_app USING (
  app_actor() IN ('staff', 'proposer')
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = messages.tenant_id AND p.id = messages.proposal_id));
--> statement-breakpoint
CREATE POLICY messages_insert ON messages FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND author_user_id = app_user_id()
  AND ((app_actor() = 'staff' AND author_side = 'city') OR (app_actor() = 'proposer' AND author_side = 'proposer'))
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = messages.tenant_id AND p.id = messages.proposal_id));
--> statement-breakpoint

-- Internal notes: city staff only, under their own policy.
CREATE POLICY internal_notes_staff_select ON internal_notes FOR SELECT TO desk_app USING (
  app_actor() = 'staff' AND tenant_id = app_tenant_id()
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = internal_notes.tenant_id AND p.id = internal_notes.proposal_id));
--> statement-breakpoint
CREATE POLICY internal_notes_staff_insert ON internal_notes FOR INSERT TO desk_app WITH CHECK (
  app_actor() = 'staff' AND tenant_id = app_tenant_id() AND author_user_id = app_user_id()
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = internal_notes.tenant_id AND p.id = internal_notes.proposal_id));
--> statement-breakpoint

CREATE POLICY message_reads_select_self ON message_reads FOR SELECT TO desk_app USING (
  app_actor() IN ('staff', 'proposer') AND user_id = app_user_id()
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = message_reads.tenant_id AND p.id = message_reads.proposal_id));
--> statement-breakpoint
CREATE POLICY message_reads_write_self ON message_reads FOR INSERT TO desk_app WITH CHECK (
  app_actor() IN ('staff', 'proposer') AND user_id = app_user_id() AND tenant_id = app_tenant_id()
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = message_reads.tenant_id AND p.id = message_reads.proposal_id));
--> statement-breakpoint
CREATE POLICY message_reads_update_self ON message_reads FOR UPDATE TO desk_app
  USING (app_actor() IN ('staff', 'proposer') AND user_id = app_user_id() AND tenant_id = app_tenant_id())
  WITH CHECK (app_actor() IN ('staff', 'proposer') AND user_id = app_user_id() AND tenant_id = app_tenant_id());
--> statement-breakpoint

CREATE POLICY attachments_select ON attachments FOR SELECT TO desk_app USING (
  (app_actor() = 'staff' OR (app_actor() = 'proposer' AND visibility = 'shared'))
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = attachments.tenant_id AND p.id = attachments.proposal_id));
--> statement-breakpoint
CREATE POLICY attachments_insert ON attachments FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND uploaded_by = app_user_id()
  AND (app_actor() = 'staff' OR (app_actor() = 'proposer' AND visibility = 'shared'))
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = attachments.tenant_id AND p.id = attachments.proposal_id));
--> statement-breakpoint

CREATE POLICY eligibility_screenings_select_staff ON eligibility_screenings FOR SELECT TO desk_app USING (
  app_actor() = 'staff'
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = eligibility_screenings.tenant_id AND p.id = eligibility_screenings.proposal_id));
--> statement-breakpoint
CREATE POLICY eligibility_screenings_write_desk ON eligibility_screenings FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff') AND staff_user_id = app_user_id()
  AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = eligibility_screenings.tenant_id AND p.id = eligibility_screenings.proposal_id));
--> statement-breakpoint
CREATE POLICY eligibility_screenings_update_desk ON eligibility_screenings FOR UPDATE TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'))
  WITH CHECK (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff')
    AND staff_user_id = app_user_id());
--> statement-breakpoint

-- Audit log: desk roles read their city's log; every acting party appends as itself.
CREATE POLICY audit_log_select_desk ON audit_log FOR SELECT TO desk_app
  USING (tenant_id = app_tenant_id() AND (SELECT app_staff_role()) IN ('desk_admin', 'desk_staff'));
--> statement-breakpoint
CREATE POLICY audit_log_insert ON audit_log FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND (
    ((SELECT app_staff_role()) IS NOT NULL AND actor_user_id = app_user_id())
    OR (app_actor() = 'proposer' AND app_user_id() IS NOT NULL AND actor_user_id = app_user_id())
    OR (app_actor() = 'system' AND actor_user_id IS NULL)));
--> statement-breakpoint

-- Notification outbox: written by staff of the city, or by a proposer who has
-- a proposal there, in the same transaction as the change; read and marked
-- sent by the sender (system actor) one city at a time.
CREATE POLICY notification_outbox_insert ON notification_outbox FOR INSERT TO desk_app WITH CHECK (
  tenant_id = app_tenant_id() AND (
    (SELECT app_staff_role()) IS NOT NULL
    OR (app_actor() = 'proposer' AND EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = notification_outbox.tenant_id))));
--> statement-breakpoint
CREATE POLICY notification_outbox_system_select ON notification_outbox FOR SELECT TO desk_app
  USING (app_actor() = 'system' AND tenant_id = app_tenant_id());
--> statement-breakpoint
CREATE POLICY notification_outbox_system_update ON notification_outbox FOR UPDATE TO desk_app
  USING (app_actor() = 'system' AND tenant_id = app_tenant_id())
  WITH CHECK (app_actor() = 'system' AND tenant_id = app_tenant_id());
