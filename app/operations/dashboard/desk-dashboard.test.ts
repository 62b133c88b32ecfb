import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTenantDirectory } from '@desk/tenant-config'
import { createTestDatabase, type TestDatabase } from '../../../db/testing'
import {
  createTestCity,
  createTestProposer,
  type TestCity,
  type TestProposer,
} from '../proposals/testing.server'
import type { GroupFigures, LeadTime } from './dashboard-figures'
import { exportDeskDashboard, getDeskDashboard } from './desk-dashboard.server'
import { AppError } from '../app-error'

/**
 * The dashboard's figures against a seeded data set with known events. The
 * expected values are worked out here in plain TypeScript from the seeded
 * rows and from this test's own reading of the city's workflow — not with the
 * operation's SQL or its definitions module.
 */

const DAY = 86_400_000
const NOW = new Date('2025-09-01T00:00:00Z')

// The test's reading of the city's file (tenants/komatsu.yaml): which city transitions tell the
// proposer something, which decide, which record an agreement.
const FIRST_ANSWER = new Set([
  'share_with_departments',
  'not_accept',
  'choose_method',
  'decline',
  'start_without_agreement',
  'conclude_agreement',
  'award_procurement',
  'complete',
])
const DECISION = new Set(['not_accept', 'choose_method', 'decline', 'complete'])
const AGREEMENT = new Set(['conclude_agreement'])

type Side = 'desk' | 'department' | 'proposer'
type Seed = {
  label: string
  track: 'free' | 'theme'
  state: string
  submittedAt: Date | null
  events: { transition: string; to: string; side: Side; afterDays: number }[]
  departments: string[]
  /** How this test classifies the proposal's outcome. */
  outcome: 'accepted' | 'refused' | 'withdrawn' | 'open'
  /** Only the other city: must never be counted. */
  elsewhere?: boolean
}

const utc = (iso: string) => new Date(iso)

const seeds: Seed[] = [
  {
    label: 'P1 business agreement',
    track: 'free',
    state: 'implementation',
    submittedAt: utc('2025-01-05T01:00:00Z'),
    events: [
      { transition: 'share_with_departments', to: 'dialogue', side: 'desk', afterDays: 2 },
      { transition: 'assess_feasibility', to: 'feasibility', side: 'department', afterDays: 10 },
      { transition: 'choose_method', to: 'method_chosen', side: 'department', afterDays: 20 },
      { transition: 'prepare_agreement', to: 'conclusion', side: 'department', afterDays: 25 },
      { transition: 'conclude_agreement', to: 'implementation', side: 'desk', afterDays: 40.5 },
    ],
    departments: ['economy'],
    outcome: 'accepted',
  },
  {
    label: 'P2 not accepted at intake',
    track: 'free',
    state: 'not_accepted',
    submittedAt: utc('2025-01-20T03:00:00Z'),
    events: [{ transition: 'not_accept', to: 'not_accepted', side: 'desk', afterDays: 3 }],
    departments: [],
    outcome: 'refused',
  },
  {
    label: 'P3 declined late',
    track: 'theme',
    state: 'declined',
    submittedAt: utc('2025-02-10T00:00:00Z'),
    events: [
      { transition: 'share_with_departments', to: 'dialogue', side: 'desk', afterDays: 5 },
      { transition: 'decline', to: 'declined', side: 'department', afterDays: 45 },
    ],
    departments: ['economy', 'education'],
    outcome: 'refused',
  },
  {
    label: 'P4 withdrawn',
    track: 'theme',
    state: 'withdrawn',
    submittedAt: utc('2025-03-01T00:00:00Z'),
    events: [
      { transition: 'share_with_departments', to: 'dialogue', side: 'desk', afterDays: 1 },
      { transition: 'withdraw', to: 'withdrawn', side: 'proposer', afterDays: 8 },
    ],
    departments: ['policy_planning'],
    outcome: 'withdrawn',
  },
  {
    label: 'P5 waiting, overdue',
    track: 'free',
    state: 'intake',
    submittedAt: utc('2025-03-15T00:00:00Z'),
    events: [],
    departments: [],
    outcome: 'open',
  },
  {
    label: 'P6 completed without agreement',
    track: 'free',
    state: 'completed',
    submittedAt: utc('2025-04-02T05:00:00Z'),
    events: [
      { transition: 'share_with_departments', to: 'dialogue', side: 'desk', afterDays: 4 },
      { transition: 'assess_feasibility', to: 'feasibility', side: 'desk', afterDays: 6 },
      { transition: 'choose_method', to: 'method_chosen', side: 'desk', afterDays: 12 },
      { transition: 'start_without_agreement', to: 'implementation', side: 'department', afterDays: 14 },
      { transition: 'complete', to: 'completed', side: 'department', afterDays: 60 },
    ],
    departments: ['economy'],
    outcome: 'accepted',
  },
  {
    label: 'P7 to procurement, decided on the due day',
    track: 'theme',
    state: 'procurement',
    submittedAt: utc('2025-05-10T00:00:00Z'),
    events: [
      { transition: 'share_with_departments', to: 'dialogue', side: 'desk', afterDays: 6 },
      { transition: 'assess_feasibility', to: 'feasibility', side: 'desk', afterDays: 7 },
      { transition: 'choose_method', to: 'method_chosen', side: 'department', afterDays: 30 },
      { transition: 'start_procurement', to: 'procurement', side: 'department', afterDays: 31 },
    ],
    departments: ['urban_development'],
    outcome: 'accepted',
  },
  {
    label: 'P8 submitted at 00:30 on New Year’s Day in Japan (still 31 December in UTC)',
    track: 'free',
    state: 'dialogue',
    submittedAt: utc('2024-12-31T15:30:00Z'),
    events: [{ transition: 'share_with_departments', to: 'dialogue', side: 'desk', afterDays: 0.25 }],
    departments: ['economy'],
    outcome: 'open',
  },
  {
    label: 'P9 submitted at 23:30 on 31 December in Japan: before the period',
    track: 'free',
    state: 'not_accepted',
    submittedAt: utc('2024-12-31T14:30:00Z'),
    events: [{ transition: 'not_accept', to: 'not_accepted', side: 'desk', afterDays: 1 }],
    departments: [],
    outcome: 'refused',
  },
  {
    label: 'P10 July in Japan: after the period',
    track: 'theme',
    state: 'intake',
    submittedAt: utc('2025-06-30T15:00:00Z'),
    events: [],
    departments: [],
    outcome: 'open',
  },
  {
    label: 'P11 a draft',
    track: 'free',
    state: 'draft',
    submittedAt: null,
    events: [],
    departments: [],
    outcome: 'open',
  },
  {
    label: 'P12 the other city',
    track: 'free',
    state: 'intake',
    submittedAt: utc('2025-02-01T00:00:00Z'),
    events: [],
    departments: [],
    outcome: 'open',
    elsewhere: true,
  },
]

const PERIOD = { from: '2025-01', to: '2025-06' }

let db: TestDatabase
let city: TestCity
let other: TestCity
let proposer: TestProposer

/** What was stored, as the test computes from it. */
type Stored = Seed & {
  id: string
  dueAt: Date | null
  decidedAt: Date | null
  eventAt: (afterDays: number) => Date
}
const stored: Stored[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  const { tenants } = await loadTenantDirectory('tenants')
  city = await createTestCity(
    db.ownerSql,
    tenants.find((t) => t.config.slug === 'komatsu')!,
  )
  other = await createTestCity(
    db.ownerSql,
    tenants.find((t) => t.config.slug === 'aomori')!,
  )
  proposer = await createTestProposer(db.ownerSql)
  const sql = db.ownerSql
  for (const seed of seeds) {
    const target = seed.elsewhere ? other : city
    const id = randomUUID()
    const eventAt = (afterDays: number) => new Date(seed.submittedAt!.getTime() + afterDays * DAY)
    const dueAt = seed.submittedAt && new Date(seed.submittedAt.getTime() + 30 * DAY)
    // As the workflow stores decided_at: the first decision or ending stops the early-answer clock.
    const decidedAt = seed.events.find(
      (event) =>
        (event.side !== 'proposer' && DECISION.has(event.transition)) ||
        ['not_accepted', 'declined', 'completed', 'withdrawn'].includes(event.to),
    )
    const track = seed.elsewhere ? 'partnership' : seed.track
    await sql`
      INSERT INTO proposals (tenant_id, id, organisation_id, submitter_user_id, proposal_type, track, state,
                             reference_code, title, submitted_at, early_answer_due_at, decided_at)
      VALUES (${target.tenant.id}, ${id}, ${proposer.organisationId}, ${proposer.actor.userId},
              ${seed.elsewhere ? 'free' : seed.track}, ${track}, ${seed.state},
              ${seed.submittedAt ? `T-${stored.length}` : null}, ${seed.label}, ${seed.submittedAt}, ${dueAt},
              ${decidedAt ? eventAt(decidedAt.afterDays) : null})`
    let from = seed.submittedAt ? 'intake' : 'draft'
    if (seed.submittedAt)
      await sql`
        INSERT INTO proposal_events (tenant_id, proposal_id, actor_user_id, actor_side, from_state, to_state, transition, at)
        VALUES (${target.tenant.id}, ${id}, ${proposer.actor.userId}, 'proposer', 'draft', 'intake', 'submit', ${seed.submittedAt})`
    for (const event of seed.events) {
      const actorId = event.side === 'proposer' ? proposer.actor.userId : target.desk.userId
      for (const visible of event.transition === 'share_with_departments' ? [true, false] : [true]) {
        // Routing writes a second, internal row for the same transition (record-transition.server.ts).
        await sql`
          INSERT INTO proposal_events (tenant_id, proposal_id, actor_user_id, actor_side, from_state, to_state,
                                       transition, visible_to_proposer, at)
          VALUES (${target.tenant.id}, ${id}, ${actorId}, ${event.side}, ${from}, ${event.to}, ${event.transition},
                  ${visible}, ${eventAt(event.afterDays)})`
      }
      from = event.to
    }
    // The department's id is read first: Citus refuses a subquery inside INSERT … VALUES.
    for (const department of seed.departments) {
      const [row] = await sql<{ id: string }[]>`
        SELECT id FROM departments WHERE tenant_id = ${target.tenant.id} AND key = ${department}`
      await sql`
        INSERT INTO proposal_departments (tenant_id, proposal_id, department_id)
        VALUES (${target.tenant.id}, ${id}, ${row!.id})`
    }
    stored.push({
      ...seed,
      id,
      dueAt,
      decidedAt: decidedAt ? eventAt(decidedAt.afterDays) : null,
      eventAt,
    })
  }
})
afterAll(async () => {
  await db?.drop()
})

// ---------------------------------------------------------------------------
// The test's own arithmetic.
// ---------------------------------------------------------------------------

const tokyoMonth = (at: Date) => {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
  })
    .formatToParts(at)
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {})
  return `${parts.year}-${parts.month}`
}

const inPeriod = (row: Stored, period = PERIOD) =>
  !row.elsewhere &&
  row.submittedAt !== null &&
  tokyoMonth(row.submittedAt) >= period.from &&
  tokyoMonth(row.submittedAt) <= period.to

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

function leadTime(rows: Stored[], transitions: Set<string>): LeadTime {
  const days = rows.flatMap((row) => {
    const first = row.events.find((event) => event.side !== 'proposer' && transitions.has(event.transition))
    return first ? [first.afterDays] : []
  })
  return {
    count: days.length,
    meanDays: days.length ? days.reduce((sum, value) => sum + value, 0) / days.length : null,
    medianDays: median(days),
  }
}

function expectedGroup(key: string | null, rows: Stored[]): GroupFigures {
  const count = (outcome: Seed['outcome']) => rows.filter((row) => row.outcome === outcome).length
  const accepted = count('accepted')
  const refused = count('refused')
  return {
    key,
    submitted: rows.length,
    accepted,
    refused,
    withdrawn: count('withdrawn'),
    open: count('open'),
    overdueOpen: rows.filter((row) => row.dueAt! < NOW && row.decidedAt === null).length,
    answeredLate: rows.filter((row) => row.decidedAt !== null && row.decidedAt > row.dueAt!).length,
    acceptanceRate: accepted + refused ? accepted / (accepted + refused) : null,
    leadTimes: {
      firstAnswer: leadTime(rows, FIRST_ANSWER),
      decision: leadTime(rows, DECISION),
      agreement: leadTime(rows, AGREEMENT),
    },
  }
}

/** Floating-point figures compared to 9 decimals; everything else exactly. */
function closeTo(group: GroupFigures) {
  const lead = (value: LeadTime) => ({
    count: value.count,
    meanDays: value.meanDays === null ? null : expect.closeTo(value.meanDays, 9),
    medianDays: value.medianDays === null ? null : expect.closeTo(value.medianDays, 9),
  })
  return {
    ...group,
    acceptanceRate: group.acceptanceRate === null ? null : expect.closeTo(group.acceptanceRate, 9),
    leadTimes: {
      firstAnswer: lead(group.leadTimes.firstAnswer),
      decision: lead(group.leadTimes.decision),
      agreement: lead(group.leadTimes.agreement),
    },
  }
}

const dashboard = (actor = city.desk, filters: { period?: typeof PERIOD; track?: string } = {}) =>
  getDeskDashboard(db.runtimeDb, {
    tenant: city.tenant,
    actor,
    filters: { period: filters.period ?? PERIOD, track: filters.track },
    now: NOW,
  })

describe('the desk dashboard', () => {
  it('matches figures computed independently from the seeded proposals and events', async () => {
    const figures = await dashboard()
    const rows = stored.filter((row) => inPeriod(row))
    // The seeds are what the test says they are: P1–P8 counted, not the draft, the other city or the edges.
    expect(rows.map((row) => row.label.slice(0, 3).trim())).toEqual([
      'P1',
      'P2',
      'P3',
      'P4',
      'P5',
      'P6',
      'P7',
      'P8',
    ])

    expect(figures.total).toEqual(closeTo(expectedGroup(null, rows)))
    // Spelled out once, so a wrong seed cannot make both sides agree on nonsense.
    expect(figures.total).toMatchObject({ submitted: 8, accepted: 3, refused: 2, withdrawn: 1, open: 2 })
    expect(figures.total.acceptanceRate).toBeCloseTo(0.6, 9)
    // P5 and P8: sharing with the departments tells the proposer something but answers nothing yet.
    expect(figures.total.overdueOpen).toBe(2)
    expect(figures.total.answeredLate).toBe(1) // P3; P7 was decided on the due instant, not after
    expect(figures.total.leadTimes.agreement).toEqual({ count: 1, meanDays: 40.5, medianDays: 40.5 })

    const tracks = ['free', 'theme']
    expect(figures.byTrack).toEqual(
      tracks.map((track) =>
        closeTo(
          expectedGroup(
            track,
            rows.filter((row) => row.track === track),
          ),
        ),
      ),
    )

    // Departments in the tenant file's order, the unrouted last.
    const order = city.tenant.config.departments.map((department) => department.id)
    const departmentKeys = [...new Set(rows.flatMap((row) => row.departments))].sort(
      (a, b) => order.indexOf(a) - order.indexOf(b),
    )
    expect(figures.byDepartment).toEqual([
      ...departmentKeys.map((key) =>
        closeTo(
          expectedGroup(
            key,
            rows.filter((row) => row.departments.includes(key)),
          ),
        ),
      ),
      closeTo(
        expectedGroup(
          null,
          rows.filter((row) => row.departments.length === 0),
        ),
      ),
    ])

    const states = new Map<string, number>()
    for (const row of rows)
      states.set(`${row.track}:${row.state}`, (states.get(`${row.track}:${row.state}`) ?? 0) + 1)
    expect(
      Object.fromEntries(figures.byState.map((row) => [`${row.track}:${row.state}`, row.count])),
    ).toEqual(Object.fromEntries(states))

    const months = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06']
    expect(figures.byMonth).toEqual(
      months.map((month) => ({
        month,
        count: rows.filter((row) => tokyoMonth(row.submittedAt!) === month).length,
      })),
    )
    expect(figures.byMonth.map((row) => row.count)).toEqual([3, 1, 2, 1, 1, 0])
  })

  it('filters by track and by period', async () => {
    const theme = await dashboard(city.desk, { track: 'theme' })
    const themeRows = stored.filter((row) => inPeriod(row) && row.track === 'theme')
    expect(theme.total).toEqual(closeTo(expectedGroup(null, themeRows)))
    expect(theme.byTrack.map((group) => group.key)).toEqual(['theme'])
    expect(theme.byState.every((row) => row.track === 'theme')).toBe(true)

    const march = { from: '2025-03', to: '2025-04' }
    const spring = await dashboard(city.desk, { period: march })
    expect(spring.total).toEqual(
      closeTo(
        expectedGroup(
          null,
          stored.filter((row) => inPeriod(row, march)),
        ),
      ),
    )
    expect(spring.byMonth).toEqual([
      { month: '2025-03', count: 2 },
      { month: '2025-04', count: 1 },
    ])

    // A track the city does not have is no filter at all, rather than an empty page.
    expect((await dashboard(city.desk, { track: 'no_such_track' })).total.submitted).toBe(8)
  })

  it('counts for department staff only the proposals routed to their department', async () => {
    const figures = await dashboard(city.department.economy)
    const rows = stored.filter((row) => inPeriod(row) && row.departments.includes('economy'))
    expect(figures.total).toEqual(closeTo(expectedGroup(null, rows)))
    expect(figures.total.submitted).toBe(4)
  })

  it('is refused to proposers and to staff of another city, and records exports in the audit log', async () => {
    await expect(
      getDeskDashboard(db.runtimeDb, {
        tenant: city.tenant,
        actor: proposer.actor,
        filters: { period: PERIOD },
      }),
    ).rejects.toBeInstanceOf(AppError)
    await expect(
      getDeskDashboard(db.runtimeDb, { tenant: city.tenant, actor: other.desk, filters: { period: PERIOD } }),
    ).rejects.toMatchObject({ code: 'forbidden' })

    await exportDeskDashboard(db.runtimeDb, {
      tenant: city.tenant,
      actor: city.desk,
      filters: { period: PERIOD, track: 'free' },
      table: 'months',
      ip: '192.0.2.1',
      now: NOW,
    })
    const [audit] = await db.ownerSql<{ action: string; target_id: string; payload: unknown; ip: string }[]>`
      SELECT action, target_id, payload, ip FROM audit_log
       WHERE tenant_id = ${city.tenant.id} AND actor_user_id = ${city.desk.userId} AND action = 'dashboard.exported'`
    expect(audit).toEqual({
      action: 'dashboard.exported',
      target_id: 'months',
      ip: '192.0.2.1',
      payload: { period: PERIOD, track: 'free' },
    })
  })
})
