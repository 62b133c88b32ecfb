import { sql } from 'drizzle-orm'
import { index, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organisations, users } from './platform'

/**
 * Alerts (issue 22, migration 0031): a search of /themes or /cases a member
 * of an organisation saved, to be mailed when a city opens a matching theme
 * or publishes a matching case. Organisation data: only the member who saved
 * it (in an organisation they still belong to) and the system actor read it.
 */
export const savedSearches = pgTable(
  'saved_searches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['themes', 'cases'] }).notNull(),
    /** The scope as the query that finds it, read by the lists' one parser (app/operations/across-cities/search.ts). */
    query: text('query').notNull(),
    frequency: text('frequency', { enum: ['immediate', 'daily'] }).notNull(),
    /** The capability in every alert mail's unsubscribe link (256 random bits, made by the database). */
    unsubscribeToken: text('unsubscribe_token')
      .notNull()
      .default(
        sql`encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex')`,
      ),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('saved_searches_unique').on(t.userId, t.organisationId, t.kind, t.query),
    index('saved_searches_organisation_idx').on(t.organisationId),
    index('saved_searches_kind_idx').on(t.kind),
    uniqueIndex('saved_searches_token_idx').on(t.unsubscribeToken),
  ],
)

/** What a saved search matched, once per item; `mailedAt` unset: waiting for the daily digest. System actor only. */
export const savedSearchMatches = pgTable(
  'saved_search_matches',
  {
    savedSearchId: uuid('saved_search_id')
      .notNull()
      .references(() => savedSearches.id, { onDelete: 'cascade' }),
    itemKind: text('item_kind', { enum: ['theme', 'case'] }).notNull(),
    itemId: uuid('item_id').notNull(),
    matchedAt: timestamp('matched_at', { withTimezone: true }).notNull().defaultNow(),
    mailedAt: timestamp('mailed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'saved_search_matches_pk', columns: [t.savedSearchId, t.itemKind, t.itemId] }),
    index('saved_search_matches_unmailed_idx')
      .on(t.savedSearchId)
      .where(sql`${t.mailedAt} IS NULL`),
  ],
)
