import { pgTable, text, timestamp, uuid, integer } from 'drizzle-orm/pg-core'

/**
 * One row per city. Platform-wide: the tenant id every tenant table carries.
 * The city's configuration itself lives in its tenant file; `configVersion`
 * records which version of that file was last applied.
 */
export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  status: text('status', { enum: ['draft', 'live', 'suspended'] }).notNull().default('live'),
  configVersion: text('config_version').notNull(),
  configRevision: integer('config_revision').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})
