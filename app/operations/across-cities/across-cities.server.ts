import { platformFieldsOf, tokyoDay, type TenantConfig } from '@desk/tenant-config'
import { and, arrayOverlaps, asc, count, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { platformOpenThemes, platformPublishedCases } from '../../../db/schema'
import { withTenant, type TenantTx } from '../../../db/tenant-context'
import { matchesAllWords, normalizedColumn } from '../text-search.server'
import { LIST_PAGE_SIZE, pageOf, type PageOf } from '~/utils/paging'
import { citiesOfScope, type CaseSearch, type FilterVocabulary, type ThemeSearch } from './search'

export type { FilterVocabulary } from './search'

/**
 * Reading across cities (issue 22): every live city's open themes and
 * published cases, through the views of migration 0021 — the only way in, and
 * they expose nothing else (a draft or suspended city, a draft or closed
 * theme, an unpublished or withdrawn case never appears). Read as the public:
 * no city and no user in the context.
 */
export function readAcrossCities<T>(db: RuntimeDb, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return withTenant(db, { tenantId: null, userId: null, actor: 'public' }, fn)
}

const v = platformOpenThemes

function themeConditions(search: ThemeSearch, vocabulary: FilterVocabulary, today: string): SQL | undefined {
  const slugs = citiesOfScope(search, vocabulary)
  const closingBy = search.closingWithinDays
    ? tokyoDay(new Date(Date.parse(`${today}T00:00:00+09:00`) + search.closingWithinDays * 86_400_000))
    : null
  return and(
    search.fields.length > 0 ? arrayOverlaps(v.platformFields, search.fields) : undefined,
    slugs ? (slugs.length > 0 ? inArray(v.citySlug, slugs) : sql`false`) : undefined,
    closingBy ? and(gte(v.deadline, today), lte(v.deadline, closingBy)) : undefined,
    matchesAllWords(search.q, [
      normalizedColumn(v.titleJa),
      normalizedColumn(v.titleEn),
      normalizedColumn(v.backgroundJa),
      normalizedColumn(v.backgroundEn),
    ]),
  )
}

const themeColumns = {
  citySlug: v.citySlug,
  id: v.id,
  titleJa: v.titleJa,
  titleEn: v.titleEn,
  backgroundJa: v.backgroundJa,
  backgroundEn: v.backgroundEn,
  deadline: v.deadline,
  platformFields: v.platformFields,
  publishedAt: v.publishedAt,
  updatedAt: v.updatedAt,
}
export type PlatformTheme = Awaited<ReturnType<typeof searchOpenThemes>>['themes'][number]

/** One page of every live city's open themes that match, and how many match. */
export async function searchOpenThemes(
  db: RuntimeDb,
  search: ThemeSearch,
  vocabulary: FilterVocabulary,
  options: { now?: Date; pageSize?: number } = {},
) {
  const today = tokyoDay(options.now ?? new Date())
  const where = themeConditions(search, vocabulary, today)
  const order =
    search.sort === 'newest'
      ? [sql`${v.publishedAt} desc nulls last`, asc(v.id)]
      : [sql`${v.deadline} asc nulls last`, sql`${v.publishedAt} desc nulls last`, asc(v.id)]
  const size = options.pageSize ?? LIST_PAGE_SIZE
  return readAcrossCities(db, async (tx) => {
    const [counted] = await tx.select({ total: count() }).from(v).where(where)
    const paging: PageOf = pageOf(search.page, counted?.total ?? 0, size)
    const themes = await tx
      .select(themeColumns)
      .from(v)
      .where(where)
      .orderBy(...order)
      .limit(size)
      .offset(paging.offset)
    return { themes, ...paging }
  })
}

/** Open themes whose deadline is today or later, soonest first (the platform home). */
export async function themesClosingSoon(db: RuntimeDb, limit: number, now = new Date()) {
  return readAcrossCities(db, (tx) =>
    tx
      .select(themeColumns)
      .from(v)
      .where(gte(v.deadline, tokyoDay(now)))
      .orderBy(asc(v.deadline), asc(v.id))
      .limit(limit),
  )
}

const c = platformPublishedCases

/** A case's year: the year it started, else the year it was published, in Japan. */
const caseYear = sql<number>`extract(year from coalesce(${c.startedOn}::timestamp, ${c.publishedAt} at time zone 'Asia/Tokyo'))::int`

function caseConditions(search: CaseSearch, vocabulary: FilterVocabulary): SQL | undefined {
  const slugs = citiesOfScope(search, vocabulary)
  return and(
    search.fields.length > 0 ? arrayOverlaps(c.platformFields, search.fields) : undefined,
    slugs ? (slugs.length > 0 ? inArray(c.citySlug, slugs) : sql`false`) : undefined,
    search.method ? eq(c.collaborationMethod, search.method) : undefined,
    search.year ? sql`${caseYear} = ${search.year}` : undefined,
    matchesAllWords(search.q, [
      normalizedColumn(c.titleJa),
      normalizedColumn(c.titleEn),
      normalizedColumn(c.summaryJa),
      normalizedColumn(c.summaryEn),
      normalizedColumn(c.partnerName),
    ]),
  )
}

const caseColumns = {
  citySlug: c.citySlug,
  id: c.id,
  titleJa: c.titleJa,
  titleEn: c.titleEn,
  summaryJa: c.summaryJa,
  summaryEn: c.summaryEn,
  partnerName: c.partnerName,
  collaborationMethod: c.collaborationMethod,
  platformFields: c.platformFields,
  startedOn: c.startedOn,
  endedOn: c.endedOn,
  publishedAt: c.publishedAt,
  updatedAt: c.updatedAt,
}
export type PlatformCase = Awaited<ReturnType<typeof searchPublishedCases>>['cases'][number]

/** One page (or, with `pageSize: null`, all) of every live city's published cases that match, newest first. */
export async function searchPublishedCases(
  db: RuntimeDb,
  search: CaseSearch,
  vocabulary: FilterVocabulary,
  options: { pageSize?: number | null } = {},
) {
  const where = caseConditions(search, vocabulary)
  return readAcrossCities(db, async (tx) => {
    const [counted] = await tx.select({ total: count() }).from(c).where(where)
    const total = counted?.total ?? 0
    const size = options.pageSize === null ? Math.max(total, 1) : (options.pageSize ?? LIST_PAGE_SIZE)
    const paging = pageOf(search.page, total, size)
    const cases = await tx
      .select(caseColumns)
      .from(c)
      .where(where)
      .orderBy(desc(c.publishedAt), asc(c.id))
      .limit(size)
      .offset(paging.offset)
    const years = await tx.selectDistinct({ year: caseYear }).from(c).orderBy(desc(caseYear))
    return { cases, years: years.map((row) => row.year), ...paging }
  })
}

/** The newest published cases (the platform home). */
export async function recentCases(db: RuntimeDb, limit: number) {
  return readAcrossCities(db, (tx) =>
    tx.select(caseColumns).from(c).orderBy(desc(c.publishedAt), asc(c.id)).limit(limit),
  )
}

/**
 * "Similar cases elsewhere" on a desk's proposal page: published cases of
 * OTHER live cities in any of the given platform fields, newest first. Only
 * what those cities published; nothing of any proposal. Runs in the caller's
 * transaction (the desk page's one), whatever its context: the view shows
 * every reader the same public rows.
 */
export async function similarCasesElsewhere(
  tx: TenantTx,
  options: { exceptTenantId: string; platformFields: string[]; limit?: number },
) {
  if (options.platformFields.length === 0) return []
  return tx
    .select(caseColumns)
    .from(c)
    .where(
      and(
        sql`${c.tenantId} <> ${options.exceptTenantId}`,
        arrayOverlaps(c.platformFields, options.platformFields),
      ),
    )
    .orderBy(desc(c.publishedAt), asc(c.id))
    .limit(options.limit ?? 5)
}

/** Changes whenever anything the cross-city pages show changes (migration 0021's platform_content_stamp). */
export async function platformContentStamp(db: RuntimeDb): Promise<string> {
  return readAcrossCities(db, async (tx) => {
    const rows = await tx.execute<{ stamp: string }>(sql`select platform_content_stamp() as stamp`)
    return rows[0]?.stamp ?? ''
  })
}

/**
 * The platform fields a proposal is about: the city's fields of activity it
 * chose on its form (a select or multi-select whose options are all the
 * city's field ids), and, for a theme proposal, its theme's fields.
 */
export function proposalCityFields(
  config: TenantConfig,
  proposal: { proposalType: string; answers: unknown },
): string[] {
  const fieldIds = new Set(config.fieldsOfActivity.map((field) => field.id))
  const formId = config.proposalTypes.find((type) => type.id === proposal.proposalType)?.form
  const form = config.forms.find((candidate) => candidate.id === formId)
  const answers = (proposal.answers ?? {}) as Record<string, unknown>
  return (form?.fields ?? []).flatMap((field) => {
    if (field.type !== 'select' && field.type !== 'multi_select') return []
    if (!field.options.every((option) => typeof option.value === 'string' && fieldIds.has(option.value)))
      return []
    const answer = answers[field.id]
    return (Array.isArray(answer) ? answer : [answer]).filter(
      (value): value is string => typeof value === 'string' && fieldIds.has(value),
    )
  })
}

/** "Similar cases elsewhere" for a desk's proposal page, in its transaction: by its own fields, else its theme's (while open). */
export async function similarCasesForProposal(
  tx: TenantTx,
  options: {
    tenantId: string
    config: TenantConfig
    proposal: { proposalType: string; answers: unknown; themeId: string | null }
  },
) {
  const { config, proposal } = options
  let platformFields = platformFieldsOf(config, proposalCityFields(config, proposal))
  if (platformFields.length === 0 && proposal.themeId) {
    const [theme] = await tx
      .select({ platformFields: v.platformFields })
      .from(v)
      .where(and(eq(v.tenantId, options.tenantId), eq(v.id, proposal.themeId)))
    platformFields = theme?.platformFields ?? []
  }
  return similarCasesElsewhere(tx, { exceptTenantId: options.tenantId, platformFields })
}
