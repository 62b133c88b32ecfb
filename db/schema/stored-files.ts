import { customType, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { createdAt, tenantId } from './tenant'

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' })

/**
 * The PostgreSQL file store (FILE_STORAGE=postgres, migration 0030): a stored
 * file is its chunks, in order, in its city's rows. Read and written only by
 * db/file-storage as the system actor of the file's city.
 */
export const storedFileChunks = pgTable(
  'stored_file_chunks',
  {
    tenantId: tenantId(),
    storedName: text('stored_name').notNull(),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.storedName, t.seq] }),
    index('stored_file_chunks_first_created_idx').on(t.tenantId, t.createdAt).where(sql`${t.seq} = 0`),
  ],
)
