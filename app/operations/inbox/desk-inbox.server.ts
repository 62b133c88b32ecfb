import {
  and,
  asc,
  count,
  desc,
  eq,
  exists,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm'
import { daysAtStage, isPastStageTarget, localize, stageTargetOf } from '@desk/tenant-config'
import { stepOf } from '@desk/workflow'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantTx } from '../../../db/tenant-context'
import { departments, messageReads, messages, proposalDepartments, proposals } from '../../../db/schema'
import {
  inProposalTransaction,
  recordAudit,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'
import { matchesAllWords, normalizedColumn, searchPatterns } from '../text-search.server'
import { findOrganisationsNamed, readOrganisationNames } from '../people.server'
import { AppError } from '../app-error'
import { isThemeChoice } from './inbox-filters.server'

export const inboxSorts = ['newest', 'oldest', 'due', 'updated'] as const
export type InboxSort = (typeof inboxSorts)[number]
/** Rows per inbox page (issue 11: 50). */
export const INBOX_PAGE_SIZE = 50

export type InboxFilters = {
  state?: string
  track?: string
  themeId?: string
  /** A department id from the tenant file. */
  department?: string
  /** Only proposals submitted at least this many days ago. */
  olderThanDays?: number
  overdueOnly?: boolean
  /** Only proposals that have waited at their stage past its target (the tenant file's stageTargets). */
  pastTargetOnly?: boolean
  /** Only proposals at a step of the reader's side (the desk's, or a department's): what waits for them. */
  waitingOnly?: boolean
  /** Words searched in the reference code, title, organisation's name and answers (NFKC: any width or case). */
  q?: string
  sort?: InboxSort
  page?: number
}

export type InboxRow = {
  id: string
  referenceCode: string | null
  title: string
  organisationName: string
  proposalType: string
  track: string
  state: string
  stepLabel: string
  submittedAt: Date | null
  sharedWithCityAt: Date | null
  earlyAnswerDueAt: Date | null
  overdue: boolean
  /** Whole days at the current stage. */
  daysAtStage: number
  /** The stage's target, where the city set one. */
  stageTargetDays: number | null
  pastTarget: boolean
  unread: number
}

/** The city's two sides of staff: the desk (admins and staff) and the departments. */
export type StaffSide = 'desk' | 'department'

type DeskInboxOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  filters: InboxFilters
  locale: string
  /** Whose steps `waitingOnly` keeps (default: the desk's). */
  side?: StaffSide
  now?: Date
}
export type DeskInbox = { rows: InboxRow[]; total: number; page: number; pageCount: number }

/**
 * The city's proposals as the staff member may see them — the desk every
 * submitted (or shared) proposal, department staff those routed to them: the
 * database's policy decides, so the same query is the department's view.
 */
export async function listDeskInbox(db: RuntimeDb, options: DeskInboxOptions): Promise<DeskInbox> {
  return inProposalTransaction(db, options.tenant, options.actor, (tx) => readDeskInbox(tx, options))
}

/**
 * `listDeskInbox` inside the caller's tenant transaction (the inbox page reads
 * the membership, this and the filter's themes in one). The count and the page
 * are sent together: one round trip.
 */
export async function readDeskInbox(tx: TenantTx, options: DeskInboxOptions): Promise<DeskInbox> {
  const { tenant, filters, locale } = options
  const now = options.now ?? new Date()
  const {
    count: countQuery,
    rows: rowsQuery,
    page,
  } = deskInboxStatements(tx, { ...options, now }, await organisationsNamed(tx, filters))
  const [[counted], rows] = await Promise.all([countQuery, rowsQuery])
  const total = counted?.total ?? 0
  const names = await readOrganisationNames(
    tx,
    rows.map((row) => row.organisationId),
  )
  return {
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE)),
    rows: rows.map((row) => {
      const stage = timeAtStage(tenant, row, now)
      return Object.assign(described(row, { tenant, locale, now, names }), {
        id: row.id,
        sharedWithCityAt: row.sharedWithCityAt,
        unread: row.unread,
        daysAtStage: stage.daysAtStage,
        stageTargetDays: stage.stageTargetDays,
        pastTarget: stage.pastTarget,
      })
    }),
  }
}

/**
 * The inbox's two statements (the count and the page's rows) as drizzle queries, not yet sent:
 * readDeskInbox sends them together; `pnpm bench` explains the page's (its RLS cost).
 */
export function deskInboxStatements(
  tx: TenantTx,
  options: DeskInboxOptions,
  organisationsByPattern: Map<string, string[]> = new Map(),
) {
  const { tenant, actor, filters } = options
  const { where, order } = inboxQuery(
    tenant,
    actor,
    filters,
    options.now ?? new Date(),
    options.side ?? 'desk',
    organisationsByPattern,
  )
  const page = Math.max(1, Math.floor(filters.page ?? 1))
  // The city as a value in the subqueries too (the same rows: the outer query is that city's), so that a
  // Citus coordinator routes the whole statement to one shard; with only the correlation it fans out.
  const unread = qualified<number>(sql`(SELECT count(*)::int FROM ${messages}
      WHERE ${messages.tenantId} = ${tenant.id} AND ${messages.proposalId} = ${proposals.id}
        AND ${messages.authorSide} = 'proposer'
        AND ${messages.createdAt} > coalesce((SELECT ${messageReads.lastReadAt} FROM ${messageReads}
              WHERE ${messageReads.tenantId} = ${tenant.id} AND ${messageReads.proposalId} = ${proposals.id}
                AND ${messageReads.userId} = ${actor.userId}), '-infinity'))`)
  return {
    page,
    count: tx.select({ total: count() }).from(proposals).where(where),
    rows: tx
      .select({
        ...rowColumns,
        id: proposals.id,
        sharedWithCityAt: proposals.sharedWithCityAt,
        unread,
      })
      .from(proposals)
      .where(where)
      .orderBy(...order)
      .limit(INBOX_PAGE_SIZE)
      .offset((page - 1) * INBOX_PAGE_SIZE),
  }
}

/** How long the proposal has been at its stage, against the stage's target (none before submission). */
function timeAtStage(
  tenant: ProposalTenant,
  row: { track: string; state: string; stateEnteredAt: Date; submittedAt: Date | null },
  now: Date,
) {
  const target = row.submittedAt ? stageTargetOf(tenant.config, row.track, row.state) : undefined
  return {
    daysAtStage: daysAtStage(row.stateEnteredAt, now),
    stageTargetDays: target?.days ?? null,
    pastTarget: target ? isPastStageTarget(row.stateEnteredAt, target.days, now) : false,
  }
}

/**
 * The organisations whose name matches each word of the search, read before the inbox's statement
 * (app_organisations_named: the organisations policy shows staff none).
 */
function organisationsNamed(tx: TenantTx, filters: InboxFilters): Promise<Map<string, string[]>> {
  return findOrganisationsNamed(tx, searchPatterns(filters.q))
}

/**
 * A computed column whose column names stay qualified: drizzle writes a select's own columns
 * unqualified when it reads one table, which in a correlated subquery would name the inner table's
 * column (`"proposal_id" = "id"`); nested one level, they keep their table's name.
 */
function qualified<T>(fragment: SQL): SQL<T> {
  return sql<T>`${fragment}`
}

/** What both the page and the export show of a proposal. */
const rowColumns = {
  referenceCode: proposals.referenceCode,
  title: proposals.title,
  organisationId: proposals.organisationId,
  proposalType: proposals.proposalType,
  track: proposals.track,
  state: proposals.state,
  submittedAt: proposals.submittedAt,
  earlyAnswerDueAt: proposals.earlyAnswerDueAt,
  decidedAt: proposals.decidedAt,
  stateEnteredAt: proposals.stateEnteredAt,
}

/**
 * What a row of the inbox (and of its export) says of a proposal, from its columns. Built field by field:
 * with object rest and spread (`({ decidedAt, ...row }) => ({ ...row, … })`) this took ≈ 0.45 ms of a 50-row
 * page's server time, 25–40 times as long (docs/performance.md, "the inbox (session 13)").
 */
function described(
  row: Pick<
    InboxRow,
    'referenceCode' | 'title' | 'proposalType' | 'track' | 'state' | 'submittedAt' | 'earlyAnswerDueAt'
  > & {
    organisationId: string
    decidedAt: Date | null
  },
  context: { tenant: ProposalTenant; locale: string; now: Date; names: Map<string, string> },
) {
  return {
    referenceCode: row.referenceCode,
    title: row.title,
    organisationName: context.names.get(row.organisationId) ?? '',
    proposalType: row.proposalType,
    track: row.track,
    state: row.state,
    stepLabel: stepLabel(context.tenant, row.track, row.state, context.locale),
    submittedAt: row.submittedAt,
    earlyAnswerDueAt: row.earlyAnswerDueAt,
    overdue: isOverdue(row, context.now),
  }
}

function stepLabel(tenant: ProposalTenant, trackId: string, state: string, locale: string): string {
  const track = tenant.config.tracks.find((candidate) => candidate.id === trackId)
  const step = track ? stepOf(track, state) : undefined
  return step ? localize(step.label, locale, tenant.config.defaultLocale) : state
}

const isOverdue = (row: { decidedAt: Date | null; earlyAnswerDueAt: Date | null }, now: Date) =>
  !row.decidedAt && !!row.earlyAnswerDueAt && row.earlyAnswerDueAt < now

/** A proposal whose early answer is due and not given. */
const overdueAt = (now: Date) =>
  and(isNotNull(proposals.earlyAnswerDueAt), lt(proposals.earlyAnswerDueAt, now), isNull(proposals.decidedAt))

/**
 * A submitted proposal that has waited at its stage longer than the stage's
 * target (the same test as the reminder job's, migration 0034).
 */
function pastStageTargetAt(tenant: ProposalTenant, now: Date): SQL {
  const stages = tenant.config.stageTargets.map((target) =>
    and(
      eq(proposals.track, target.track),
      eq(proposals.state, target.step),
      lt(proposals.stateEnteredAt, new Date(now.getTime() - target.days * 86_400_000)),
    )!,
  )
  return stages.length > 0 ? and(isNotNull(proposals.submittedAt), or(...stages))! : sql`false`
}

/** What the city's staff see at all: submitted, or shared with the city before submission. */
const seenByCity = or(isNotNull(proposals.submittedAt), isNotNull(proposals.sharedWithCityAt))

/**
 * A proposal at a step of `side`'s lane (the tenant file's tracks, terminal
 * steps left out): the side is the one to move it on.
 */
function atStepOf(tenant: ProposalTenant, side: StaffSide): SQL {
  const pairs = tenant.config.tracks.flatMap((track) =>
    track.steps
      .filter((step) => step.lane === side && !step.terminal)
      .map((step) => and(eq(proposals.track, track.id), eq(proposals.state, step.id))!),
  )
  return pairs.length > 0 ? or(...pairs)! : sql`false`
}

/** The counts the desk's navigation shows: what waits for the reader's side, and early answers overdue. */
export type DeskCounts = { waiting: number; overdue: number }

/**
 * What waits, counted in the caller's tenant transaction (the desk layout
 * reads the membership and these together); row-level security keeps a
 * department to the proposals routed to it.
 */
export async function countDeskWork(
  tx: TenantTx,
  options: { tenant: ProposalTenant; side: StaffSide; now?: Date },
): Promise<DeskCounts> {
  const { tenant, side } = options
  const waiting = atStepOf(tenant, side)
  const overdue = overdueAt(options.now ?? new Date())
  const [row] = await tx
    .select({
      waiting: sql<number>`count(*) FILTER (WHERE ${waiting})::int`,
      overdue: sql<number>`count(*) FILTER (WHERE ${overdue})::int`,
    })
    .from(proposals)
    .where(and(eq(proposals.tenantId, tenant.id), seenByCity, or(waiting, overdue)))
  return { waiting: row?.waiting ?? 0, overdue: row?.overdue ?? 0 }
}

/** The inbox's rows and order for `filters`: the page and the CSV export list exactly the same proposals. */
function inboxQuery(
  tenant: ProposalTenant,
  actor: RequestActor,
  filters: InboxFilters,
  now: Date,
  side: StaffSide,
  organisationsByPattern: Map<string, string[]>,
) {
  if (actor.kind !== 'staff') throw new AppError('forbidden', 'The inbox is the city’s')
  const overdue = overdueAt(now)
  const conditions: (SQL | undefined)[] = [
    eq(proposals.tenantId, tenant.id),
    seenByCity,
    filters.waitingOnly ? atStepOf(tenant, side) : undefined,
    filters.state ? eq(proposals.state, filters.state) : undefined,
    filters.track ? eq(proposals.track, filters.track) : undefined,
    filters.themeId ? eq(proposals.themeId, filters.themeId) : undefined,
    filters.overdueOnly ? overdue : undefined,
    filters.pastTargetOnly ? pastStageTargetAt(tenant, now) : undefined,
    filters.olderThanDays
      ? lt(proposals.submittedAt, new Date(now.getTime() - filters.olderThanDays * 86_400_000))
      : undefined,
    filters.department
      ? exists(
          sql`(SELECT 1 FROM ${proposalDepartments} JOIN ${departments}
                ON ${departments.tenantId} = ${proposalDepartments.tenantId} AND ${departments.id} = ${proposalDepartments.departmentId}
               WHERE ${proposalDepartments.tenantId} = ${proposals.tenantId}
                 AND ${proposalDepartments.proposalId} = ${proposals.id}
                 AND ${departments.key} = ${filters.department})`,
        )
      : undefined,
    // Every word (NFKC) must appear in the reference code, the title, the proposing organisation's name or the answers.
    matchesAllWords(filters.q, [
      proposals.referenceCode,
      normalizedColumn(proposals.title),
      (pattern) => {
        const ids = organisationsByPattern.get(pattern) ?? []
        return ids.length > 0 ? inArray(proposals.organisationId, ids) : sql`false`
      },
      sql`${proposals.answers}::text`,
    ]),
  ]
  const order = {
    newest: [desc(proposals.submittedAt), desc(proposals.id)],
    oldest: [asc(proposals.submittedAt), asc(proposals.id)],
    due: [asc(proposals.earlyAnswerDueAt), asc(proposals.id)],
    updated: [desc(proposals.updatedAt), desc(proposals.id)],
  }[filters.sort ?? 'newest']
  return { where: and(...conditions), order }
}

export type InboxExportRow = {
  referenceCode: string | null
  title: string
  organisationName: string
  proposalType: string
  track: string
  state: string
  stepLabel: string
  departments: string[]
  submittedAt: Date | null
  earlyAnswerDueAt: Date | null
  overdue: boolean
}

/**
 * Every proposal the inbox shows for `filters` — all pages, in the inbox's
 * order — for the CSV export. A list of proposals is confidential: the export
 * is recorded in the audit log with the filters and the number of rows.
 */
export async function exportDeskInbox(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    filters: InboxFilters
    locale: string
    side?: StaffSide
    ip?: string | null
    now?: Date
  },
): Promise<InboxExportRow[]> {
  const { tenant, actor, filters, locale } = options
  const now = options.now ?? new Date()
  const side = options.side ?? 'desk'
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    // A theme the filter does not offer is refused as the page refuses it, not exported as an empty file
    // (and audited): checked here, in the export's own transaction, before anything is read.
    if (filters.themeId && !(await isThemeChoice(tx, tenant, side, filters.themeId)))
      throw new AppError('invalid_form', 'The theme is not one the inbox offers', {
        issues: [{ path: ['themeId'], message: 'auth:validation.choose' }],
      })
    const { where, order } = inboxQuery(
      tenant,
      actor,
      filters,
      now,
      side,
      await organisationsNamed(tx, filters),
    )
    const rows = await tx
      .select({
        ...rowColumns,
        departments: qualified<
          string[]
        >(sql`coalesce((SELECT array_agg(${departments.key} ORDER BY ${departments.key})
            FROM ${proposalDepartments} JOIN ${departments}
              ON ${departments.tenantId} = ${proposalDepartments.tenantId} AND ${departments.id} = ${proposalDepartments.departmentId}
           WHERE ${proposalDepartments.tenantId} = ${proposals.tenantId}
             AND ${proposalDepartments.proposalId} = ${proposals.id}), '{}')`),
      })
      .from(proposals)
      .where(where)
      .orderBy(...order)
    const names = await readOrganisationNames(
      tx,
      rows.map((row) => row.organisationId),
    )
    const { page: _page, ...exported } = filters
    await recordAudit(tx, tenant, actor, {
      action: 'proposal.list_exported',
      targetType: 'proposal_list',
      targetId: 'inbox',
      ip: options.ip,
      payload: { filters: exported, rows: rows.length },
    })
    return rows.map((row) =>
      Object.assign(described(row, { tenant, locale, now, names }), { departments: row.departments }),
    )
  })
}
