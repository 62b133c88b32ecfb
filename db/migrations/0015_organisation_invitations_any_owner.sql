-- Any owner of the organisation cancels or resends any of its invitations
-- (0014 asked the row's inviter to be the user on every write, so a second
-- owner could not cancel the first owner's invitation). Only a new
-- invitation must name its inviter: a restrictive policy for INSERT.
ALTER POLICY organisation_invitations_owner ON organisation_invitations
  USING (organisation_id IN (SELECT app_my_owned_organisation_ids()))
  WITH CHECK (organisation_id IN (SELECT app_my_owned_organisation_ids()));
--> statement-breakpoint
CREATE POLICY organisation_invitations_insert_as_inviter ON organisation_invitations AS RESTRICTIVE
  FOR INSERT TO desk_app WITH CHECK (invited_by = app_user_id());
