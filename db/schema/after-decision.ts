import { sql } from 'drizzle-orm'
import {
  bigint,
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
  departments,
  id,
  proposals,
  tenantForeignKey,
  tenantId,
  tenantPrimaryKey,
  updatedAt,
} from './tenant'
import {
  agreementArrangements,
  caseStatuses,
  milestoneOwners,
  milestoneStatuses,
} from './after-decision-values'

export * from './after-decision-values'

/**
 * After the decision (issue 9): the agreement, the accompanied implementation
 * and the published case. Tenant tables under the rules of ./tenant.ts; their
 * policies are in db/migrations/*_after_decision_rls.sql.
 */

/**
 * One record per proposal: what was agreed (or that it went to a public call), with the signed
 * document. How a decided proposal is carried out follows from its collaboration
 * method in the tenant file: under an agreement (`agreement_kind` is one of the file's
 * agreementKinds), without one, or handed to a public call / procurement.
 */
export const agreements = pgTable(
  'agreements',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    arrangement: text('arrangement', { enum: agreementArrangements }).notNull(),
    agreementKind: text('agreement_kind'),
    parties: text('parties').array().notNull().default([]),
    concludedOn: date('concluded_on'),
    validFrom: date('valid_from'),
    validUntil: date('valid_until'),
    /** For a public call: its name, reference and how it went; otherwise remarks shared with the proposer. */
    note: text('note').notNull().default(''),
    documentAttachmentId: uuid('document_attachment_id'),
    recordedBy: uuid('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    unique('agreements_tenant_proposal_unique').on(t.tenantId, t.proposalId),
    tenantForeignKey(t, t.proposalId, proposals).onDelete('cascade'),
    tenantForeignKey(t, t.documentAttachmentId, attachments).onDelete('restrict'),
    index('agreements_tenant_document_idx').on(t.tenantId, t.documentAttachmentId),
  ],
)

/** 伴走サポート: the steps of carrying out a decided proposal, each with a date and an owner. */
export const implementationMilestones = pgTable(
  'implementation_milestones',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    title: text('title').notNull(),
    dueOn: date('due_on').notNull(),
    owner: text('owner', { enum: milestoneOwners }).notNull(),
    /** When the owner is a department: which one. */
    departmentId: uuid('department_id'),
    status: text('status', { enum: milestoneStatuses }).notNull().default('planned'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    tenantForeignKey(t, t.proposalId, proposals).onDelete('cascade'),
    tenantForeignKey(t, t.departmentId, departments).onDelete('restrict'),
    index('implementation_milestones_tenant_proposal_idx').on(t.tenantId, t.proposalId, t.dueOn),
    index('implementation_milestones_tenant_department_idx').on(t.tenantId, t.departmentId),
  ],
)

/** Progress notes on the implementation, by either side; shared with both (runtime: INSERT and SELECT). */
export const implementationNotes = pgTable(
  'implementation_notes',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    milestoneId: uuid('milestone_id'),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    authorSide: text('author_side', { enum: ['proposer', 'city'] }).notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    tenantForeignKey(t, t.proposalId, proposals).onDelete('cascade'),
    tenantForeignKey(t, t.milestoneId, implementationMilestones).onDelete('cascade'),
    index('implementation_notes_tenant_proposal_idx').on(t.tenantId, t.proposalId, t.createdAt),
    index('implementation_notes_tenant_milestone_idx').on(t.tenantId, t.milestoneId),
  ],
)

/**
 * 連携事例: what the city publishes about a concluded proposal, written by the
 * desk. The public sees a row only while it is published (policy
 * `published_cases_select_public`); nothing of the proposal itself is ever public.
 */
export const publishedCases = pgTable(
  'published_cases',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id'),
    status: text('status', { enum: caseStatuses }).notNull().default('draft'),
    titleJa: text('title_ja').notNull(),
    titleEn: text('title_en').notNull().default(''),
    summaryJa: text('summary_ja').notNull().default(''),
    summaryEn: text('summary_en').notNull().default(''),
    resultsJa: text('results_ja').notNull().default(''),
    resultsEn: text('results_en').notNull().default(''),
    /** The partners as they agreed to be named. */
    partnerName: text('partner_name').notNull().default(''),
    collaborationMethod: text('collaboration_method'),
    agreementKind: text('agreement_kind'),
    fields: text('fields').array().notNull().default([]),
    /** The platform taxonomy's fields `fields` map to, written with them: what /cases and alerts filter by. */
    platformFields: text('platform_fields').array().notNull().default([]),
    startedOn: date('started_on'),
    endedOn: date('ended_on'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    tenantForeignKey(t, t.proposalId, proposals).onDelete(
      // Checked at the end of the statement, so deleting a whole city still cascades.
      'no action',
    ),
    index('published_cases_tenant_status_idx').on(t.tenantId, t.status, t.publishedAt),
    index('published_cases_tenant_proposal_idx').on(t.tenantId, t.proposalId),
    // The cross-city list (/cases): published cases only, newest first.
    index('published_cases_public_idx').on(t.tenantId, t.publishedAt).where(sql`status = 'published'`),
  ],
)

/** Images of a case: public only while their case is published. Stored like attachments, type checked by content. */
export const caseImages = pgTable(
  'case_images',
  {
    tenantId: tenantId(),
    id: id(),
    caseId: uuid('case_id').notNull(),
    storedName: text('stored_name').notNull(),
    mime: text('mime').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    altJa: text('alt_ja').notNull(),
    altEn: text('alt_en').notNull().default(''),
    position: integer('position').notNull().default(0),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    unique('case_images_tenant_stored_name_unique').on(t.tenantId, t.storedName),
    tenantForeignKey(t, t.caseId, publishedCases).onDelete('cascade'),
    index('case_images_tenant_case_idx').on(t.tenantId, t.caseId, t.position),
  ],
)
