-- Files outlive a draft (issue 20; docs/decisions/005-proposing-shared-drafts-and-uploads.md).
-- A file chosen before "save as draft" is an attachment of the draft itself;
-- its proposer may take it out again while the proposal is a draft (the
-- operation checks that the proposal is unsubmitted). The policy compares
-- columns with the transaction's settings only: Citus refuses subqueries in
-- policies (decision 008).
GRANT DELETE ON attachments TO desk_app;
--> statement-breakpoint
CREATE POLICY attachments_delete_own_draft_file ON attachments FOR DELETE TO desk_app USING (
  tenant_id = app_tenant_id() AND app_actor() = 'proposer' AND uploaded_by = app_user_id()
  AND message_id IS NULL AND visibility = 'shared');
