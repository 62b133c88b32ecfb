import { outcomeOf, reachableFrom, type Outcome, type Track } from '@desk/workflow'
import { numberFormat } from '@desk/tenant-config'

/**
 * The desk dashboard's definitions and shaping, with no database and no HTTP.
 * Every definition is read from the city's tracks in its tenant file, so the
 * same figures mean the same thing in every city without naming one:
 *
 * - submission: `proposals.submitted_at` (pre-consultation drafts shared with
 *   the city are not proposals yet and are not counted);
 * - first answer: the first transition the city (desk or department) takes
 *   after submission that the workflow announces to the proposer
 *   (`notifiesProposer`) — the first time the proposer hears back;
 * - decision: the first city transition after submission that decides whether
 *   the proposal goes ahead — one that requires a feasibility `decision`, is
 *   marked `isEarlyAnswer`, or ends the proposal with an outcome other than a
 *   withdrawal (the proposer's own choice is no decision of the city);
 * - agreement: the first transition that records an agreement (it `requires:
 *   agreement`; the step before it is the one that `produces: agreement`);
 * - outcome classes of a proposal: `refused` when it ended in a step whose
 *   outcome is `declined` or `not_accepted`; otherwise `accepted` when it ever
 *   entered an accepted step — a terminal step with outcome `accepted`,
 *   `completed` or `handed_over`, or a step past the decision (one from which
 *   such an ending is reachable and no refusal is); otherwise `withdrawn` when
 *   it ended withdrawn; otherwise `open`;
 * - acceptance rate: accepted / (accepted + refused). Withdrawn and open
 *   proposals are left out: the city has not said yes or no to them.
 * - overdue early answer: past `early_answer_due_at` (set at submission from
 *   the tenant file's `earlyAnswerTargetDays`) with no answer yet — the same
 *   test as the inbox's "overdue only" filter; answered late: answered after it.
 */

export const positiveOutcomes: readonly Outcome[] = ['accepted', 'completed', 'handed_over']
export const refusalOutcomes: readonly Outcome[] = ['declined', 'not_accepted']

/** Keys `track:id`, since two tracks may use one step or transition id with different meanings. */
export type DashboardDefinitions = {
  firstAnswerTransitions: string[]
  decisionTransitions: string[]
  agreementTransitions: string[]
  acceptedStates: string[]
  refusedStates: string[]
  withdrawnStates: string[]
}

const key = (track: Track, id: string) => `${track.id}:${id}`
const byCity = (by: readonly string[]) => by.some((lane) => lane !== 'proposer')

export function dashboardDefinitions(tracks: readonly Track[]): DashboardDefinitions {
  const definitions: DashboardDefinitions = {
    firstAnswerTransitions: [],
    decisionTransitions: [],
    agreementTransitions: [],
    acceptedStates: [],
    refusedStates: [],
    withdrawnStates: [],
  }
  for (const track of tracks) {
    for (const transition of track.transitions) {
      if (!byCity(transition.by)) continue
      const outcome = outcomeOf(track, transition.to)
      if (transition.notifiesProposer) definitions.firstAnswerTransitions.push(key(track, transition.id))
      if (
        transition.requires.includes('decision') ||
        transition.isEarlyAnswer ||
        (outcome !== undefined && outcome !== 'withdrawn')
      )
        definitions.decisionTransitions.push(key(track, transition.id))
      if (transition.requires.includes('agreement'))
        definitions.agreementTransitions.push(key(track, transition.id))
    }
    for (const step of track.steps) {
      const outcome = step.outcome
      if (step.terminal && outcome && refusalOutcomes.includes(outcome))
        definitions.refusedStates.push(key(track, step.id))
      else if (step.terminal && outcome === 'withdrawn') definitions.withdrawnStates.push(key(track, step.id))
      else if (isAccepted(track, step.id)) definitions.acceptedStates.push(key(track, step.id))
    }
  }
  return definitions
}

/** Past the decision: a good ending is still possible and a refusal no longer is. */
function isAccepted(track: Track, state: string): boolean {
  const outcomes = [...reachableFrom(track, state)].map((reached) => outcomeOf(track, reached))
  return (
    outcomes.some((outcome) => outcome !== undefined && positiveOutcomes.includes(outcome)) &&
    !outcomes.some((outcome) => outcome !== undefined && refusalOutcomes.includes(outcome))
  )
}

export function acceptanceRate(accepted: number, refused: number): number | null {
  return accepted + refused === 0 ? null : accepted / (accepted + refused)
}

// ---------------------------------------------------------------------------
// Periods: calendar months in Japan's time (UTC+9, no daylight saving).
// ---------------------------------------------------------------------------

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/
export const isMonth = (value: string) => MONTH.test(value)

/** The month (YYYY-MM) an instant falls in, in Japan. */
export function monthOf(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 7)
}

export function addMonths(month: string, count: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number]
  const index = year * 12 + (number - 1) + count
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** Every month from `from` to `to`, both included (empty when `from` is after `to`). */
export function monthRange(from: string, to: string): string[] {
  const months: string[] = []
  for (let month = from; month <= to && months.length < 1200; month = addMonths(month, 1)) months.push(month)
  return months
}

export type Period = { from: string; to: string }

/** The twelve months up to and including the current one. */
export function defaultPeriod(now: Date): Period {
  const to = monthOf(now)
  return { from: addMonths(to, -11), to }
}

export const MAX_PERIOD_MONTHS = 120

/**
 * The period asked for in the URL, or the default with the reason it was not
 * taken. Either end may be left out (from the default, or one year around the other).
 */
export function resolvePeriod(
  asked: { from?: string; to?: string },
  now: Date,
): { period: Period; problem?: 'invalidMonth' | 'reversed' | 'tooLong' } {
  const fallback = defaultPeriod(now)
  if ((asked.from && !isMonth(asked.from)) || (asked.to && !isMonth(asked.to)))
    return { period: fallback, problem: 'invalidMonth' }
  const to = asked.to ?? (asked.from ? addMonths(asked.from, 11) : fallback.to)
  const from = asked.from ?? addMonths(to, -11)
  if (from > to) return { period: fallback, problem: 'reversed' }
  if (monthRange(from, to).length > MAX_PERIOD_MONTHS) return { period: fallback, problem: 'tooLong' }
  return { period: { from, to } }
}

/** One count per month of the period, zero where nothing was submitted. */
export function fillMonths(rows: readonly { month: string; count: number }[], period: Period) {
  const counts = new Map(rows.map((row) => [row.month, row.count]))
  return monthRange(period.from, period.to).map((month) => ({ month, count: counts.get(month) ?? 0 }))
}

// ---------------------------------------------------------------------------
// Figures as the operation returns them, and the tables shown and exported.
// ---------------------------------------------------------------------------

export const milestones = ['firstAnswer', 'decision', 'agreement'] as const
export type Milestone = (typeof milestones)[number]

export type LeadTime = { count: number; meanDays: number | null; medianDays: number | null }

export type GroupFigures = {
  /** A track id, a department id from the tenant file, or null (all; for departments: not routed). */
  key: string | null
  submitted: number
  accepted: number
  refused: number
  withdrawn: number
  open: number
  overdueOpen: number
  answeredLate: number
  acceptanceRate: number | null
  leadTimes: Record<Milestone, LeadTime>
}

/** Proposals open now at one stage the city works on: how long they have waited there, against its target. */
export type StageWait = {
  track: string
  state: string
  open: number
  medianDays: number | null
  longestDays: number | null
  /** The tenant file's target for the stage, or null. */
  targetDays: number | null
  /** The target is the platform's, not the guideline's. */
  targetIsPlatformDefault: boolean
  pastTarget: number
}

export type DashboardFigures = {
  period: Period
  track: string | null
  /** Open proposals now, whatever the period: time at each stage against its target. */
  stageWaits: StageWait[]
  total: GroupFigures
  byTrack: GroupFigures[]
  byDepartment: GroupFigures[]
  byState: { track: string; state: string; count: number }[]
  byMonth: { month: string; count: number }[]
}

export const figureTableIds = [
  'states',
  'months',
  'outcomes-by-track',
  'outcomes-by-department',
  'lead-times-by-track',
  'lead-times-by-department',
] as const
export type FigureTableId = (typeof figureTableIds)[number]

/** A table as shown beside a chart and as exported: captions and cells already in the reader's language. */
export type FigureTable = {
  id: FigureTableId
  caption: string
  head: string[]
  /** The first cell of each row is its header (scope="row"). */
  rows: string[][]
}

export type TableLabels = {
  t: (key: string, options?: Record<string, unknown>) => string
  locale: string
  trackLabel: (id: string) => string
  stateLabel: (track: string, state: string) => string
  departmentLabel: (id: string | null) => string
}

export function formatDays(value: number | null, locale: string): string {
  return value === null ? '—' : numberFormat(locale, { maximumFractionDigits: 1 }).format(value)
}

export function formatRate(value: number | null, locale: string): string {
  return value === null
    ? '—'
    : numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value)
}

/** The dashboard's tables, in the order the page shows them; the CSV export writes the same. */
export function figureTables(figures: DashboardFigures, labels: TableLabels): FigureTable[] {
  const { t, locale } = labels
  const count = (value: number) => numberFormat(locale).format(value)
  const outcomeHead = [
    t('columns.submitted'),
    t('columns.accepted'),
    t('columns.refused'),
    t('columns.withdrawn'),
    t('columns.open'),
    t('columns.acceptanceRate'),
    t('columns.overdueOpen'),
    t('columns.answeredLate'),
  ]
  const outcomeCells = (group: GroupFigures) => [
    count(group.submitted),
    count(group.accepted),
    count(group.refused),
    count(group.withdrawn),
    count(group.open),
    formatRate(group.acceptanceRate, locale),
    count(group.overdueOpen),
    count(group.answeredLate),
  ]
  const leadHead = milestones.flatMap((milestone) => [
    t(`columns.${milestone}Median`),
    t(`columns.${milestone}Mean`),
    t(`columns.${milestone}Count`),
  ])
  const leadCells = (group: GroupFigures) =>
    milestones.flatMap((milestone) => {
      const lead = group.leadTimes[milestone]
      return [formatDays(lead.medianDays, locale), formatDays(lead.meanDays, locale), count(lead.count)]
    })
  const groups = (kind: 'track' | 'department') => [
    ...(kind === 'track' ? figures.byTrack : figures.byDepartment).map((group) => ({
      label: kind === 'track' ? labels.trackLabel(group.key ?? '') : labels.departmentLabel(group.key),
      group,
    })),
    { label: t('tables.all'), group: figures.total },
  ]
  return [
    {
      id: 'states',
      caption: t('tables.states'),
      head: [t('columns.state'), t('columns.track'), t('columns.count')],
      rows: figures.byState.map((row) => [
        labels.stateLabel(row.track, row.state),
        labels.trackLabel(row.track),
        count(row.count),
      ]),
    },
    {
      id: 'months',
      caption: t('tables.months'),
      head: [t('columns.month'), t('columns.submitted')],
      rows: figures.byMonth.map((row) => [row.month, count(row.count)]),
    },
    {
      id: 'outcomes-by-track',
      caption: t('tables.outcomesByTrack'),
      head: [t('columns.track'), ...outcomeHead],
      rows: groups('track').map(({ label, group }) => [label, ...outcomeCells(group)]),
    },
    {
      id: 'outcomes-by-department',
      caption: t('tables.outcomesByDepartment'),
      head: [t('columns.department'), ...outcomeHead],
      rows: groups('department').map(({ label, group }) => [label, ...outcomeCells(group)]),
    },
    {
      id: 'lead-times-by-track',
      caption: t('tables.leadTimesByTrack'),
      head: [t('columns.track'), ...leadHead],
      rows: groups('track').map(({ label, group }) => [label, ...leadCells(group)]),
    },
    {
      id: 'lead-times-by-department',
      caption: t('tables.leadTimesByDepartment'),
      head: [t('columns.department'), ...leadHead],
      rows: groups('department').map(({ label, group }) => [label, ...leadCells(group)]),
    },
  ]
}

/**
 * Horizontal bars scaled to the largest value (a chart of zeros draws no
 * bars rather than dividing by zero). Widths are fractions of the plot width.
 */
export function barLayout<T extends { value: number }>(bars: readonly T[]): (T & { fraction: number })[] {
  const max = Math.max(0, ...bars.map((bar) => bar.value))
  return bars.map((bar) => ({ ...bar, fraction: max > 0 ? Math.max(0, bar.value) / max : 0 }))
}

/** The city's names for tracks, steps and departments, as the page receives them. */
export type DashboardNames = {
  tracks: { id: string; label: string }[]
  states: Record<string, string>
  departments: { id: string; label: string }[]
}

export function tableLabels(names: DashboardNames, t: TableLabels['t'], locale: string): TableLabels {
  return {
    t,
    locale,
    trackLabel: (id) => names.tracks.find((track) => track.id === id)?.label ?? id,
    stateLabel: (track, state) => names.states[`${track}:${state}`] ?? state,
    departmentLabel: (id) =>
      id === null ? t('tables.notRouted') : (names.departments.find((d) => d.id === id)?.label ?? id),
  }
}
