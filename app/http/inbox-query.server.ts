import { z } from 'zod'
import type { TFunction } from 'i18next'
import type { TenantConfig } from '@desk/tenant-config'
import { inboxSorts, type InboxFilters } from '~/operations/inbox/desk-inbox.server'
import { PageQuerySchema } from '~/utils/paging'
import { readQuery, type QueryReading } from './form-validation.server'

/**
 * The desk inbox's filter form, read from its URL (the page and its CSV, issue
 * 19): a stage, track or department the city's file does not have, a theme id
 * that is not one, a day count, order, box or page number the form does not
 * send, or words past the box's length is refused at its input — the page
 * answers 400 with the message at its field and the inbox without it, the CSV
 * 400 with the reason — instead of an empty or unfiltered list under the
 * asked address. (On main these were read as given, or left out.)
 */

const CHOOSE = 'auth:validation.choose'
const DAYS = 'desk:inbox.errors.olderThanDays'

const oneOf = (ids: readonly string[]) => z.string().refine((id) => ids.includes(id), CHOOSE)
/** A box of the form: sent as 'on' (@conform-to/zod reads it as true), anything else refused. */
const box = z.boolean({ invalid_type_error: 'auth:validation.invalid' }).optional()

function inboxQuerySchema(config: TenantConfig) {
  return z.object({
    state: oneOf(config.tracks.flatMap((track) => track.steps.map((step) => step.id))).optional(),
    track: oneOf(config.tracks.map((track) => track.id)).optional(),
    themeId: z.string().uuid(CHOOSE).optional(),
    department: oneOf(config.departments.map((department) => department.id)).optional(),
    olderThanDays: z.number({ invalid_type_error: DAYS }).int(DAYS).min(1, DAYS).max(3650, DAYS).optional(),
    overdueOnly: box,
    pastTargetOnly: box,
    waitingOnly: box,
    q: z.string().trim().max(200, 'auth:validation.tooLong').optional(),
    sort: z.enum(inboxSorts).optional(),
    page: PageQuerySchema,
  })
}

// One schema per city file (the object the registry serves until the file changes), not one per request.
const schemas = new WeakMap<TenantConfig, ReturnType<typeof inboxQuerySchema>>()

/** The inbox's filters from its query, the refused inputs' messages and what was sent. */
export function readInboxQuery(params: URLSearchParams, config: TenantConfig): QueryReading<InboxFilters> {
  let schema = schemas.get(config)
  if (!schema) schemas.set(config, (schema = inboxQuerySchema(config)))
  return readQuery(params, schema)
}

/** Each input's label in the reader's language, as the filter form names it (for the CSV's refusal). */
export function inboxQueryLabels(t: TFunction): Record<string, string> {
  const label = (name: string) => t(`desk:inbox.${name}`)
  return {
    state: label('state'),
    track: label('track'),
    themeId: label('theme'),
    department: label('department'),
    olderThanDays: label('olderThanDays'),
    overdueOnly: label('overdueOnly'),
    pastTargetOnly: label('pastTargetOnly'),
    waitingOnly: label('waitingOnly'),
    q: label('search'),
    sort: label('sort'),
    page: label('paging'),
  }
}
