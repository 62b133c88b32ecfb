CREATE TABLE "organisation_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" uuid,
	"revoked_at" timestamp with time zone,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_invitations_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organisation_invitations" ADD CONSTRAINT "organisation_invitations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_invitations" ADD CONSTRAINT "organisation_invitations_used_by_users_id_fk" FOREIGN KEY ("used_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_invitations" ADD CONSTRAINT "organisation_invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisation_invitations_organisation_idx" ON "organisation_invitations" USING btree ("organisation_id");--> statement-breakpoint

------------------------------------------------------------------------------
-- Issue 5: organisation invitations; cancelled and resent city invitations.
-- Issue 10: a city that is not live refuses proposals in the database; its
-- staff find it by slug while it is a draft.
------------------------------------------------------------------------------

SELECT desk_secure_table('organisation_invitations');
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON organisation_invitations TO desk_app;
--> statement-breakpoint
-- Owners of the organisation see, create, cancel and resend its invitations.
CREATE POLICY organisation_invitations_owner ON organisation_invitations FOR ALL TO desk_app
  USING (organisation_id IN (SELECT app_my_owned_organisation_ids()))
  WITH CHECK (organisation_id IN (SELECT app_my_owned_organisation_ids()) AND invited_by = app_user_id());
--> statement-breakpoint

-- The city invitation by token now says whether it was revoked (cancelled or replaced).
DROP FUNCTION invitation_for_token(text);
--> statement-breakpoint
CREATE FUNCTION invitation_for_token(p_token_hash text)
  RETURNS TABLE (id uuid, email text, role text, department_id uuid, expires_at timestamptz, used_at timestamptz,
                 revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT i.id, i.email, i.role, i.department_id, i.expires_at, i.used_at, i.revoked_at
      FROM public.invitations i
     WHERE i.tenant_id = public.app_tenant_id() AND i.token_hash = p_token_hash
  $$;
--> statement-breakpoint

-- As in 0001, and a revoked invitation is never accepted.
CREATE OR REPLACE FUNCTION accept_invitation(p_token_hash text) RETURNS uuid
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
       AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
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

-- An organisation invitation by token hash, with the organisation's name, to
-- show it before it is accepted (the invitee is not a member yet). Any actor.
CREATE FUNCTION organisation_invitation_for_token(p_token_hash text)
  RETURNS TABLE (id uuid, organisation_id uuid, organisation_name text, email text, role text,
                 expires_at timestamptz, used_at timestamptz, revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT i.id, i.organisation_id, o.name, i.email, i.role, i.expires_at, i.used_at, i.revoked_at
      FROM public.organisation_invitations i JOIN public.organisations o ON o.id = i.organisation_id
     WHERE public.app_actor() IS NOT NULL AND i.token_hash = p_token_hash
  $$;
--> statement-breakpoint

-- The signed-in proposer accepts; their email must be the invited one. Makes
-- them a member (someone already a member keeps their role), marks the
-- invitation used and returns the organisation id; NULL when the token is
-- unknown, used, revoked, expired or for another email.
CREATE FUNCTION accept_organisation_invitation(p_token_hash text) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    v_invitation public.organisation_invitations%ROWTYPE;
  BEGIN
    IF public.app_actor() IS DISTINCT FROM 'proposer' OR public.app_user_id() IS NULL THEN
      RETURN NULL;
    END IF;
    SELECT i.* INTO v_invitation
      FROM public.organisation_invitations i
      JOIN public.users u ON u.id = public.app_user_id() AND lower(u.email) = lower(i.email) AND u.disabled_at IS NULL
     WHERE i.token_hash = p_token_hash AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
     FOR UPDATE OF i;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
    INSERT INTO public.organisation_members (organisation_id, user_id, role)
    VALUES (v_invitation.organisation_id, public.app_user_id(), v_invitation.role)
    ON CONFLICT (organisation_id, user_id) DO NOTHING;
    UPDATE public.organisation_invitations SET used_at = now(), used_by = public.app_user_id()
     WHERE id = v_invitation.id;
    RETURN v_invitation.organisation_id;
  END
  $$;
--> statement-breakpoint

-- A city's id by its slug, whatever its status: an invitee of a draft city
-- opens the invitation, and its staff work in its desk, before it is live
-- (tenants_select shows the public live cities only). An id and nothing else.
CREATE FUNCTION tenant_id_for_slug(p_slug text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT t.id FROM public.tenants t WHERE public.app_actor() IS NOT NULL AND t.slug = p_slug
  $$;
--> statement-breakpoint

DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY[
    'invitation_for_token(text)', 'organisation_invitation_for_token(text)',
    'accept_organisation_invitation(text)', 'tenant_id_for_slug(text)'
  ] LOOP
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO desk_app', f);
  END LOOP;
END
$$;
--> statement-breakpoint

-- Only a live city takes proposals: a draft (being prepared) or a suspended
-- city refuses a proposer's new proposal and any change to one, whatever the
-- route does. The subquery does not depend on the row: planned once.
ALTER POLICY proposals_proposer_insert ON proposals WITH CHECK (
  app_actor() = 'proposer' AND tenant_id = app_tenant_id()
  AND organisation_id IN (SELECT app_my_organisation_ids()) AND submitter_user_id = app_user_id()
  AND app_tenant_id() IN (SELECT t.id FROM tenants t WHERE t.status = 'live'));
--> statement-breakpoint
ALTER POLICY proposals_proposer_update ON proposals
  USING (app_actor() = 'proposer' AND tenant_id = app_tenant_id() AND organisation_id IN (SELECT app_my_organisation_ids()))
  WITH CHECK (app_actor() = 'proposer' AND tenant_id = app_tenant_id() AND organisation_id IN (SELECT app_my_organisation_ids())
    AND app_tenant_id() IN (SELECT t.id FROM tenants t WHERE t.status = 'live'));
