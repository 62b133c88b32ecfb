import { date, pgView, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * The cross-city views (db/migrations/0021_across_cities.sql): every live
 * city's open themes and published cases, and nothing else. The runtime role
 * reads their rows only through the definer readers that return them
 * (migrations 0028, 0041; `acrossCities` in app/operations/across-cities):
 * declared here for those rows' columns; the migration creates them.
 */
export const platformOpenThemes = pgView('platform_open_themes', {
  tenantId: uuid('tenant_id').notNull(),
  citySlug: text('city_slug').notNull(),
  id: uuid('id').notNull(),
  titleJa: text('title_ja').notNull(),
  titleEn: text('title_en').notNull(),
  backgroundJa: text('background_ja').notNull(),
  backgroundEn: text('background_en').notNull(),
  expectedOutcomeJa: text('expected_outcome_ja').notNull(),
  expectedOutcomeEn: text('expected_outcome_en').notNull(),
  deadline: date('deadline'),
  fields: text('fields').array().notNull(),
  platformFields: text('platform_fields').array().notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}).existing()

export const platformPublishedCases = pgView('platform_published_cases', {
  tenantId: uuid('tenant_id').notNull(),
  citySlug: text('city_slug').notNull(),
  id: uuid('id').notNull(),
  titleJa: text('title_ja').notNull(),
  titleEn: text('title_en').notNull(),
  summaryJa: text('summary_ja').notNull(),
  summaryEn: text('summary_en').notNull(),
  partnerName: text('partner_name').notNull(),
  collaborationMethod: text('collaboration_method'),
  agreementKind: text('agreement_kind'),
  fields: text('fields').array().notNull(),
  platformFields: text('platform_fields').array().notNull(),
  startedOn: date('started_on'),
  endedOn: date('ended_on'),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}).existing()
