-- The desk's two counts read the proposals index alone again (docs/performance.md, issue 19).
-- 0016 made the inbox's count per state an index-only scan by including the row policies'
-- columns; the staff policy has since come to read routed_department_ids (0032), which the
-- index lacked, so every counted row was fetched from the heap again (1,192 rows: 7.7 ms as
-- desk staff against 0.4 ms without RLS). The desk layout's counts of what waits and what is
-- overdue (countDeskWork, on every desk page) also read track, early_answer_due_at and
-- decided_at: with a city's rows ~3.5 KB wide (the answers) that was a sequential scan of the
-- whole table, 35 MB per page view at 10,000 proposals (41 ms without RLS, 60 ms with it).
-- With these columns included both are index-only scans. Same name and key, so the schema's
-- declaration still describes it (drizzle cannot spell INCLUDE).
DROP INDEX "proposals_tenant_state_submitted_idx";--> statement-breakpoint
CREATE INDEX "proposals_tenant_state_submitted_idx" ON "proposals" USING btree ("tenant_id","state","submitted_at") INCLUDE ("shared_with_city_at","id","organisation_id","routed_department_ids","track","early_answer_due_at","decided_at");
