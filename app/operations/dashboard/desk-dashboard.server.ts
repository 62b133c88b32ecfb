import { sql, type SQL } from 'drizzle-orm'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantDb, TenantTx } from '../../../db/tenant-context'
import {
  inProposalTransaction,
  recordAudit,
  staffMembership,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'
import {
  acceptanceRate,
  dashboardDefinitions,
  fillMonths,
  milestones,
  type DashboardFigures,
  type GroupFigures,
  type Period,
  type StageWait,
} from './dashboard-figures'
import { isPlatformDefaultTarget, stageTargetOf } from '@desk/tenant-config'
import { AppError } from '../app-error'

export type DashboardFilters = { period: Period; track?: string }

type GroupRow = {
  key: string | null
  submitted: number
  accepted: number
  refused: number
  withdrawn: number
  open: number
  overdue_open: number
  answered_late: number
} & Record<`${'firstAnswer' | 'decision' | 'agreement'}_${'n' | 'mean' | 'median'}`, number | string | null>

/**
 * The desk dashboard's figures for a period (months of submission, in Japan's
 * time) and optionally one track, computed by PostgreSQL in the staff member's
 * tenant transaction. Row-level security decides what is counted: the desk
 * counts every submitted proposal of the city, department staff the proposals
 * routed to their department — the same rule as their inbox.
 * What each figure means: ./dashboard-figures.ts.
 */
export async function getDeskDashboard(
  db: TenantDb,
  options: { tenant: ProposalTenant; actor: RequestActor; filters: DashboardFilters; now?: Date },
): Promise<DashboardFigures> {
  const { tenant, actor, filters } = options
  if (actor.kind !== 'staff') throw new AppError('forbidden', 'The dashboard is the city’s')
  const now = options.now ?? new Date()
  const track =
    filters.track && tenant.config.tracks.some((t) => t.id === filters.track) ? filters.track : null
  return inProposalTransaction(db, tenant, actor, async (tx) => {
    await staffMembership(tx, tenant, actor)
    return readFigures(tx, tenant, { period: filters.period, track, now })
  })
}

/** The same figures for the CSV export, with the export recorded in the audit log. */
export async function exportDeskDashboard(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    filters: DashboardFilters
    table: string
    ip?: string | null
    now?: Date
  },
): Promise<DashboardFigures> {
  const figures = await getDeskDashboard(db, options)
  await inProposalTransaction(db, options.tenant, options.actor, (tx) =>
    recordAudit(tx, options.tenant, options.actor, {
      action: 'dashboard.exported',
      targetType: 'dashboard',
      targetId: options.table,
      ip: options.ip,
      payload: { period: figures.period, track: figures.track },
    }),
  )
  return figures
}

async function readFigures(
  tx: TenantTx,
  tenant: ProposalTenant,
  { period, track, now }: { period: Period; track: string | null; now: Date },
): Promise<DashboardFigures> {
  const definitions = dashboardDefinitions(tenant.config.tracks)
  const keys = (list: string[]) => sql`${JSON.stringify(list)}::jsonb`
  const trackKey = (column: SQL) => sql`(p.track || ':' || ${column})`
  // Every table below is filtered by the city as a value, never by a column of another table (not
  // `e.tenant_id = p.tenant_id`): on Citus each statement then prunes to the city's one shard group and
  // runs whole on one worker (a router query). Correlated by column, `proposal_events` is not pruned,
  // `base` becomes a multi-shard subplan, and the by-department statement's LEFT JOIN of that result to
  // `proposal_departments` crashed the Citus 13.2 coordinator (docs/scaling.md, "The desk dashboard").
  const city = sql`${tenant.id}::uuid`
  // The first city event after submission whose transition is in `list`.
  const firstEvent = (list: string[]) => sql`(
    SELECT min(e.at) FROM proposal_events e
     WHERE e.tenant_id = ${city} AND e.proposal_id = p.id AND e.visible_to_proposer
       AND e.actor_side IN ('desk', 'department') AND e.at >= p.submitted_at
       AND ${keys(list)} ? ${trackKey(sql`e.transition`)})`
  const base = sql`
    SELECT p.id, p.track, p.state, p.submitted_at,
           to_char(p.submitted_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM') AS month,
           p.early_answer_due_at IS NOT NULL AND p.early_answer_due_at < ${now.toISOString()}::timestamptz
             AND p.decided_at IS NULL AS overdue_open,
           p.decided_at IS NOT NULL AND p.early_answer_due_at IS NOT NULL
             AND p.decided_at > p.early_answer_due_at AS answered_late,
           CASE
             WHEN ${keys(definitions.refusedStates)} ? ${trackKey(sql`p.state`)} THEN 'refused'
             WHEN ${keys(definitions.acceptedStates)} ? ${trackKey(sql`p.state`)}
               OR EXISTS (SELECT 1 FROM proposal_events e
                           WHERE e.tenant_id = ${city} AND e.proposal_id = p.id
                             AND ${keys(definitions.acceptedStates)} ? ${trackKey(sql`e.to_state`)}) THEN 'accepted'
             WHEN ${keys(definitions.withdrawnStates)} ? ${trackKey(sql`p.state`)} THEN 'withdrawn'
             ELSE 'open'
           END AS outcome,
           ${firstEvent(definitions.firstAnswerTransitions)} AS "firstAnswer_at",
           ${firstEvent(definitions.decisionTransitions)} AS "decision_at",
           ${firstEvent(definitions.agreementTransitions)} AS "agreement_at"
      FROM proposals p
     WHERE p.tenant_id = ${city} AND p.submitted_at IS NOT NULL
       AND p.submitted_at >= (to_date(${period.from}, 'YYYY-MM')::timestamp AT TIME ZONE 'Asia/Tokyo')
       AND p.submitted_at < ((to_date(${period.to}, 'YYYY-MM') + interval '1 month')::timestamp AT TIME ZONE 'Asia/Tokyo')
       ${track ? sql`AND p.track = ${track}` : sql``}`
  const days = (milestone: string) =>
    sql.raw(`extract(epoch FROM ("${milestone}_at" - submitted_at)) / 86400.0`)
  const aggregates = sql.join(
    [
      sql`count(*)::int AS submitted`,
      ...(['accepted', 'refused', 'withdrawn', 'open'] as const).map(
        (outcome) => sql`(count(*) FILTER (WHERE outcome = ${outcome}))::int AS ${sql.raw(outcome)}`,
      ),
      sql`(count(*) FILTER (WHERE overdue_open))::int AS overdue_open`,
      sql`(count(*) FILTER (WHERE answered_late))::int AS answered_late`,
      ...milestones.flatMap((milestone) => [
        sql`count(${sql.raw(`"${milestone}_at"`)})::int AS ${sql.raw(`"${milestone}_n"`)}`,
        sql`avg(${days(milestone)})::float8 AS ${sql.raw(`"${milestone}_mean"`)}`,
        sql`(percentile_cont(0.5) WITHIN GROUP (ORDER BY ${days(milestone)}))::float8 AS ${sql.raw(`"${milestone}_median"`)}`,
      ]),
    ],
    sql`, `,
  )
  const byTrackRows = await tx.execute<GroupRow & { total: boolean }>(sql`
    WITH base AS (${base})
    SELECT track AS key, GROUPING(track) = 1 AS total, ${aggregates}
      FROM base GROUP BY GROUPING SETS ((), (track)) ORDER BY track NULLS LAST`)
  // A proposal routed to several departments counts once in each; unrouted ones under null.
  const byDepartmentRows = await tx.execute<GroupRow>(sql`
    WITH base AS (${base}),
         routed AS (
           SELECT base.*, d.key AS department FROM base
             LEFT JOIN proposal_departments pd ON pd.tenant_id = ${city} AND pd.proposal_id = base.id
             LEFT JOIN departments d ON d.tenant_id = ${city} AND d.id = pd.department_id)
    SELECT department AS key, ${aggregates} FROM routed GROUP BY department`)
  const byState = await tx.execute<{ track: string; state: string; count: number }>(sql`
    WITH base AS (${base})
    SELECT track, state, count(*)::int AS count FROM base GROUP BY track, state ORDER BY track, count DESC, state`)
  const byMonth = await tx.execute<{ month: string; count: number }>(sql`
    WITH base AS (${base})
    SELECT month, count(*)::int AS count FROM base GROUP BY month ORDER BY month`)

  const total = byTrackRows.find((row) => row.total)
  return {
    period,
    track,
    stageWaits: await readStageWaits(tx, tenant, { track, now }),
    total: total ? group(total) : emptyGroup(),
    byTrack: byTrackRows.filter((row) => !row.total).map(group),
    // In the tenant file's order, the unrouted last.
    byDepartment: [...byDepartmentRows]
      .sort((a, b) => departmentOrder(tenant, a.key) - departmentOrder(tenant, b.key))
      .map(group),
    byState: [...byState].sort((a, b) => trackOrder(tenant, a.track) - trackOrder(tenant, b.track)),
    byMonth: fillMonths([...byMonth], period),
  }
}

/**
 * Every stage the city works on (desk or department lane, not terminal) that
 * has open proposals or a target: how many wait there now, the median and
 * longest time at it, and how many are past its target (stageTargets).
 */
async function readStageWaits(
  tx: TenantTx,
  tenant: ProposalTenant,
  { track, now }: { track: string | null; now: Date },
): Promise<StageWait[]> {
  const stages = tenant.config.tracks
    .filter((candidate) => !track || candidate.id === track)
    .flatMap((candidate) =>
      candidate.steps
        .filter((step) => step.lane !== 'proposer' && !step.terminal)
        .map((step) => ({ track: candidate.id, state: step.id, target: stageTargetOf(tenant.config, candidate.id, step.id) })),
    )
  const asked = stages.map(({ track, state, target }) => ({ track, state, days: target?.days ?? null }))
  const rows = await tx.execute<{ track: string; state: string; open: number; median: number | null; longest: number | null; past: number }>(sql`
    WITH stages AS (
      SELECT s.track, s.state, s.days FROM jsonb_to_recordset(${JSON.stringify(asked)}::jsonb) AS s(track text, state text, days integer)
    ), waits AS (
      SELECT p.track, p.state, s.days, p.state_entered_at,
             extract(epoch FROM (${now.toISOString()}::timestamptz - p.state_entered_at)) / 86400.0 AS waited
        FROM proposals p JOIN stages s ON s.track = p.track AND s.state = p.state
       WHERE p.tenant_id = ${tenant.id} AND p.submitted_at IS NOT NULL)
    SELECT track, state, count(*)::int AS open,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY waited))::float8 AS median,
           max(waited)::float8 AS longest,
           (count(*) FILTER (WHERE days IS NOT NULL AND waited > days))::int AS past
      FROM waits GROUP BY track, state`)
  const found = new Map(rows.map((row) => [`${row.track}:${row.state}`, row]))
  return stages
    .filter((stage) => stage.target || found.has(`${stage.track}:${stage.state}`))
    .map(({ track, state, target }) => {
      const row = found.get(`${track}:${state}`)
      return {
        track,
        state,
        open: row?.open ?? 0,
        medianDays: row ? number(row.median) : null,
        longestDays: row ? number(row.longest) : null,
        targetDays: target?.days ?? null,
        targetIsPlatformDefault: target ? isPlatformDefaultTarget(target) : false,
        pastTarget: row?.past ?? 0,
      }
    })
}

const trackOrder = (tenant: ProposalTenant, id: string) => tenant.config.tracks.findIndex((t) => t.id === id)
const departmentOrder = (tenant: ProposalTenant, id: string | null) =>
  id === null ? Number.MAX_SAFE_INTEGER : tenant.config.departments.findIndex((d) => d.id === id)

const number = (value: number | string | null) => (value === null ? null : Number(value))

function group(row: GroupRow): GroupFigures {
  return {
    key: row.key,
    submitted: row.submitted,
    accepted: row.accepted,
    refused: row.refused,
    withdrawn: row.withdrawn,
    open: row.open,
    overdueOpen: row.overdue_open,
    answeredLate: row.answered_late,
    acceptanceRate: acceptanceRate(row.accepted, row.refused),
    leadTimes: Object.fromEntries(
      milestones.map((milestone) => [
        milestone,
        {
          count: Number(row[`${milestone}_n`]),
          meanDays: number(row[`${milestone}_mean`]),
          medianDays: number(row[`${milestone}_median`]),
        },
      ]),
    ) as GroupFigures['leadTimes'],
  }
}

function emptyGroup(): GroupFigures {
  return group({
    key: null,
    submitted: 0,
    accepted: 0,
    refused: 0,
    withdrawn: 0,
    open: 0,
    overdue_open: 0,
    answered_late: 0,
    ...Object.fromEntries(
      milestones.flatMap((milestone) => [
        [`${milestone}_n`, 0],
        [`${milestone}_mean`, null],
        [`${milestone}_median`, null],
      ]),
    ),
  } as GroupRow)
}
