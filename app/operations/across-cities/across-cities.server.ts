import { platformFieldsOf, tokyoDay, type TenantConfig } from '@desk/tenant-config'
import { and, asc, desc, eq, getViewName, sql, type Column, type SQL, type View } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import { platformOpenThemes, platformPublishedCases } from '../../../db/schema'
import { withTenant, type TenantTx } from '../../../db/tenant-context'
import { matchesAllWords, normalizedColumn } from '../text-search.server'
import { LIST_PAGE_SIZE, pageOf, type PageOf } from '~/utils/paging'
import { citiesOfScope, type CaseSearch, type FilterVocabulary, type ThemeSearch } from './search'

export type { FilterVocabulary } from './search'

/**
 * Reading across cities (issue 22): every live city's open themes and
 * published cases, through the SECURITY DEFINER readers of migrations 0028 and
 * 0041 — the only way in (the runtime role cannot read the views of 0021
 * themselves), and they expose nothing else (a draft or suspended city, a
 * draft or closed theme, an unpublished or withdrawn case never appears).
 * Each reader is called as the FROM of a statement of its own: on a Citus
 * coordinator it then reads every city's shards with its owner's rights,
 * where a view would run its shard queries as the caller (decision 008,
 * "Across cities"). Read as the public: no city and no user in the context.
 */
export function readAcrossCities<T>(db: RuntimeDb, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return withTenant(db, { tenantId: null, userId: null, actor: 'public' }, fn)
}

const v = platformOpenThemes
const c = platformPublishedCases

/** A reader's call as a query's FROM, named like its view so the view's columns address its rows (see readerColumns). */
const asView = (call: SQL, view: View): SQL => sql`${call} as ${sql.identifier(getViewName(view))}`

/** A text[] argument; NULL (no filter) for null. */
const arrayParam = (values: string[] | null): SQL => sql`${values && sql.param(values)}::text[]`

/** The fields filter: none when no field is chosen. */
const fieldsParam = (fields: string[]): SQL => arrayParam(fields.length > 0 ? fields : null)

/**
 * The sources of every cross-city read, each a definer reader under the
 * views' rule: the open themes / published cases that filters leave
 * (platform_search_*, migration 0028: the filters next to the tables, the
 * field filter from an index; a filter on a view would run above its security
 * barrier, after every row was read), and the ones among given ids
 * (platform_*_among, migration 0041).
 */
export const acrossCities = {
  openThemes: (filters: {
    fields?: string[]
    cities?: string[] | null
    deadlineFrom?: string | null
    deadlineTo?: string | null
  }) =>
    asView(
      sql`platform_search_open_themes(${fieldsParam(filters.fields ?? [])}, ${arrayParam(filters.cities ?? null)},
        ${filters.deadlineFrom ?? null}::date, ${filters.deadlineTo ?? null}::date)`,
      v,
    ),
  publishedCases: (filters: { fields?: string[]; cities?: string[] | null; method?: string | null }) =>
    asView(
      sql`platform_search_published_cases(${fieldsParam(filters.fields ?? [])}, ${arrayParam(filters.cities ?? null)},
        ${filters.method ?? null}::text)`,
      c,
    ),
  openThemesAmong: (ids: string[]) => asView(sql`platform_open_themes_among(${sql.param(ids)}::uuid[])`, v),
  publishedCasesAmong: (ids: string[]) =>
    asView(sql`platform_published_cases_among(${sql.param(ids)}::uuid[])`, c),
}

/** The open themes a search's filters leave (platform_search_open_themes). */
function openThemesMatching(search: ThemeSearch, vocabulary: FilterVocabulary, today: string): SQL {
  const closingBy = search.closingWithinDays
    ? tokyoDay(new Date(Date.parse(`${today}T00:00:00+09:00`) + search.closingWithinDays * 86_400_000))
    : null
  return acrossCities.openThemes({
    fields: search.fields,
    cities: citiesOfScope(search, vocabulary),
    deadlineFrom: closingBy ? today : null,
    deadlineTo: closingBy,
  })
}

/** Where /themes looks for the search words (and a saved search's words are looked for in a theme just opened). */
export const themeSearchedColumns = {
  titleJa: v.titleJa,
  titleEn: v.titleEn,
  backgroundJa: v.backgroundJa,
  backgroundEn: v.backgroundEn,
}

/** The search words, over the themes the filters left. */
const themeWordsMatch = (search: ThemeSearch) =>
  matchesAllWords(search.q, Object.values(themeSearchedColumns).map(normalizedColumn))

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
export type PlatformTheme = Pick<typeof v.$inferSelect, keyof typeof themeColumns>

/**
 * The view's `columns`, selected from a reader's result (named like the view,
 * so WHERE and ORDER BY may use the view's columns) and decoded by them.
 * drizzle refuses a Column whose table is not the query's FROM, and a
 * function call is no table.
 */
export function readerColumns<Columns extends Record<string, Column>>(view: View, columns: Columns) {
  const alias = sql.identifier(getViewName(view))
  return Object.fromEntries(
    Object.entries(columns).map(([key, column]) => [
      key,
      sql`${alias}.${sql.identifier(column.name)}`.mapWith(column),
    ]),
  ) as { [K in keyof Columns]: SQL<ValueOf<Columns[K]>> }
}

/** What a column of a view holds: its type, or null when the column may be null. */
type ValueOf<C extends Column> = C['_']['notNull'] extends true ? C['_']['data'] : C['_']['data'] | null

/** A row of a query on platform_search_*, typed as the view's, with the window's total. */
type Counted<Row> = Row & { total: number }

/** How many rows the whole query matched, with each row of the page (one scan for both). */
const totalOverPage = sql<number>`count(*) over ()`.mapWith(Number)

/**
 * One page of every live city's open themes that match, and how many match:
 * one statement (the count as a window over the page's query); a page past
 * the last is counted first and then read as the last page.
 */
export async function searchOpenThemes(
  db: RuntimeDb,
  search: ThemeSearch,
  vocabulary: FilterVocabulary,
  options: { now?: Date; pageSize?: number } = {},
) {
  const today = tokyoDay(options.now ?? new Date())
  const source = openThemesMatching(search, vocabulary, today)
  const where = themeWordsMatch(search)
  const order =
    search.sort === 'newest'
      ? [sql`${v.publishedAt} desc nulls last`, asc(v.id)]
      : [sql`${v.deadline} asc nulls last`, sql`${v.publishedAt} desc nulls last`, asc(v.id)]
  const size = options.pageSize ?? LIST_PAGE_SIZE
  return readAcrossCities(db, (tx) =>
    pagedWithTotal(search.page, size, async (offset) =>
      tx
        .select({ ...readerColumns(v, themeColumns), total: totalOverPage })
        .from(source)
        .where(where)
        .orderBy(...order)
        .limit(size)
        .offset(offset)
        .then((rows) => rows as unknown as Counted<PlatformTheme>[]),
    ).then(({ rows, paging }) => ({ themes: rows, ...paging })),
  )
}

/**
 * Reads the requested page with its rows' `total`; when the page is past the
 * last (no row, so no total), reads the last page instead.
 */
async function pagedWithTotal<Row extends { total: number }>(
  requested: number,
  size: number,
  read: (offset: number) => Promise<Row[]>,
): Promise<{ rows: Omit<Row, 'total'>[]; paging: PageOf }> {
  let rows = await read(pageOf(requested, Number.MAX_SAFE_INTEGER, size).offset)
  let total = rows[0]?.total ?? 0
  if (rows.length === 0 && requested > 1) {
    rows = await read(0)
    total = rows[0]?.total ?? 0
    if (pageOf(requested, total, size).offset > 0) rows = await read(pageOf(requested, total, size).offset)
  }
  return withoutTotal(rows, pageOf(requested, total, size))
}

function withoutTotal<Row extends { total: number }>(rows: Row[], paging: PageOf) {
  return { rows: rows.map(({ total, ...row }) => (void total, row)), paging }
}

/** Open themes whose deadline is today or later, soonest first (the platform home). */
export async function themesClosingSoon(db: RuntimeDb, limit: number, now = new Date()) {
  return readAcrossCities(db, (tx) =>
    tx
      .select(readerColumns(v, themeColumns))
      .from(acrossCities.openThemes({ deadlineFrom: tokyoDay(now) }))
      .orderBy(asc(v.deadline), asc(v.id))
      .limit(limit),
  )
}

/** A case's year: the year it started, else the year it was published, in Japan. */
const caseYear = sql<number>`extract(year from coalesce(${c.startedOn}::timestamp, ${c.publishedAt} at time zone 'Asia/Tokyo'))::int`

/** The published cases a search's filters leave (platform_search_published_cases). */
function publishedCasesMatching(search: CaseSearch, vocabulary: FilterVocabulary): SQL {
  return acrossCities.publishedCases({
    fields: search.fields,
    cities: citiesOfScope(search, vocabulary),
    method: search.method,
  })
}

/** Where /cases looks for the search words (and a saved search's words are looked for in a case just published). */
export const caseSearchedColumns = {
  titleJa: c.titleJa,
  titleEn: c.titleEn,
  summaryJa: c.summaryJa,
  summaryEn: c.summaryEn,
  partnerName: c.partnerName,
}

/** The year and the search words, over the cases the filters left. */
function caseConditions(search: CaseSearch): SQL | undefined {
  return and(
    search.year ? sql`${caseYear} = ${search.year}` : undefined,
    matchesAllWords(search.q, Object.values(caseSearchedColumns).map(normalizedColumn)),
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
export type PlatformCase = Pick<typeof c.$inferSelect, keyof typeof caseColumns>

/** One page (or, with `pageSize: null`, all) of every live city's published cases that match, newest first. */
export async function searchPublishedCases(
  db: RuntimeDb,
  search: CaseSearch,
  vocabulary: FilterVocabulary,
  options: { pageSize?: number | null } = {},
) {
  const where = caseConditions(search)
  return readAcrossCities(db, async (tx) => {
    const read = (size: number | null, offset: number) => {
      const query = tx
        .select({ ...readerColumns(c, caseColumns), total: totalOverPage })
        .from(publishedCasesMatching(search, vocabulary))
        .where(where)
        .orderBy(desc(c.publishedAt), asc(c.id))
        .$dynamic()
      return (size === null ? query : query.limit(size).offset(offset)).then(
        (rows) => rows as unknown as Counted<PlatformCase>[],
      )
    }
    const size = options.pageSize ?? LIST_PAGE_SIZE
    const { rows: cases, paging } =
      options.pageSize === null
        ? await read(null, 0).then((rows) =>
            withoutTotal(rows, pageOf(1, rows[0]?.total ?? 0, Math.max(rows.length, 1))),
          )
        : await pagedWithTotal(search.page, size, (offset) => read(size, offset))
    const years = await tx
      .selectDistinct({ year: caseYear })
      .from(acrossCities.publishedCases({}))
      .orderBy(desc(caseYear))
    return { cases, years: years.map((row) => row.year), ...paging }
  })
}

/** The newest published cases (the platform home). */
export async function recentCases(db: RuntimeDb, limit: number) {
  return readAcrossCities(db, (tx) =>
    tx
      .select(readerColumns(c, caseColumns))
      .from(acrossCities.publishedCases({}))
      .orderBy(desc(c.publishedAt), asc(c.id))
      .limit(limit),
  )
}

/**
 * Published cases of OTHER live cities in any of the given platform fields,
 * newest first. Only what those cities published; nothing of any proposal.
 */
async function similarCasesElsewhere(
  tx: TenantTx,
  options: { exceptTenantId: string; platformFields: string[]; limit?: number },
) {
  if (options.platformFields.length === 0) return []
  return tx
    .select(readerColumns(c, caseColumns))
    .from(acrossCities.publishedCases({ fields: options.platformFields }))
    .where(sql`${c.tenantId} <> ${options.exceptTenantId}`)
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

/**
 * "Similar cases elsewhere" for a desk's proposal page: by its own fields,
 * else its theme's (while open). Public content, read as the public in a
 * transaction of its own after the page's: on a Citus coordinator the readers
 * (as their owner) may not read the city's shards once the page's request has
 * written them (its audit record): "modified in this transaction by a
 * different user" (decision 008). None when there is no field to look in.
 */
export async function similarCasesForProposal(
  db: RuntimeDb,
  options: {
    tenantId: string
    config: TenantConfig
    proposal: { proposalType: string; answers: unknown; themeId: string | null }
  },
): Promise<PlatformCase[]> {
  const { config, proposal } = options
  const ownFields = platformFieldsOf(config, proposalCityFields(config, proposal))
  const themeId = ownFields.length === 0 ? proposal.themeId : null
  if (ownFields.length === 0 && !themeId) return []
  return readAcrossCities(db, async (tx) => {
    let platformFields = ownFields
    if (themeId) {
      const [theme] = await tx
        .select(readerColumns(v, { platformFields: v.platformFields }))
        .from(acrossCities.openThemesAmong([themeId]))
        .where(eq(v.tenantId, options.tenantId))
      platformFields = theme?.platformFields ?? []
    }
    return similarCasesElsewhere(tx, { exceptTenantId: options.tenantId, platformFields })
  })
}
