import type { LocalizedText } from '@desk/workflow'
import { and, asc, count, desc, eq, sql } from 'drizzle-orm'
import { departments, referencedRow, themes } from '../../../db/schema'
import type { TenantTx } from '../../../db/tenant-context'
import { LIST_PAGE_SIZE, pageOf, type PageOf } from '~/utils/paging'

/**
 * Open themes (テーマ / 課題) as the public sees them. Row-level security
 * already limits an anonymous visitor to the city's open themes; the status
 * filter repeats it so the query says what it means.
 */
export type PublicTheme = {
  id: string
  title: LocalizedText
  background: LocalizedText
  expectedOutcome: LocalizedText
  /** The department's id in the tenant file, to name it in the visitor's language. */
  departmentKey: string | null
  departmentName: LocalizedText | null
  deadline: string | null
  publishedAt: string | null
}

/** A text stored as ja/en columns; an empty English column means "not translated". */
export function bilingual(ja: string, en: string): LocalizedText {
  return en ? { ja, en } : { ja }
}

/** A theme's texts, each as its ja/en columns: what the desk edits and the public reads. */
export const themeTextColumns = {
  titleJa: themes.titleJa,
  titleEn: themes.titleEn,
  backgroundJa: themes.backgroundJa,
  backgroundEn: themes.backgroundEn,
  expectedOutcomeJa: themes.expectedOutcomeJa,
  expectedOutcomeEn: themes.expectedOutcomeEn,
}

/** Joins a theme to its department (a theme may have none). */
export const themeDepartmentJoin = referencedRow(themes, themes.departmentId, departments)

const themeColumns = {
  id: themes.id,
  ...themeTextColumns,
  deadline: themes.deadline,
  publishedAt: themes.publishedAt,
  departmentKey: departments.key,
  departmentNameJa: departments.nameJa,
  departmentNameEn: departments.nameEn,
}

type ThemeRow = Awaited<ReturnType<typeof openThemesQuery>>[number]

function toPublicTheme(row: ThemeRow): PublicTheme {
  return {
    id: row.id,
    title: bilingual(row.titleJa, row.titleEn),
    background: bilingual(row.backgroundJa, row.backgroundEn),
    expectedOutcome: bilingual(row.expectedOutcomeJa, row.expectedOutcomeEn),
    departmentKey: row.departmentKey,
    departmentName: row.departmentNameJa ? bilingual(row.departmentNameJa, row.departmentNameEn ?? '') : null,
    deadline: row.deadline,
    publishedAt: row.publishedAt?.toISOString() ?? null,
  }
}

function openThemesQuery(tx: TenantTx) {
  return tx.select(themeColumns).from(themes).leftJoin(departments, themeDepartmentJoin)
}

/** Closing soonest first; themes without a deadline after, newest first. */
const openThemesOrder = [sql`${themes.deadline} asc nulls last`, desc(themes.publishedAt), asc(themes.id)]

/** Every open theme, in the portal's order. */
export async function listOpenThemes(tx: TenantTx): Promise<PublicTheme[]> {
  const rows = await openThemesQuery(tx)
    .where(eq(themes.status, 'open'))
    .orderBy(...openThemesOrder)
  return rows.map(toPublicTheme)
}

/** One page of the open themes (from 1; past the last, the last), in the portal's order, and how many are open. */
export async function pageOpenThemes(
  tx: TenantTx,
  requested: number,
): Promise<PageOf & { themes: PublicTheme[] }> {
  const [counted] = await tx.select({ total: count() }).from(themes).where(eq(themes.status, 'open'))
  const paging = pageOf(requested, counted?.total ?? 0)
  const rows = await openThemesQuery(tx)
    .where(eq(themes.status, 'open'))
    .orderBy(...openThemesOrder)
    .limit(LIST_PAGE_SIZE)
    .offset(paging.offset)
  return { themes: rows.map(toPublicTheme), ...paging }
}

export async function findOpenTheme(tx: TenantTx, id: string): Promise<PublicTheme | undefined> {
  const [row] = await openThemesQuery(tx).where(and(eq(themes.status, 'open'), eq(themes.id, id)))
  return row ? toPublicTheme(row) : undefined
}

/** Changes whenever anything the public sees of the city's themes changes. */
export async function openThemesFingerprint(tx: TenantTx): Promise<string> {
  const rows = await tx.execute<{ fingerprint: string }>(
    sql`select md5(coalesce(string_agg(t::text, ',' order by t.id), '')) as fingerprint from ${themes} t where t.status = 'open'`,
  )
  return rows[0]?.fingerprint ?? ''
}
