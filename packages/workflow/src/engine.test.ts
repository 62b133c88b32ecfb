import { describe, expect, it } from 'vitest'
import {
  availableTransitions,
  checkTransition,
  leadOf,
  methodChoices,
  type Actor,
  type ProposalState,
} from './engine'
import { parseRoleMatrix } from './fixtures/fixture'
import { tinyRoleMatrix, tinyTrack, tinyTrackWith } from './fixtures/tiny'
import { MAX_TEXT_LENGTH, type TransitionInput } from './requirements'
import { transitionOf } from './track'

const proposer: Actor = { kind: 'proposer' }
const desk: Actor = { kind: 'desk' }
const planning: Actor = { kind: 'department', departmentId: 'planning' }
const parks: Actor = { kind: 'department', departmentId: 'parks' }

const at = (state: string, extra: Omit<ProposalState, 'state'> = {}): ProposalState => ({ state, ...extra })
const idsOf = (transitions: { id: string }[]) => transitions.map((transition) => transition.id)
const available = (proposal: ProposalState, actor: Actor) =>
  idsOf(availableTransitions(tinyTrack, proposal, actor, tinyRoleMatrix))
const transition = (id: string) => transitionOf(tinyTrack, id)!

const agreement = { kind: 'business_agreement', parties: ['City', 'Example Co.'], concludedOn: '2026-04-01' }

describe('availableTransitions', () => {
  it('offers each lane its own transitions', () => {
    expect(available(at('draft'), proposer)).toEqual(['submit', 'withdraw'])
    expect(available(at('draft'), desk)).toEqual([])
    expect(available(at('draft'), planning)).toEqual([])
  })

  it('offers a method-choosing matrix transition to whoever the matrix lets choose some method', () => {
    // signing: joint is led by the desk, solo by the department; running (tender) by the department
    expect(available(at('screening'), desk)).toEqual(['sign', 'reject'])
    expect(available(at('screening'), planning)).toEqual(['sign', 'run_without_signing'])
    expect(available(at('screening'), proposer)).toEqual(['withdraw'])
  })

  it('reads the matrix for the proposal method at the target step phase', () => {
    // running, joint: desk △ (as needed), department ◎ (lead); minimum is "active"
    expect(available(at('signing', { collaborationMethod: 'joint' }), planning)).toEqual(['start'])
    expect(available(at('signing', { collaborationMethod: 'joint' }), desk)).toEqual([])
  })

  it('lowers the bar with minimumInvolvement', () => {
    const track = tinyTrackWith((input) => {
      input.transitions.find((candidate) => candidate.id === 'start')!.minimumInvolvement = 'as_needed'
    })
    const offered = (actor: Actor) =>
      idsOf(
        availableTransitions(track, at('signing', { collaborationMethod: 'joint' }), actor, tinyRoleMatrix),
      )
    expect(offered(desk)).toEqual(['start'])
    expect(offered(planning)).toEqual(['start'])
  })

  it('offers no matrix transition without a method, a matrix, or a row for the phase', () => {
    expect(available(at('signing'), planning)).toEqual([])
    expect(
      idsOf(availableTransitions(tinyTrack, at('signing', { collaborationMethod: 'joint' }), planning)),
    ).toEqual([])
    // a matrix without any row for the running phase allows nobody into it
    const noRunningRow = parseRoleMatrix({
      ...tinyRoleMatrix,
      cells: tinyRoleMatrix.cells.filter((cell) => cell.phase !== 'running'),
    })
    expect(
      idsOf(
        availableTransitions(
          tinyTrack,
          at('signing', { collaborationMethod: 'joint' }),
          planning,
          noRunningRow,
        ),
      ),
    ).toEqual([])
  })

  it('ignores parties the matrix does not describe', () => {
    const deskOnly = parseRoleMatrix({ ...tinyRoleMatrix, parties: ['desk'] })
    expect(
      idsOf(
        availableTransitions(tinyTrack, at('signing', { collaborationMethod: 'joint' }), planning, deskOnly),
      ),
    ).toEqual([])
  })

  it('filters transitions by the proposal method', () => {
    const track = tinyTrackWith((input) => {
      input.transitions.find((candidate) => candidate.id === 'start')!.methods = ['solo']
    })
    expect(
      idsOf(
        availableTransitions(
          track,
          at('signing', { collaborationMethod: 'joint' }),
          planning,
          tinyRoleMatrix,
        ),
      ),
    ).toEqual([])
    expect(
      idsOf(
        availableTransitions(track, at('signing', { collaborationMethod: 'solo' }), planning, tinyRoleMatrix),
      ),
    ).toEqual(['start'])
    expect(
      idsOf(
        availableTransitions(track, at('signing', { collaborationMethod: null }), planning, tinyRoleMatrix),
      ),
    ).toEqual([])
  })

  it('lets only assigned departments act once departments are assigned', () => {
    const assigned = at('running', { collaborationMethod: 'joint', departments: ['planning'] })
    expect(available(assigned, planning)).toEqual(['finish'])
    expect(available(assigned, parks)).toEqual([])
    expect(available(assigned, { kind: 'department' })).toEqual([])
    expect(available(at('running', { departments: [] }), parks)).toEqual(['finish'])
  })

  it('offers nothing in a terminal or unknown state', () => {
    for (const actor of [proposer, desk, planning]) {
      expect(available(at('done'), actor)).toEqual([])
      expect(available(at('nowhere'), actor)).toEqual([])
    }
  })
})

describe('methodChoices', () => {
  it('lists the methods each party may choose, per the matrix', () => {
    expect(methodChoices(tinyTrack, transition('sign'), desk, tinyRoleMatrix)).toEqual(['joint'])
    expect(methodChoices(tinyTrack, transition('sign'), planning, tinyRoleMatrix)).toEqual(['solo'])
    expect(methodChoices(tinyTrack, transition('run_without_signing'), desk, tinyRoleMatrix)).toEqual([])
    expect(methodChoices(tinyTrack, transition('sign'), proposer, tinyRoleMatrix)).toEqual([])
  })

  it('is unconstrained for a lane transition without methods or matrix', () => {
    const track = tinyTrackWith((input) => {
      const sign = input.transitions.find((candidate) => candidate.id === 'sign')!
      sign.by = ['desk']
      delete sign.methods
    })
    expect(methodChoices(track, transitionOf(track, 'sign')!, desk)).toBeUndefined()
    expect(methodChoices(track, transitionOf(track, 'sign')!, desk, tinyRoleMatrix)).toEqual([
      'joint',
      'solo',
      'tender',
    ])
  })
})

describe('checkTransition', () => {
  const check = (proposal: ProposalState, actor: Actor, transitionId: string, input: TransitionInput = {}) =>
    checkTransition(tinyTrack, proposal, actor, transitionId, input, tinyRoleMatrix)

  it('accepts an allowed transition and describes where it leads', () => {
    const result = check(at('screening', { departments: ['planning'] }), desk, 'reject', {
      reason: '  Outside the city policy.  ',
    })
    expect(result).toMatchObject({
      ok: true,
      to: 'rejected',
      step: { id: 'rejected', terminal: true },
      outcome: 'declined',
      notifiesProposer: true,
      isEarlyAnswer: true,
      input: { reason: 'Outside the city policy.' },
      next: { state: 'rejected', collaborationMethod: null, departments: ['planning'] },
    })
  })

  it('records the chosen method and the assigned departments in the next proposal state', () => {
    const result = check(at('screening', { collaborationMethod: 'solo' }), desk, 'sign', {
      collaborationMethod: 'joint',
      agreement,
    })
    expect(result).toMatchObject({
      ok: true,
      next: { state: 'signing', collaborationMethod: 'joint', departments: [] },
    })
    const track = tinyTrackWith((input) => void (input.transitions[0]!.requires = ['departments']))
    const submitted = checkTransition(
      track,
      at('draft'),
      proposer,
      'submit',
      { departments: ['planning', 'parks'] },
      tinyRoleMatrix,
    )
    expect(submitted).toMatchObject({
      ok: true,
      outcome: undefined,
      next: { departments: ['planning', 'parks'] },
    })
  })

  it('keeps only what the transition requires', () => {
    const result = check(at('draft'), proposer, 'submit', { reason: 'not asked for', note: 'neither' })
    expect(result).toMatchObject({ ok: true, input: {} })
  })

  it('unknown_state: the proposal is in a state the track does not have', () => {
    expect(check(at('archived'), desk, 'reject')).toEqual({
      ok: false,
      error: {
        code: 'unknown_state',
        state: 'archived',
        message: 'State "archived" is not a step of track "tiny"',
      },
    })
  })

  it('unknown_transition: the track has no such transition', () => {
    expect(check(at('screening'), desk, 'approve')).toEqual({
      ok: false,
      error: {
        code: 'unknown_transition',
        transitionId: 'approve',
        message: 'Track "tiny" has no transition "approve"',
      },
    })
  })

  it('terminal_state: nothing leaves an ended proposal', () => {
    expect(check(at('withdrawn'), proposer, 'withdraw', { reason: 'again' })).toEqual({
      ok: false,
      error: {
        code: 'terminal_state',
        state: 'withdrawn',
        outcome: 'withdrawn',
        message: 'The proposal has ended in "withdrawn" (withdrawn); no transition leaves it',
      },
    })
  })

  it('not_from_this_state: the transition starts elsewhere', () => {
    expect(
      check(at('running', { collaborationMethod: 'joint' }), proposer, 'withdraw', { reason: 'x' }),
    ).toEqual({
      ok: false,
      error: {
        code: 'not_from_this_state',
        transitionId: 'withdraw',
        state: 'running',
        from: ['draft', 'screening', 'signing'],
        message: 'Transition "withdraw" starts from "draft" or "screening" or "signing", not from "running"',
      },
    })
  })

  it('actor_not_allowed: a lane that may not take it', () => {
    expect(check(at('screening'), planning, 'reject', { reason: 'x' })).toEqual({
      ok: false,
      error: {
        code: 'actor_not_allowed',
        transitionId: 'reject',
        actor: planning,
        reason: 'not_permitted',
        by: ['desk'],
        message: 'department "planning" may not take transition "reject" (taken by: desk)',
      },
    })
  })

  it('actor_not_allowed: a department not assigned to the proposal', () => {
    expect(
      check(at('running', { departments: ['planning'] }), parks, 'finish', { note: 'done' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'actor_not_allowed',
        reason: 'department_not_assigned',
        message: 'department "parks" is not assigned to this proposal (assigned: planning)',
      },
    })
  })

  it('actor_not_allowed: the matrix gives the party too little involvement for the method', () => {
    expect(check(at('signing', { collaborationMethod: 'joint' }), desk, 'start')).toEqual({
      ok: false,
      error: {
        code: 'actor_not_allowed',
        transitionId: 'start',
        actor: desk,
        reason: 'not_permitted',
        by: ['matrix'],
        message:
          'the desk may not take transition "start" for collaboration method "joint" (taken by: matrix, with at least "active" involvement in the phase of "running")',
      },
    })
  })

  it('actor_not_allowed: the chosen method is one the matrix gives to the other party', () => {
    // joint agreements are signed by the desk, solo ones by the department
    expect(check(at('screening'), desk, 'sign', { collaborationMethod: 'solo', agreement })).toMatchObject({
      ok: false,
      error: { code: 'actor_not_allowed', reason: 'not_permitted' },
    })
    expect(
      check(at('screening'), planning, 'sign', { collaborationMethod: 'joint', agreement }),
    ).toMatchObject({
      ok: false,
      error: { code: 'actor_not_allowed' },
    })
    expect(
      check(at('screening'), planning, 'sign', { collaborationMethod: 'solo', agreement }),
    ).toMatchObject({ ok: true })
  })

  it('actor_not_allowed comes before missing requirements, so outsiders learn nothing of them', () => {
    expect(check(at('screening'), proposer, 'sign')).toMatchObject({
      ok: false,
      error: { code: 'actor_not_allowed' },
    })
    expect(check(at('screening'), planning, 'reject')).toMatchObject({
      ok: false,
      error: { code: 'actor_not_allowed' },
    })
  })

  it('method_not_applicable: the proposal method is outside the transition methods', () => {
    const track = tinyTrackWith((input) => {
      input.transitions.find((candidate) => candidate.id === 'start')!.methods = ['solo']
    })
    expect(
      checkTransition(
        track,
        at('signing', { collaborationMethod: 'joint' }),
        planning,
        'start',
        {},
        tinyRoleMatrix,
      ),
    ).toEqual({
      ok: false,
      error: {
        code: 'method_not_applicable',
        transitionId: 'start',
        method: 'joint',
        methods: ['solo'],
        message: 'Transition "start" does not apply to collaboration method "joint"; it applies to solo',
      },
    })
    expect(checkTransition(track, at('signing'), planning, 'start', {}, tinyRoleMatrix)).toMatchObject({
      ok: false,
      error: {
        code: 'method_not_applicable',
        method: null,
        message: 'Transition "start" applies only once a collaboration method (solo) is chosen',
      },
    })
  })

  it('method_not_applicable: the chosen method is outside the transition methods', () => {
    expect(
      check(at('screening'), planning, 'sign', { collaborationMethod: 'tender', agreement }),
    ).toMatchObject({
      ok: false,
      error: { code: 'method_not_applicable', method: 'tender', methods: ['joint', 'solo'] },
    })
  })

  it('method_not_applicable: with a matrix, the chosen method must be one of the city', () => {
    const track = tinyTrackWith((input) => {
      const sign = input.transitions.find((candidate) => candidate.id === 'sign')!
      sign.by = ['desk']
      delete sign.methods
    })
    expect(
      checkTransition(
        track,
        at('screening'),
        desk,
        'sign',
        { collaborationMethod: 'barter', agreement },
        tinyRoleMatrix,
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'method_not_applicable', method: 'barter', methods: ['joint', 'solo', 'tender'] },
    })
  })

  it('missing_requirement: names every requirement not met', () => {
    expect(check(at('screening'), desk, 'sign')).toEqual({
      ok: false,
      error: {
        code: 'missing_requirement',
        transitionId: 'sign',
        requirements: ['collaboration_method', 'agreement'],
        issues: [
          {
            requirement: 'collaboration_method',
            path: ['collaborationMethod'],
            message: 'collaborationMethod is required',
          },
          { requirement: 'agreement', path: ['agreement'], message: 'agreement is required' },
        ],
        message: 'Transition "sign" needs: collaborationMethod is required; agreement is required',
      },
    })
  })

  it('missing_requirement: a blank reason is no reason', () => {
    expect(check(at('screening'), desk, 'reject', { reason: '   ' })).toMatchObject({
      ok: false,
      error: {
        code: 'missing_requirement',
        requirements: ['reason'],
        issues: [{ path: ['reason'], message: 'reason must not be empty' }],
      },
    })
  })

  it('missing_requirement: a reason of at most 4000 characters', () => {
    expect(check(at('screening'), desk, 'reject', { reason: 'あ'.repeat(MAX_TEXT_LENGTH) })).toMatchObject({
      ok: true,
    })
    expect(
      check(at('screening'), desk, 'reject', { reason: 'あ'.repeat(MAX_TEXT_LENGTH + 1) }),
    ).toMatchObject({
      ok: false,
      error: { code: 'missing_requirement', issues: [{ message: 'reason must be at most 4000 characters' }] },
    })
  })

  it('missing_requirement: malformed agreement details, with the path inside them', () => {
    const result = check(at('screening'), desk, 'sign', {
      collaborationMethod: 'joint',
      agreement: {
        kind: 'business_agreement',
        parties: [],
        concludedOn: '2026-02-30',
        validUntil: '2025-01-01',
      },
    })
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'missing_requirement',
        requirements: ['agreement'],
        issues: [
          { path: ['agreement', 'parties'], message: 'agreement.parties must name at least one party' },
          {
            path: ['agreement', 'concludedOn'],
            message: 'agreement.concludedOn must be a real calendar date',
          },
          {
            path: ['agreement', 'validUntil'],
            message: 'agreement.validUntil must not end before it begins',
          },
        ],
      },
    })
    const endsEarly = check(at('screening'), desk, 'sign', {
      collaborationMethod: 'joint',
      agreement: { ...agreement, validUntil: '2026-03-31' },
    })
    expect(endsEarly).toMatchObject({
      ok: false,
      error: {
        issues: [
          {
            path: ['agreement', 'validUntil'],
            message: 'agreement.validUntil must not end before it begins',
          },
        ],
      },
    })
  })

  it('missing_requirement: a method that is not an id', () => {
    expect(
      check(at('screening'), desk, 'sign', { collaborationMethod: 'Joint Venture', agreement }),
    ).toMatchObject({
      ok: false,
      error: { code: 'missing_requirement', requirements: ['collaboration_method'] },
    })
  })
})

describe('leadOf', () => {
  it('names the lane when no matrix row applies', () => {
    expect(leadOf(tinyTrack, at('draft'), tinyRoleMatrix)).toEqual({
      source: 'lane',
      stepId: 'draft',
      lane: 'proposer',
      leads: ['proposer'],
    })
    expect(leadOf(tinyTrack, at('screening'), tinyRoleMatrix)).toMatchObject({
      source: 'lane',
      leads: ['desk'],
    })
    expect(leadOf(tinyTrack, at('signing', { collaborationMethod: 'tender' }), tinyRoleMatrix)).toMatchObject(
      { source: 'lane', leads: ['desk'] },
    )
    expect(leadOf(tinyTrack, at('signing', { collaborationMethod: 'joint' }))).toMatchObject({
      source: 'lane',
    })
  })

  it('reads the matrix with the guideline symbols when it applies', () => {
    expect(leadOf(tinyTrack, at('screening', { collaborationMethod: 'tender' }), tinyRoleMatrix)).toEqual({
      source: 'matrix',
      stepId: 'screening',
      lane: 'desk',
      phase: 'screening',
      method: 'tender',
      involvement: { desk: 'active', department: 'lead' },
      symbols: { desk: '○', department: '◎' },
      leads: ['department'],
    })
    expect(leadOf(tinyTrack, at('running', { collaborationMethod: 'solo' }), tinyRoleMatrix)).toMatchObject({
      symbols: { desk: '—', department: '◎' },
      leads: ['department'],
    })
    expect(leadOf(tinyTrack, at('signing', { collaborationMethod: 'solo' }), tinyRoleMatrix)).toMatchObject({
      symbols: { desk: '△', department: '◎' },
    })
  })

  it('falls back to the lane when the row marks nobody as lead', () => {
    const noLead = parseRoleMatrix({
      ...tinyRoleMatrix,
      cells: [{ method: 'joint', phase: 'running', desk: 'active', department: 'active' }],
    })
    expect(leadOf(tinyTrack, at('running', { collaborationMethod: 'joint' }), noLead)).toMatchObject({
      source: 'matrix',
      symbols: { desk: '○', department: '○' },
      leads: ['department'],
    })
  })

  it('is undefined for an unknown state', () => {
    expect(leadOf(tinyTrack, at('nowhere'), tinyRoleMatrix)).toBeUndefined()
  })
})
