DROP INDEX "proposals_tenant_state_idx";--> statement-breakpoint
CREATE INDEX "proposals_tenant_state_submitted_idx" ON "proposals" USING btree ("tenant_id","state","submitted_at");