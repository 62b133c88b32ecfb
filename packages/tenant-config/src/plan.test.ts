import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadTenantFile } from './load'
import { formatPlan, parseStateMapping, planTenantChange } from './plan'
import type { TenantConfig } from './schema'

let town: TenantConfig

beforeAll(async () => {
  const loaded = await loadTenantFile(path.resolve('e2e/fixtures/tenants/sample-town.yaml'))
  if (!loaded.ok) throw new Error('the sample town fixture is invalid')
  town = loaded.tenant.config
})

/** The town without its approval step: approval requests go straight to implementation. */
function withoutApproval(config: TenantConfig): TenantConfig {
  const copy = structuredClone(config)
  const track = copy.tracks[0]!
  track.steps = track.steps.filter((step) => step.id !== 'manager_approval')
  track.transitions = track.transitions
    .filter((transition) => transition.id !== 'approve')
    .map((transition) => ({
      ...transition,
      to: transition.to === 'manager_approval' ? 'implementation' : transition.to,
      from: Array.isArray(transition.from)
        ? transition.from.filter((from) => from !== 'manager_approval')
        : transition.from,
    }))
  return copy
}

describe('planTenantChange', () => {
  it('plans a new city with its workflows as added', () => {
    const plan = planTenantChange({ current: null, next: town })
    expect(plan).toMatchObject({ kind: 'create', slug: 'sample-town', applicable: true, changes: [] })
    expect(plan.workflow).toEqual([
      expect.objectContaining({
        track: 'town_pilot',
        kind: 'added',
        addedSteps: expect.arrayContaining(['manager_approval']),
      }),
    ])
  })

  it('reports nothing for the same file', () => {
    const plan = planTenantChange({ current: town, next: structuredClone(town) })
    expect(plan).toMatchObject({ kind: 'unchanged', changes: [], workflow: [], applicable: true })
  })

  it('lists changed fields as paths, lists of things with ids by id', () => {
    const next = structuredClone(town)
    next.identity.accentColor = '#004488'
    next.proposalTypes[0]!.label.en = 'Trial proposal'
    next.departments.push({
      id: 'welfare',
      name: { ja: '福祉課', en: 'Welfare Division' },
      provisional: false,
    })
    const plan = planTenantChange({ current: town, next })
    expect(plan.kind).toBe('update')
    expect(plan.changes).toEqual([
      { path: 'identity.accentColor', kind: 'changed', before: '#7A3E9D', after: '#004488' },
      {
        path: 'proposalTypes[pilot].label.en',
        kind: 'changed',
        before: 'Pilot proposal',
        after: 'Trial proposal',
      },
      { path: 'departments[welfare]', kind: 'added', after: next.departments[1] },
    ])
    expect(plan.workflow).toEqual([])
  })

  it('summarises workflow changes as added and removed steps and transitions', () => {
    const plan = planTenantChange({ current: town, next: withoutApproval(town) })
    expect(plan.workflow).toEqual([
      {
        track: 'town_pilot',
        kind: 'changed',
        addedSteps: [],
        removedSteps: ['manager_approval'],
        addedTransitions: [],
        removedTransitions: ['approve'],
      },
    ])
    expect(plan.changes.some((change) => change.path === 'tracks[town_pilot].steps[manager_approval]')).toBe(
      true,
    )
    expect(plan.applicable).toBe(true)
  })

  it('refuses to strand proposals in a removed state, and moves them with a mapping', () => {
    const proposals = { town_pilot: { intake: 2, manager_approval: 3, completed: 0 } }
    const refused = planTenantChange({ current: town, next: withoutApproval(town), proposals })
    expect(refused.applicable).toBe(false)
    expect(refused.stranded).toEqual([{ track: 'town_pilot', state: 'manager_approval', proposals: 3 }])
    expect(formatPlan(refused).join('\n')).toMatch(/REFUSED: 3 proposal\(s\) in town_pilot\.manager_approval/)

    const mapped = planTenantChange({
      current: town,
      next: withoutApproval(town),
      proposals,
      stateMapping: { town_pilot: { manager_approval: 'intake' } },
    })
    expect(mapped).toMatchObject({ applicable: true, stranded: [], mappingProblems: [] })
    expect(mapped.moves).toEqual([
      { track: 'town_pilot', from: 'manager_approval', to: 'intake', proposals: 3 },
    ])
  })

  it('refuses proposals of a removed track and mappings that cannot be used', () => {
    const next = structuredClone(town)
    next.tracks[0]!.id = 'renamed'
    const plan = planTenantChange({
      current: town,
      next,
      proposals: { town_pilot: { intake: 1 }, renamed: { intake: 1 } },
      stateMapping: { town_pilot: { intake: 'intake' }, renamed: { intake: 'nowhere', completed: 'intake' } },
    })
    expect(plan.stranded).toEqual([{ track: 'town_pilot', state: 'intake', proposals: 1 }])
    expect(plan.mappingProblems).toEqual([
      'town_pilot.intake=intake: the track "town_pilot" is not in the new file',
      'renamed.intake=nowhere: "nowhere" is not a step of "renamed"',
      'renamed.completed=intake: "completed" is still a step of "renamed"',
    ])
  })
})

describe('parseStateMapping', () => {
  it('reads track.state=new entries and reports malformed ones', () => {
    expect(parseStateMapping(['town_pilot.manager_approval=intake', ' ', 'review.a=b'])).toEqual({
      mapping: { town_pilot: { manager_approval: 'intake' }, review: { a: 'b' } },
      problems: [],
    })
    expect(parseStateMapping(['no-dot=x']).problems).toEqual([
      'no-dot=x: expected track.old_state=new_state, e.g. partnership.screening=intake',
    ])
  })
})
