import type { LocalizedText } from '@desk/workflow'
import { sql } from 'drizzle-orm'
import type { TenantTx } from '../../../db/tenant-context'
import { bilingual } from './themes.server'

/**
 * Published collaboration cases (連携事例), read for the public portal.
 *
 * The table comes with the agreements/cases issue. Until it exists these
 * queries answer "no cases"; once `published_cases` is there (with the
 * columns below and a public SELECT policy), the portal lists it unchanged:
 *
 *   published_cases(
 *     tenant_id uuid, id uuid, proposal_id uuid null,
 *     title_ja text, title_en text default '',
 *     summary_ja text default '', summary_en text default '',
 *     results_ja text default '', results_en text default '',
 *     partner_name text,                -- the partner as it agreed to be named
 *     collaboration_method text null,   -- a collaborationMethods id of the tenant file
 *     agreement_kind text null,         -- an agreementKinds id of the tenant file
 *     fields text[] default '{}',       -- fieldsOfActivity ids of the tenant file
 *     started_on date null, ended_on date null,
 *     published_at timestamptz not null, updated_at timestamptz not null)
 *   policy: actor 'public' sees rows of app_tenant_id() with published_at <= now().
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

async function casesTableExists(tx: TenantTx): Promise<boolean> {
  const rows = await tx.execute<{ present: boolean }>(sql`select to_regclass('public.published_cases') is not null as present`)
  return rows[0]?.present === true
}

/** Every published case of the city, newest first. */
export async function listPublishedCases(tx: TenantTx): Promise<PublishedCase[]> {
  if (!(await casesTableExists(tx))) return []
  const rows = await tx.execute<CaseRow>(sql`
    select id, title_ja, title_en, summary_ja, summary_en, results_ja, results_en, partner_name,
           collaboration_method, agreement_kind, fields, started_on::text, ended_on::text, published_at, updated_at
      from published_cases
     where published_at <= now()
     order by published_at desc, id`)
  return [...rows].map(toPublishedCase)
}

/** Changes whenever anything the public sees of the city's cases changes. */
export async function publishedCasesFingerprint(tx: TenantTx): Promise<string> {
  if (!(await casesTableExists(tx))) return ''
  const rows = await tx.execute<{ fingerprint: string }>(
    sql`select md5(coalesce(string_agg(c::text, ',' order by c.id), '')) as fingerprint from published_cases c where c.published_at <= now()`,
  )
  return rows[0]?.fingerprint ?? ''
}
