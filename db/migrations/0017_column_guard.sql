-- Which columns each side may change in the experiment and disclosure tables
-- (0013_experiments.sql): a second guard behind the operations in
-- app/operations/experiments and app/operations/disclosure. The proposer and
-- the city's staff share the runtime role and, on these tables, the UPDATE
-- policies; row-level security says which rows a side may write, these
-- triggers say which columns. A proposer-context transaction that changes a
-- column only the city's staff write (or a staff context one only the
-- proposer writes) fails with 42501 naming the column, and nothing changes.
-- Design: docs/decisions/002-tenant-isolation-with-rls.md.
--
-- guard_side_columns(staff_only, proposer_only [, fixed]) — text-array literals:
--   staff_only     columns a proposer context may not change ('*': the whole table)
--   proposer_only  columns a staff context may not change
--   fixed          keys neither side changes once the row exists
-- On UPDATE a listed column must not differ (IS DISTINCT FROM on its jsonb
-- value); on INSERT the other side's columns must be empty (NULL, '' or '{}':
-- every such column's default), so an upsert cannot fill them either. Only
-- the 'staff' and 'proposer' contexts are checked: the owner (migrations,
-- seeds, referential actions run for it) and 'system' write as before, and
-- the policies give every other actor no write on these tables at all.
-- DELETE needs no guard: the runtime role has no DELETE on these tables.
--
-- SECURITY INVOKER: it reads only the row at hand and the transaction's
-- settings, so it runs with the writer's own rights and grants nothing; the
-- pinned search_path keeps a writer's objects from standing in for the
-- functions it calls. Owned by desk_owner, which runs this migration.
CREATE FUNCTION guard_side_columns() RETURNS trigger
  LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public
  AS $$
  DECLARE
    actor text := public.app_actor();
    protected text;
    columns text[];
    fixed text[] := CASE WHEN TG_NARGS > 2 THEN TG_ARGV[2]::text[] ELSE '{}' END;
    old_row jsonb;
    new_row jsonb;
    col text;
  BEGIN
    IF actor = 'proposer' THEN
      protected := TG_ARGV[0];
    ELSIF actor = 'staff' THEN
      protected := TG_ARGV[1];
    ELSE
      RETURN CASE WHEN TG_LEVEL = 'ROW' THEN NEW END;
    END IF;
    IF protected = '*' THEN
      RAISE EXCEPTION '%: a % context may not write this table', TG_TABLE_NAME, actor
        USING ERRCODE = 'insufficient_privilege', TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA;
    END IF;
    -- At statement level only '*' means anything: a statement trigger sees no rows.
    IF TG_LEVEL = 'STATEMENT' THEN
      RETURN NULL;
    END IF;
    columns := protected::text[];
    new_row := to_jsonb(NEW);
    IF TG_OP = 'UPDATE' THEN
      old_row := to_jsonb(OLD);
      columns := columns || fixed;
    END IF;
    FOREACH col IN ARRAY columns LOOP
      -- A misspelt column in a trigger's arguments would otherwise guard nothing, silently.
      IF NOT new_row ? col THEN
        RAISE EXCEPTION 'guard_side_columns on %: no column %', TG_TABLE_NAME, col USING ERRCODE = 'undefined_column';
      END IF;
      IF (TG_OP = 'UPDATE' AND old_row -> col IS DISTINCT FROM new_row -> col)
         OR (TG_OP = 'INSERT' AND new_row -> col NOT IN ('null', '""', '[]')) THEN
        RAISE EXCEPTION '%.%: a % context may not change this column', TG_TABLE_NAME, col, actor
          USING ERRCODE = 'insufficient_privilege', TABLE = TG_TABLE_NAME, SCHEMA = TG_TABLE_SCHEMA, COLUMN = col;
      END IF;
    END LOOP;
    RETURN NEW;
  END
  $$;
--> statement-breakpoint

-- The experiment: the desk's offers, period, attendance and the report's
-- receipt; the proposer's cost-rule acknowledgement and report. updated_at is
-- both sides'. No operation writes the other side's columns (the report is
-- received, never cleared, by the desk).
CREATE TRIGGER experiments_side_columns BEFORE INSERT OR UPDATE ON experiments
  FOR EACH ROW EXECUTE FUNCTION guard_side_columns(
    '{offers,period_from,period_until,attended_on,attended_by,report_received_on,report_received_by}',
    '{cost_rule_acknowledged_by,cost_rule_acknowledged_at,cost_rule_version,report_attachment_id,report_submitted_by,report_submitted_at}',
    '{tenant_id,id,proposal_id,created_at}');
--> statement-breakpoint

-- Checklist items: both sides write the same columns, each on its own items
-- (which items is the rows' lane, held by the policies); no column is one
-- side's. lane is not fixed: the desk's save rewrites it from the tenant file,
-- which may move an item to the other lane.
CREATE TRIGGER experiment_checklist_side_columns BEFORE INSERT OR UPDATE ON experiment_checklist
  FOR EACH ROW EXECUTE FUNCTION guard_side_columns('{}', '{}', '{tenant_id,id,proposal_id,item_key,created_at}');
--> statement-breakpoint

-- experiment_permits needs none: both sides record permits (recordPermit takes
-- either) and the runtime role may not update or delete them at all.

-- A disclosure request: the desk records it and decides it; the proposer gives
-- the opinion on the whole. status is both sides' (the proposer's answer sets
-- opinion_received, the desk's last decision decided), as is updated_at.
CREATE TRIGGER disclosure_requests_side_columns BEFORE INSERT OR UPDATE ON disclosure_requests
  FOR EACH ROW EXECUTE FUNCTION guard_side_columns(
    '{received_on,opinion_due_on,question_message_id,decided_at,created_by}',
    '{opinion,opinion_by,opinion_at}',
    '{tenant_id,id,proposal_id,created_at}');
--> statement-breakpoint

-- Who asked and the city's deliberation: a proposer writes none of it. A
-- statement trigger, because the policies hide every row from a proposer, so
-- a row trigger would never fire for its UPDATE (it would change nothing,
-- silently) — this refuses the statement itself.
CREATE TRIGGER disclosure_request_internals_staff_only BEFORE INSERT OR UPDATE ON disclosure_request_internals
  FOR EACH STATEMENT EXECUTE FUNCTION guard_side_columns('*', '{}');
--> statement-breakpoint
CREATE TRIGGER disclosure_request_internals_side_columns BEFORE INSERT OR UPDATE ON disclosure_request_internals
  FOR EACH ROW EXECUTE FUNCTION guard_side_columns('*', '{}', '{tenant_id,id,proposal_id,created_at}');
--> statement-breakpoint

-- Documents of a request: the desk names them and decides each; the proposer
-- gives its opinion on each.
CREATE TRIGGER disclosure_documents_side_columns BEFORE INSERT OR UPDATE ON disclosure_documents
  FOR EACH ROW EXECUTE FUNCTION guard_side_columns(
    '{position,title,decision,decision_reason,decided_by,decided_at}',
    '{proposer_opinion}',
    '{tenant_id,id,request_id,proposal_id,created_at}');
