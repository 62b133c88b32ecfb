import { sql } from 'drizzle-orm'
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

/**
 * Platform-wide tables: no `tenant_id`. People and organisations exist once on
 * the platform and propose to any number of cities; what they submit belongs to
 * the city (see ./tenant.ts). In Citus these become reference tables
 * (docs/scaling.md). Every one has row-level security enabled and forced; the
 * policies are in the hand-written migration (db/migrations/*_rls_policies.sql).
 */

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}

/**
 * One row per city. The city's configuration itself lives in its tenant file;
 * `configVersion` records which version of that file was last applied.
 */
export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  status: text('status', { enum: ['draft', 'live', 'suspended'] }).notNull().default('live'),
  configVersion: text('config_version').notNull(),
  configRevision: integer('config_revision').notNull().default(1),
  nameJa: text('name_ja').notNull().default(''),
  nameEn: text('name_en').notNull().default(''),
  /** Prefix of the city's proposal reference codes, e.g. `<PREFIX>-2026-0001`. */
  referencePrefix: text('reference_prefix'),
  /**
   * The tenant file as last applied by `tenants:apply` or the operator console
   * (already validated). The running servers serve it without a restart; null
   * for a city only ever seeded from `tenants/`.
   */
  configSource: text('config_source'),
  configFile: text('config_file'),
  ...timestamps,
})

/**
 * People. Email is unique case-insensitively. The password hash and the TOTP
 * secret are only ever read through `find_user_for_sign_in(email)` or by the
 * user themself; other users' rows that a policy lets you see (a colleague, a
 * proposer in your city's thread) must be selected with explicit columns —
 * see `userProfileColumns`.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    locale: text('locale', { enum: ['ja', 'en'] }).notNull().default('ja'),
    passwordHash: text('password_hash').notNull(),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
    totpSecret: text('totp_secret'),
    /** The last TOTP time step accepted for this user: a code is never accepted twice. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    platformRole: text('platform_role', { enum: ['operator'] }),
    ...timestamps,
  },
  (t) => [uniqueIndex('users_email_lower_unique').on(sql`lower(${t.email})`)],
)

/** The columns of `users` the runtime role may read on rows other than its own. */
export const userProfileColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  locale: users.locale,
  disabledAt: users.disabledAt,
  platformRole: users.platformRole,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
} as const

/**
 * lucia v3's session shape (`id`, `user_id`, `expires_at`) plus the idle and
 * absolute limits and where the session came from. `expires_at` is the
 * earlier of the two limits, so lucia's own check stays correct.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    idleExpiresAt: timestamp('idle_expires_at', { withTimezone: true }).notNull(),
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the session's user gave a second factor (operators: TOTP); null until then. */
    secondFactorAt: timestamp('second_factor_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
)

export const organisationKinds = [
  'corporation',
  'university',
  'npo',
  'sole_proprietor',
  'other_group',
  'individual',
] as const
export type OrganisationKind = (typeof organisationKinds)[number]

export const organisations = pgTable('organisations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: text('kind', { enum: organisationKinds }).notNull(),
  /** 法人番号 (13 digits) where the organisation has one. */
  corporateNumber: text('corporate_number'),
  address: text('address').notNull().default(''),
  contactPerson: text('contact_person').notNull().default(''),
  contactEmail: text('contact_email'),
  contactPhone: text('contact_phone'),
  ...timestamps,
})

export const organisationMembers = pgTable(
  'organisation_members',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'member'] }).notNull().default('member'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.userId] }), index('organisation_members_user_idx').on(t.userId)],
)

/**
 * Invitations to join an organisation, by email link, like the cities' staff
 * invitations: only the SHA-256 of the token is stored; single use; expiry;
 * revoked when an owner cancels it or resends a new one. Read and accepted by
 * token only through `organisation_invitation_for_token` and
 * `accept_organisation_invitation`.
 */
export const organisationInvitations = pgTable(
  'organisation_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: ['owner', 'member'] }).notNull().default('member'),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedBy: uuid('used_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('organisation_invitations_organisation_idx').on(t.organisationId)],
)

/** Only the SHA-256 of the emailed token is stored. Consumed by `consume_password_reset_token`. */
export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId)],
)

/** Sign-in throttling: one row per attempt, keyed e.g. `account:<email>` or `ip:<address>`. */
/**
 * One row per throttled key (sign-in per account and address, per address, second factor, reset and
 * sign-up requests): the attempts in the current window, and the block with its backoff. Written only by
 * `throttle_take()` and friends (migration 0019), one row lock per attempt: docs/decisions/006-security.md.
 */
export const throttleCounters = pgTable('throttle_counters', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull().default(0),
  windowEndsAt: timestamp('window_ends_at', { withTimezone: true }).notNull(),
  blockedUntil: timestamp('blocked_until', { withTimezone: true }),
  /** Blocks so far: each one lasts twice the one before, up to the rule's longest. */
  strikes: integer('strikes').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Platform-wide mail queue (invitations, password resets, notifications rendered to mail). */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    kind: text('kind').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    /** What the last failed attempt met: an error code and SMTP status, never an address or text. */
    lastError: text('last_error'),
    /** The city the mail is about (its counts on the operator console); null for platform mail. Not a tenant key. */
    subjectTenantId: uuid('subject_tenant_id'),
    /** When delivery was given up after every retry (the dead letter); the operator console counts these. */
    deadAt: timestamp('dead_at', { withTimezone: true }),
    /** The one-click unsubscribe address of an alert mail, sent as RFC 8058 List-Unsubscribe headers. */
    listUnsubscribeUrl: text('list_unsubscribe_url'),
  },
  (t) => [
    index('mail_outbox_unsent_idx').on(t.createdAt).where(sql`${t.sentAt} IS NULL`),
    index('mail_outbox_dead_idx').on(t.subjectTenantId).where(sql`${t.deadAt} IS NOT NULL`),
  ],
)

/**
 * Platform-level audit (operator actions, onboarding, account disablement).
 * Append-only for the runtime role. `subjectTenantId` deliberately is not
 * called `tenant_id`: this is not a tenant table.
 */
export const platformAuditLog = pgTable(
  'platform_audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorKind: text('actor_kind').notNull(),
    action: text('action').notNull(),
    subjectTenantId: uuid('subject_tenant_id').references(() => tenants.id, { onDelete: 'set null' }),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    payload: jsonb('payload').notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('platform_audit_log_at_idx').on(t.at)],
)

/** Which one-time seeds have run (the demo seed records itself here). Owner only. */
export const seedRuns = pgTable('seed_runs', {
  name: text('name').primaryKey(),
  ranAt: timestamp('ran_at', { withTimezone: true }).notNull().defaultNow(),
  details: jsonb('details').notNull().default({}),
})
