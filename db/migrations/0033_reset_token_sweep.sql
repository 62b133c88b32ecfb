-- Expired password-reset tokens are deleted by the `tokens.sweep` job (issue
-- 20). The runtime role could only insert them (0001); it may now delete, and
-- the policy lets only the system actor delete, and only tokens past their
-- expiry: a live token cannot be removed by the sweep, whatever it asks.
GRANT DELETE ON password_reset_tokens TO desk_app;
--> statement-breakpoint
CREATE POLICY password_reset_tokens_delete_expired ON password_reset_tokens FOR DELETE TO desk_app
  USING (app_actor() = 'system' AND expires_at < now());
