import { describe, expect, it } from 'vitest'
import { trackSchema, type Track } from '@desk/workflow'
import {
  acceptanceRate,
  addMonths,
  barLayout,
  dashboardDefinitions,
  defaultPeriod,
  fillMonths,
  figureTables,
  monthOf,
  monthRange,
  resolvePeriod,
  type DashboardFigures,
  type GroupFigures,
} from './dashboard-figures'

const label = { ja: 'x', en: 'x' }
/** A small track: a refusal at intake, a decision, an agreement, an ending, a withdrawal. */
const track: Track = trackSchema.parse({
  id: 'main',
  label,
  proposalTypes: ['free'],
  lanes: ['proposer', 'desk', 'department'],
  initial: 'draft',
  steps: [
    { id: 'draft', label, lane: 'proposer' },
    { id: 'intake', label, lane: 'desk' },
    { id: 'review', label, lane: 'department' },
    { id: 'agreement', label, lane: 'desk', produces: ['agreement'] },
    { id: 'running', label, lane: 'department' },
    { id: 'done', label, lane: 'desk', terminal: true, outcome: 'completed' },
    { id: 'refused', label, lane: 'desk', terminal: true, outcome: 'not_accepted' },
    { id: 'handed', label, lane: 'desk', terminal: true, outcome: 'handed_over' },
    { id: 'withdrawn', label, lane: 'proposer', terminal: true, outcome: 'withdrawn' },
  ],
  transitions: [
    { id: 'submit', label, from: 'draft', to: 'intake', by: ['proposer'] },
    { id: 'start', label, from: 'intake', to: 'review', by: ['desk'], notifiesProposer: true },
    {
      id: 'refuse',
      label,
      from: ['intake', 'review'],
      to: 'refused',
      by: ['desk'],
      requires: ['reason'],
      notifiesProposer: true,
      isEarlyAnswer: true,
    },
    { id: 'decide', label, from: 'review', to: 'agreement', by: ['department'], requires: ['decision'] },
    { id: 'hand', label, from: 'review', to: 'handed', by: ['department'], notifiesProposer: true },
    { id: 'sign', label, from: 'agreement', to: 'running', by: ['desk'], requires: ['agreement'] },
    { id: 'finish', label, from: 'running', to: 'done', by: ['desk', 'proposer'] },
    {
      id: 'withdraw',
      label,
      from: ['intake', 'review', 'agreement', 'running'],
      to: 'withdrawn',
      by: ['proposer'],
    },
  ],
})

describe('dashboard definitions from a track', () => {
  it('reads first answers, decisions and agreements from the transitions', () => {
    const definitions = dashboardDefinitions([track])
    expect(definitions.firstAnswerTransitions).toEqual(['main:start', 'main:refuse', 'main:hand'])
    // A withdrawal ends the proposal but is no decision of the city; finishing is an ending by the city.
    expect(definitions.decisionTransitions).toEqual([
      'main:refuse',
      'main:decide',
      'main:hand',
      'main:finish',
    ])
    expect(definitions.agreementTransitions).toEqual(['main:sign'])
  })

  it('classifies steps: refused and withdrawn endings, and accepted once no refusal is reachable', () => {
    const definitions = dashboardDefinitions([track])
    expect(definitions.refusedStates).toEqual(['main:refused'])
    expect(definitions.withdrawnStates).toEqual(['main:withdrawn'])
    // draft, intake and review can still end in a refusal: open.
    expect(definitions.acceptedStates).toEqual(['main:agreement', 'main:running', 'main:done', 'main:handed'])
  })

  it('keys by track, so one step id can mean different things in two tracks', () => {
    const other = trackSchema.parse({ ...track, id: 'other' })
    expect(dashboardDefinitions([track, other]).refusedStates).toEqual(['main:refused', 'other:refused'])
  })

  it('computes the acceptance rate over decided proposals only', () => {
    expect(acceptanceRate(3, 1)).toBe(0.75)
    expect(acceptanceRate(0, 2)).toBe(0)
    expect(acceptanceRate(0, 0)).toBeNull()
  })
})

describe('periods in Japan’s months', () => {
  it('puts an instant in its month in Japan', () => {
    expect(monthOf(new Date('2024-12-31T14:59:59Z'))).toBe('2024-12')
    expect(monthOf(new Date('2024-12-31T15:00:00Z'))).toBe('2025-01')
  })

  it('adds months across years and lists ranges', () => {
    expect(addMonths('2025-01', -1)).toBe('2024-12')
    expect(addMonths('2024-11', 14)).toBe('2026-01')
    expect(monthRange('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02'])
    expect(monthRange('2025-02', '2025-01')).toEqual([])
  })

  it('defaults to the twelve months up to now and refuses bad periods with a reason', () => {
    const now = new Date('2025-03-10T00:00:00Z')
    expect(defaultPeriod(now)).toEqual({ from: '2024-04', to: '2025-03' })
    expect(resolvePeriod({}, now)).toEqual({ period: { from: '2024-04', to: '2025-03' } })
    expect(resolvePeriod({ from: '2025-01' }, now)).toEqual({ period: { from: '2025-01', to: '2025-12' } })
    expect(resolvePeriod({ to: '2025-01' }, now)).toEqual({ period: { from: '2024-02', to: '2025-01' } })
    expect(resolvePeriod({ from: '2025-13' }, now)).toMatchObject({ problem: 'invalidMonth' })
    expect(resolvePeriod({ from: '2025-05', to: '2025-01' }, now)).toMatchObject({
      problem: 'reversed',
      period: { from: '2024-04', to: '2025-03' },
    })
    expect(resolvePeriod({ from: '2000-01', to: '2025-01' }, now)).toMatchObject({ problem: 'tooLong' })
  })

  it('fills months without submissions with zero', () => {
    expect(fillMonths([{ month: '2025-02', count: 4 }], { from: '2025-01', to: '2025-03' })).toEqual([
      { month: '2025-01', count: 0 },
      { month: '2025-02', count: 4 },
      { month: '2025-03', count: 0 },
    ])
  })
})

describe('bars and tables', () => {
  it('scales bars to the largest value and draws nothing for all zeros', () => {
    expect(barLayout([{ value: 2 }, { value: 4 }]).map((bar) => bar.fraction)).toEqual([0.5, 1])
    expect(barLayout([{ value: 0 }]).map((bar) => bar.fraction)).toEqual([0])
    expect(barLayout([])).toEqual([])
  })

  it('builds captioned tables with a header cell per row, in the reader’s language', () => {
    const group = (key: string | null, submitted: number): GroupFigures => ({
      key,
      submitted,
      accepted: 1,
      refused: 2,
      withdrawn: 0,
      open: submitted - 3,
      overdueOpen: 0,
      answeredLate: 1,
      acceptanceRate: 1 / 3,
      leadTimes: {
        firstAnswer: { count: 2, meanDays: 2.25, medianDays: 2 },
        decision: { count: 0, meanDays: null, medianDays: null },
        agreement: { count: 1, meanDays: 1234.5, medianDays: 1234.5 },
      },
    })
    const figures: DashboardFigures = {
      period: { from: '2025-01', to: '2025-02' },
      track: null,
      stageWaits: [],
      total: group(null, 5),
      byTrack: [group('main', 5)],
      byDepartment: [group('economy', 3), group(null, 2)],
      byState: [{ track: 'main', state: 'intake', count: 5 }],
      byMonth: [
        { month: '2025-01', count: 1234 },
        { month: '2025-02', count: 0 },
      ],
    }
    const tables = figureTables(figures, {
      t: (key) => `[${key}]`,
      locale: 'en',
      trackLabel: (id) => `track ${id}`,
      stateLabel: (trackId, state) => `${trackId}/${state}`,
      departmentLabel: (id) => (id ? `dept ${id}` : 'not routed'),
    })
    expect(tables.map((table) => table.id)).toEqual([
      'states',
      'months',
      'outcomes-by-track',
      'outcomes-by-department',
      'lead-times-by-track',
      'lead-times-by-department',
    ])
    expect(tables[0]!.rows).toEqual([['main/intake', 'track main', '5']])
    expect(tables[1]!.rows).toEqual([
      ['2025-01', '1,234'],
      ['2025-02', '0'],
    ])
    expect(tables[3]!.rows.map((row) => row[0])).toEqual(['dept economy', 'not routed', '[tables.all]'])
    expect(tables[2]!.rows[0]).toEqual(['track main', '5', '1', '2', '0', '2', '33.3%', '0', '1'])
    expect(tables[4]!.rows[0]).toEqual([
      'track main',
      '2',
      '2.3',
      '2',
      '—',
      '—',
      '0',
      '1,234.5',
      '1,234.5',
      '1',
    ])
    for (const table of tables) for (const row of table.rows) expect(row).toHaveLength(table.head.length)
  })
})
