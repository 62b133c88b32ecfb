import { and, eq, sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core'
import { organisations, tenants, users } from './platform'

/**
 * Tenant tables: everything a city owns. The rules, checked by the probe suite
 * (db/probes) for every table that has a `tenant_id` column:
 * - `tenant_id uuid NOT NULL` referencing `tenants`;
 * - primary key `(tenant_id, id)`;
 * - foreign keys to other tenant tables include `tenant_id`;
 * - unique constraints include `tenant_id`; indexes lead with `tenant_id`;
 * - row-level security enabled and forced, with policies
 *   (db/migrations/*_rls_policies.sql).
 * In Citus each is distributed by `tenant_id` (docs/scaling.md).
 */

/** Column builders every tenant table uses (also ./after-decision.ts). */
export const tenantId = () =>
  uuid('tenant_id')
    .notNull()
    .references(() => tenants.id, { onDelete: 'cascade' })
export const id = () => uuid('id').notNull().defaultRandom()
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()

type TenantRow = { tenantId: AnyPgColumn; id: AnyPgColumn }

/** The primary key every tenant table has: `(tenant_id, id)`. */
export const tenantPrimaryKey = (t: TenantRow) => primaryKey({ columns: [t.tenantId, t.id] })

/** A reference to a row of another tenant table, through `(tenant_id, id)`: it can never point into another city. */
export const tenantForeignKey = (t: { tenantId: AnyPgColumn }, column: AnyPgColumn, target: TenantRow) =>
  foreignKey({ columns: [t.tenantId, column], foreignColumns: [target.tenantId, target.id] })

/** The join along such a reference: the `target` row that `column` of `t` names, in the same city. */
export const referencedRow = (t: { tenantId: AnyPgColumn }, column: AnyPgColumn, target: TenantRow) =>
  and(eq(target.tenantId, t.tenantId), eq(target.id, column))

export const cityRoles = ['desk_admin', 'desk_staff', 'department_staff'] as const
export type CityRole = (typeof cityRoles)[number]

/** A city's departments, synchronised from its tenant file (`key` is the file's id). */
export const departments = pgTable(
  'departments',
  {
    tenantId: tenantId(),
    id: id(),
    key: text('key').notNull(),
    nameJa: text('name_ja').notNull(),
    nameEn: text('name_en').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [tenantPrimaryKey(t), unique('departments_tenant_key_unique').on(t.tenantId, t.key)],
)

/** City staff: one role per user per city; department staff are bound to a department. */
export const cityMemberships = pgTable(
  'city_memberships',
  {
    tenantId: tenantId(),
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: cityRoles }).notNull(),
    departmentId: uuid('department_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    unique('city_memberships_tenant_user_unique').on(t.tenantId, t.userId),
    tenantForeignKey(t, t.departmentId, departments).onDelete('restrict'),
    index('city_memberships_tenant_department_idx').on(t.tenantId, t.departmentId),
  ],
)

/** Invitations by email link: only the SHA-256 of the token is stored; single use. */
export const invitations = pgTable(
  'invitations',
  {
    tenantId: tenantId(),
    id: id(),
    email: text('email').notNull(),
    role: text('role', { enum: cityRoles }).notNull(),
    departmentId: uuid('department_id'),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedBy: uuid('used_by').references(() => users.id, { onDelete: 'set null' }),
    /** Cancelled by a desk admin, or replaced by a resent invitation: the link no longer works. */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    unique('invitations_tenant_token_unique').on(t.tenantId, t.tokenHash),
    tenantForeignKey(t, t.departmentId, departments).onDelete('cascade'),
    index('invitations_tenant_department_idx').on(t.tenantId, t.departmentId),
  ],
)

/** A city's published issues (テーマ型 / 課題提案). The public sees `open` ones only. */
export const themes = pgTable(
  'themes',
  {
    tenantId: tenantId(),
    id: id(),
    titleJa: text('title_ja').notNull(),
    titleEn: text('title_en').notNull().default(''),
    backgroundJa: text('background_ja').notNull().default(''),
    backgroundEn: text('background_en').notNull().default(''),
    expectedOutcomeJa: text('expected_outcome_ja').notNull().default(''),
    expectedOutcomeEn: text('expected_outcome_en').notNull().default(''),
    departmentId: uuid('department_id'),
    deadline: date('deadline'),
    /** Ids of the tenant file's fields of activity. */
    fields: text('fields').array().notNull().default([]),
    /**
     * The platform taxonomy's fields those map to (tenants/platform/taxonomy.yaml), written with
     * `fields` by the desk's save: what the cross-city pages and alerts filter by.
     */
    platformFields: text('platform_fields').array().notNull().default([]),
    status: text('status', { enum: ['draft', 'open', 'closed'] }).notNull().default('draft'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    tenantForeignKey(t, t.departmentId, departments).onDelete('restrict'),
    index('themes_tenant_status_idx').on(t.tenantId, t.status),
    index('themes_tenant_department_idx').on(t.tenantId, t.departmentId),
    // The cross-city list (/themes): open themes only, by deadline.
    index('themes_open_deadline_idx').on(t.tenantId, t.deadline, t.publishedAt).where(sql`status = 'open'`),
  ],
)

/**
 * A proposal to one city. `submitted_at IS NULL` means a draft: only the
 * proposer's organisation sees it. `state`, `proposal_type`, `track` and
 * `collaboration_method` are ids from the city's tenant file.
 */
export const proposals = pgTable(
  'proposals',
  {
    tenantId: tenantId(),
    id: id(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'restrict' }),
    submitterUserId: uuid('submitter_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    proposalType: text('proposal_type').notNull(),
    themeId: uuid('theme_id'),
    track: text('track').notNull(),
    collaborationMethod: text('collaboration_method'),
    state: text('state').notNull(),
    version: integer('version').notNull().default(1),
    referenceCode: text('reference_code'),
    title: text('title').notNull(),
    answers: jsonb('answers').notNull().default({}),
    /** `{ notes: string[], configVersion: string, at: ISO string }` */
    acknowledgements: jsonb('acknowledgements').notNull().default({}),
    idempotencyKey: text('idempotency_key'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    /**
     * Set when a draft asks the city for something before submission (e.g. a
     * pre-consultation): from then on the desk sees the draft.
     */
    sharedWithCityAt: timestamp('shared_with_city_at', { withTimezone: true }),
    earlyAnswerDueAt: timestamp('early_answer_due_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** When the proposal entered its current state (set by the transition that moved it; migration 0032). */
    stateEnteredAt: timestamp('state_entered_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the desk was last reminded that it waits past its stage's target; this stay's iff ≥ stateEnteredAt. */
    stageRemindedAt: timestamp('stage_reminded_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    unique('proposals_tenant_reference_unique').on(t.tenantId, t.referenceCode),
    unique('proposals_tenant_org_idempotency_unique').on(t.tenantId, t.organisationId, t.idempotencyKey),
    tenantForeignKey(t, t.themeId, themes).onDelete('restrict'),
    // The desk inbox: one city's proposals in a state, newest submission first (issue 11).
    // Ascending, so a backward scan gives ORDER BY submitted_at DESC (NULLS FIRST, the default) without a
    // sort. Also serves every (tenant_id, state) lookup, so it replaces the two-column index.
    // Migrations 0016 and 0036 add INCLUDE (shared_with_city_at, id, organisation_id, routed_department_ids,
    // track, early_answer_due_at, decided_at): the row policies' columns and those of the desk's counts, so
    // the inbox's count per state and countDeskWork are index-only scans (drizzle cannot declare INCLUDE).
    index('proposals_tenant_state_submitted_idx').on(t.tenantId, t.state, t.submittedAt),
    index('proposals_tenant_theme_idx').on(t.tenantId, t.themeId),
    index('proposals_tenant_org_idx').on(t.tenantId, t.organisationId),
    index('proposals_tenant_submitted_idx').on(t.tenantId, t.submittedAt),
    // The names of a page's people (app_people, migration 0047): a city's proposals by their submitter.
    index('proposals_tenant_submitter_idx').on(t.tenantId, t.submitterUserId),
  ],
)

/** Routing: the departments a proposal is assigned to. */
export const proposalDepartments = pgTable(
  'proposal_departments',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    departmentId: uuid('department_id').notNull(),
    assignedBy: uuid('assigned_by').references(() => users.id, { onDelete: 'set null' }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    unique('proposal_departments_unique').on(t.tenantId, t.proposalId, t.departmentId),
    tenantForeignKey(t, t.proposalId, proposals).onDelete('cascade'),
    tenantForeignKey(t, t.departmentId, departments).onDelete('restrict'),
    index('proposal_departments_tenant_department_idx').on(t.tenantId, t.departmentId),
  ],
)

/** Append-only event log of a proposal's transitions (runtime: INSERT and SELECT only). */
export const proposalEvents = pgTable(
  'proposal_events',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    // No ON DELETE action: users are disabled, never deleted, and the log is never rewritten.
    actorUserId: uuid('actor_user_id').references(() => users.id),
    actorSide: text('actor_side', { enum: ['proposer', 'desk', 'department', 'system'] }).notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    transition: text('transition').notNull(),
    reason: text('reason'),
    payload: jsonb('payload').notNull().default({}),
    /** False for internal steps (e.g. internal coordination) the proposer does not see. */
    visibleToProposer: boolean('visible_to_proposer').notNull().default(true),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    tenantForeignKey(t, t.proposalId, proposals).onDelete('cascade'),
    index('proposal_events_tenant_proposal_idx').on(t.tenantId, t.proposalId, t.at),
  ],
)

/** The dialogue thread with the proposer. City-internal notes live in `internal_notes`. */
export const messages = pgTable(
  'messages',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    authorSide: text('author_side', { enum: ['proposer', 'city'] }).notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    tenantForeignKey(t, t.proposalId, proposals).onDelete('cascade'),
    index('messages_tenant_proposal_idx').on(t.tenantId, t.proposalId, t.createdAt),
    // The names of a thread's authors (app_people, migration 0047): a city's messages by their author.
    index('messages_tenant_author_idx').on(t.tenantId, t.authorUserId),
  ],
)

/** City staff only: its own table under its own policy, never visible to proposers. */
export const internalNotes = pgTable(
  'internal_notes',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    tenantForeignKey(t, t.proposalId, proposals).onDelete('cascade'),
    index('internal_notes_tenant_proposal_idx').on(t.tenantId, t.proposalId, t.createdAt),
  ],
)

/**
 * Know-how (ナレッジ): an internal note a staff member marked as good practice,
 * with an optional lesson title and fields of activity. City staff only, like
 * the note itself: the policies follow the note, so department staff see and
 * mark entries on the proposals routed to them only.
 */
export const knowHowEntries = pgTable(
  'know_how_entries',
  {
    tenantId: tenantId(),
    id: id(),
    internalNoteId: uuid('internal_note_id').notNull(),
    proposalId: uuid('proposal_id').notNull(),
    title: text('title').notNull().default(''),
    /** Ids of the tenant file's fields of activity. */
    fields: jsonb('fields').$type<string[]>().notNull().default([]),
    markedBy: uuid('marked_by').references(() => users.id, { onDelete: 'set null' }),
    markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    unique('know_how_entries_note_unique').on(t.tenantId, t.internalNoteId),
    tenantForeignKey(t, t.internalNoteId, internalNotes).onDelete('cascade'),
    tenantForeignKey(t, t.proposalId, proposals).onDelete('cascade'),
    index('know_how_entries_tenant_marked_idx').on(t.tenantId, t.markedAt),
    index('know_how_entries_tenant_proposal_idx').on(t.tenantId, t.proposalId),
  ],
)

/** Unread markers: how far each user has read a proposal's thread. */
export const messageReads = pgTable(
  'message_reads',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lastReadAt: timestamp('last_read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    tenantPrimaryKey(t),
    unique('message_reads_unique').on(t.tenantId, t.proposalId, t.userId),
    tenantForeignKey(t, t.proposalId, proposals).onDelete('cascade'),
  ],
)

/**
 * Files of a proposal, or of one of its messages. Stored under
 * `.data/uploads` by `stored_name` (server-made); `original_name` is shown
 * only. `visibility = 'internal'` files (e.g. a permit record) are staff-only.
 */
export const attachments = pgTable(
  'attachments',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    messageId: uuid('message_id'),
    visibility: text('visibility', { enum: ['shared', 'internal'] }).notNull().default('shared'),
    storedName: text('stored_name').notNull(),
    originalName: text('original_name').notNull(),
    mime: text('mime').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    unique('attachments_tenant_stored_name_unique').on(t.tenantId, t.storedName),
    tenantForeignKey(t, t.proposalId, proposals).onDelete('cascade'),
    tenantForeignKey(t, t.messageId, messages).onDelete('cascade'),
    index('attachments_tenant_proposal_idx').on(t.tenantId, t.proposalId),
    index('attachments_tenant_message_idx').on(t.tenantId, t.messageId),
  ],
)

/** The desk's screening: one record per eligibility criterion of the tenant file. */
export const eligibilityScreenings = pgTable(
  'eligibility_screenings',
  {
    tenantId: tenantId(),
    id: id(),
    proposalId: uuid('proposal_id').notNull(),
    criterionId: text('criterion_id').notNull(),
    judgement: text('judgement', { enum: ['pass', 'fail', 'unclear'] }).notNull(),
    note: text('note').notNull().default(''),
    staffUserId: uuid('staff_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    tenantPrimaryKey(t),
    unique('eligibility_screenings_unique').on(t.tenantId, t.proposalId, t.criterionId),
    tenantForeignKey(t, t.proposalId, proposals).onDelete('cascade'),
  ],
)

/** Append-only audit of a city (runtime: INSERT and SELECT only). */
export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: tenantId(),
    id: id(),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    actorKind: text('actor_kind').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    payload: jsonb('payload').notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [tenantPrimaryKey(t), index('audit_log_tenant_at_idx').on(t.tenantId, t.at)],
)

/**
 * The last reference number given per city, code prefix and year (`PREFIX-YEAR-NNNN`): a submission
 * advances it in its own transaction (the row lock orders a city's submissions, a rollback gives the
 * number back), and a trigger on `proposals` moves it past any code written otherwise (migration 0035).
 */
export const proposalReferenceCounters = pgTable(
  'proposal_reference_counters',
  {
    tenantId: tenantId(),
    prefix: text('prefix').notNull(),
    year: integer('year').notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [primaryKey({ name: 'proposal_reference_counters_pk', columns: [t.tenantId, t.prefix, t.year] })],
)

/**
 * Transactional outbox: written in the same transaction as the change it
 * announces; the sender (actor `system`) renders it in `locale` and marks it sent.
 */
export const notificationOutbox = pgTable(
  'notification_outbox',
  {
    tenantId: tenantId(),
    id: id(),
    recipientUserId: uuid('recipient_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull().default({}),
    locale: text('locale').notNull().default('ja'),
    /**
     * Only on a row written without a recipient, for a city's staff: these departments' staff, or the
     * desk when null. A trigger replaces such a row by one per recipient (migration 0035), and fills a
     * missing locale with the recipient's: never stored.
     */
    forDepartmentKeys: text('for_department_keys').array(),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [
    tenantPrimaryKey(t),
    index('notification_outbox_unsent_idx')
      .on(t.tenantId, t.createdAt)
      .where(sql`${t.sentAt} IS NULL`),
  ],
)
