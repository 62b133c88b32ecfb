import { z } from 'zod'

/** Rows a page of a desk or proposer list shows (issue 17, finding 9). */
export const LIST_PAGE_SIZE = 50

/**
 * `page` of a query whose page number was checked already (the cross-city search parses what
 * `readQuery` took with PageQuerySchema): none reads as the first. An address's `?page=` is read with
 * PageQuerySchema (or `readPageQuery`), which refuses one that is not a page number.
 */
export const PageParamSchema = z.coerce.number().int().min(1).max(1_000_000).catch(1)

export type PageOf = { page: number; pageCount: number; offset: number; total: number }

/**
 * Where the requested page of `total` rows starts: a page past the last
 * shows the last, so an address kept after rows went away still lists some.
 */
export function pageOf(requested: number, total: number, size = LIST_PAGE_SIZE): PageOf {
  const pageCount = Math.max(1, Math.ceil(total / size))
  const page = Math.min(Math.max(1, Math.floor(requested)), pageCount)
  return { page, pageCount, offset: (page - 1) * size, total }
}

/**
 * `?page=` of a list whose query is read as a form (`readQuery`): a page number that is not one is refused
 * (400, said beside the list), never read as the first under the asked address.
 */
export const PageQuerySchema = z
  .number({ invalid_type_error: 'common:query.page' })
  .int('common:query.page')
  .min(1, 'common:query.page')
  .max(1_000_000, 'common:query.page')
  .optional()
