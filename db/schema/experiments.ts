import {
  type AnyPgColumn,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core'
import { users } from './platform'
import {
  attachments,
  createdAt,
  id,
  proposals,
  tenantForeignKey,
  tenantId,
  tenantPrimaryKey,
  updatedAt,
} from './tenant'
import { checklistLanes, disclosureDecisions, disclosureStatuses } from './after-decision-values'

/**
 * Demonstration experiments and public-records disclosure requests (issue 9).
 * Tenant tables under the rules of ./tenant.ts; their policies are in
 * db/migrations/*_experiments.sql. The checklist's items come from the tenant
 * file (`experimentSupport.checklist` and `proposerDuties`); a row exists once
 * someone has written something against an item.
 */

const proposalKey = (t: { tenantId: AnyPgColumn; proposalId: AnyPgColumn }) =>
  tenantForeignKey(t, t.proposalId, proposals).onDelete('cascade')

/** One record per experiment (per proposal): offers that apply, period, attendance, cost rule, report and receipt. */
export const experiments = pgTable(
  'experiments',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    /** Ids of the tenant file's `experimentSupport.cityOffers` that apply. */
    offers: text('offers').array().notNull().default([]),
    periodFrom: date('period_from'),
    periodUntil: date('period_until'),
    attendedOn: date('attended_on'),
    /** Who attended for the city, as the desk writes it. */
    attendedBy: text('attended_by').notNull().default(''),
    costRuleAcknowledgedBy: uuid('cost_rule_acknowledged_by').references(() => users.id, {
      onDelete: 'set null',
    }),
    costRuleAcknowledgedAt: timestamp('cost_rule_acknowledged_at', { withTimezone: true }),
    /** The tenant file's content version the acknowledgement was given under. */
    costRuleVersion: text('cost_rule_version'),
    reportAttachmentId: uuid('report_attachment_id'),
    reportSubmittedBy: uuid('report_submitted_by').references(() => users.id, { onDelete: 'set null' }),
    reportSubmittedAt: timestamp('report_submitted_at', { withTimezone: true }),
    reportReceivedOn: date('report_received_on'),
    reportReceivedBy: uuid('report_received_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    unique('experiments_tenant_proposal_unique').on(t.tenantId, t.proposalId),
    proposalKey(t),
    tenantForeignKey(t, t.reportAttachmentId, attachments).onDelete('restrict'),
    index('experiments_tenant_report_idx').on(t.tenantId, t.reportAttachmentId),
  ],
)

/** What was written against one checklist item (`step:<id>` or `duty:<id>` of the tenant file). */
export const experimentChecklist = pgTable(
  'experiment_checklist',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    itemKey: text('item_key').notNull(),
    /** Whose item it is (the step's lane; `proposer` for a duty): the policies let only that side write it. */
    lane: text('lane', { enum: checklistLanes }).notNull(),
    ownerName: text('owner_name').notNull().default(''),
    dueOn: date('due_on'),
    doneOn: date('done_on'),
    note: text('note').notNull().default(''),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    unique('experiment_checklist_tenant_item_unique').on(t.tenantId, t.proposalId, t.itemKey),
    proposalKey(t),
  ],
)

/** Use permits and similar records for an experiment: what, issued by whom, its number and date. */
export const experimentPermits = pgTable(
  'experiment_permits',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    kind: text('kind').notNull(),
    issuedBy: text('issued_by').notNull(),
    reference: text('reference').notNull(),
    issuedOn: date('issued_on').notNull(),
    validUntil: date('valid_until'),
    recordedBy: uuid('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    proposalKey(t),
    index('experiment_permits_tenant_proposal_idx').on(t.tenantId, t.proposalId, t.issuedOn),
  ],
)

/**
 * 情報公開: a public-records request touching a proposal, as the proposer may
 * see it. Who asked and the city's deliberation are in
 * `disclosure_request_internals`, which only the city's staff read.
 */
export const disclosureRequests = pgTable(
  'disclosure_requests',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    receivedOn: date('received_on').notNull(),
    /** By when the proposer is asked to answer. */
    opinionDueOn: date('opinion_due_on'),
    status: text('status', { enum: disclosureStatuses }).notNull().default('awaiting_opinion'),
    /** The message of the thread that asked the proposer. */
    questionMessageId: uuid('question_message_id'),
    /** The proposer's opinion as a whole (per document: `disclosure_documents.proposer_opinion`). */
    opinion: text('opinion').notNull().default(''),
    opinionBy: uuid('opinion_by').references(() => users.id, { onDelete: 'set null' }),
    opinionAt: timestamp('opinion_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    proposalKey(t),
    index('disclosure_requests_tenant_proposal_idx').on(t.tenantId, t.proposalId, t.receivedOn),
  ],
)

/** The city's own part of a disclosure request: who asked and its deliberation. Staff only. */
export const disclosureRequestInternals = pgTable(
  'disclosure_request_internals',
  {
    tenantId: tenantId(),
    /** The request's id. */
    id: uuid('id').notNull(),
    proposalId: uuid('proposal_id').notNull(),
    requesterDescription: text('requester_description').notNull(),
    internalNote: text('internal_note').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    proposalKey(t),
    tenantForeignKey(t, t.id, disclosureRequests).onDelete('cascade'),
    index('disclosure_request_internals_tenant_proposal_idx').on(t.tenantId, t.proposalId),
  ],
)

/** One document a request concerns: the proposer's opinion on it and the city's decision with its reason. */
export const disclosureDocuments = pgTable(
  'disclosure_documents',
  {
    tenantId: tenantId(),
    id: id(),
    requestId: uuid('request_id').notNull(),
    proposalId: uuid('proposal_id').notNull(),
    position: integer('position').notNull().default(0),
    title: text('title').notNull(),
    /** Which parts would harm the proposer's legitimate interests, in their words. */
    proposerOpinion: text('proposer_opinion').notNull().default(''),
    decision: text('decision', { enum: disclosureDecisions }),
    decisionReason: text('decision_reason').notNull().default(''),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    proposalKey(t),
    tenantForeignKey(t, t.requestId, disclosureRequests).onDelete('cascade'),
    index('disclosure_documents_tenant_request_idx').on(t.tenantId, t.requestId, t.position),
    index('disclosure_documents_tenant_proposal_idx').on(t.tenantId, t.proposalId),
  ],
)
