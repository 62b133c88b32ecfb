import type { LocalizedText } from '@desk/workflow'
import { sql } from 'drizzle-orm'
import type { TenantTx } from '../../../db/tenant-context'
import { LIST_PAGE_SIZE, pageOf, type PageOf } from '~/utils/paging'
import { bilingual } from './themes.server'

/**
 * Published collaboration cases (連携事例), read for the public portal as the
 * anonymous actor. Row-level security (policy `published_cases_select_public`)
 * returns only cases the desk has published whose publication time has come;
 * drafts and withdrawn cases are never returned, and nothing of a proposal is
 * read here. The desk writes cases in app/operations/cases.
 */
export type PublishedCase = {
  id: string
  title: LocalizedText
  summary: LocalizedText
  results: LocalizedText
  partnerName: string
  collaborationMethod: string | null
  agreementKind: string | null
  fields: string[]
  startedOn: string | null
  endedOn: string | null
  publishedAt: string
  updatedAt: string
}

/** A case list's filters: by year, agreement kind and field of activity. */
export type CaseFilters = { year?: number; agreementKind?: string; field?: string }

type CaseRow = {
  id: string
  title_ja: string
  title_en: string
  summary_ja: string
  summary_en: string
  results_ja: string
  results_en: string
  partner_name: string
  collaboration_method: string | null
  agreement_kind: string | null
  fields: string[] | null
  started_on: string | null
  ended_on: string | null
  published_at: Date | string
  updated_at: Date | string
}

const isoTimestamp = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString()

function toPublishedCase(row: CaseRow): PublishedCase {
  return {
    id: row.id,
    title: bilingual(row.title_ja, row.title_en),
    summary: bilingual(row.summary_ja, row.summary_en),
    results: bilingual(row.results_ja, row.results_en),
    partnerName: row.partner_name,
    collaborationMethod: row.collaboration_method,
    agreementKind: row.agreement_kind,
    fields: row.fields ?? [],
    startedOn: row.started_on,
    endedOn: row.ended_on,
    publishedAt: isoTimestamp(row.published_at),
    updatedAt: isoTimestamp(row.updated_at),
  }
}

/** `caseYear` in SQL: the year the work started, else the (UTC) year it was published. */
const caseYearSql = sql`extract(year from coalesce(started_on, (published_at at time zone 'UTC')::date))::int`

/**
 * One page (from 1; past the last, the last) of the city's published cases
 * that pass `filters` (as `filterCases` reads them), newest first; how many
 * pass, how many are published and the years that have cases.
 */
export async function pagePublishedCases(
  tx: TenantTx,
  filters: CaseFilters,
  requested: number,
): Promise<PageOf & { cases: PublishedCase[]; published: number; years: number[] }> {
  const published = sql`published_at <= now()`
  const where = sql.join(
    [
      published,
      filters.year === undefined ? undefined : sql`${caseYearSql} = ${filters.year}`,
      filters.agreementKind === undefined
        ? undefined
        : filters.agreementKind === 'none'
          ? sql`agreement_kind is null`
          : sql`agreement_kind = ${filters.agreementKind}`,
      filters.field === undefined ? undefined : sql`${filters.field} = any(fields)`,
    ].filter((condition) => condition !== undefined),
    sql` and `,
  )
  const [counts] = await tx.execute<{ matching: number; published: number }>(sql`
    select count(*) filter (where ${where})::int as matching, count(*)::int as published
      from published_cases where ${published}`)
  const years = await tx.execute<{ year: number }>(sql`
    select distinct ${caseYearSql} as year from published_cases where ${published} order by 1 desc`)
  const paging = pageOf(requested, counts?.matching ?? 0)
  const rows = await tx.execute<CaseRow>(sql`
    select id, title_ja, title_en, summary_ja, summary_en, results_ja, results_en, partner_name,
           collaboration_method, agreement_kind, fields, started_on::text, ended_on::text, published_at, updated_at
      from published_cases
     where ${where}
     order by published_at desc, id
     limit ${LIST_PAGE_SIZE} offset ${paging.offset}`)
  return {
    ...paging,
    cases: [...rows].map(toPublishedCase),
    published: counts?.published ?? 0,
    years: [...years].map((row) => row.year),
  }
}

/** Every published case of the city, newest first. */
export async function listPublishedCases(tx: TenantTx): Promise<PublishedCase[]> {
  const rows = await tx.execute<CaseRow>(sql`
    select id, title_ja, title_en, summary_ja, summary_en, results_ja, results_en, partner_name,
           collaboration_method, agreement_kind, fields, started_on::text, ended_on::text, published_at, updated_at
      from published_cases
     where published_at <= now()
     order by published_at desc, id`)
  return [...rows].map(toPublishedCase)
}

/** The images of a published case, in order, with their alternative text. */
export async function listPublishedCaseImages(
  tx: TenantTx,
  caseId: string,
): Promise<{ id: string; alt: LocalizedText }[]> {
  const rows = await tx.execute<{ id: string; alt_ja: string; alt_en: string }>(sql`
    select id, alt_ja, alt_en from case_images where case_id = ${caseId} order by position, created_at`)
  return [...rows].map((row) => ({ id: row.id, alt: bilingual(row.alt_ja, row.alt_en) }))
}

/** Changes whenever anything the public sees of the city's cases changes (images bump their case's updated_at). */
export async function publishedCasesFingerprint(tx: TenantTx): Promise<string> {
  const rows = await tx.execute<{ fingerprint: string }>(
    sql`select md5(coalesce(string_agg(c::text, ',' order by c.id), '')) as fingerprint from published_cases c where c.published_at <= now()`,
  )
  return rows[0]?.fingerprint ?? ''
}
