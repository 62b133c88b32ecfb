import { describe, expect, it } from 'vitest'
import type { RoleMatrix } from './definition'
import { parseRoleMatrix } from './fixtures/fixture'
import {
  tinyMethodIds,
  tinyProposalTypeIds,
  tinyRoleMatrix,
  tinyTrack,
  tinyTrackWith,
  unreachableStep,
  type TinyTrackInput,
} from './fixtures/tiny'
import { validateRoleMatrix, validateTrackDefinition, type TrackValidationContext } from './validate'

const context: TrackValidationContext = {
  roleMatrix: tinyRoleMatrix,
  methodIds: tinyMethodIds,
  proposalTypeIds: tinyProposalTypeIds,
}

function problemsOf(edit: (input: TinyTrackInput) => void, overrides: Partial<TrackValidationContext> = {}) {
  return validateTrackDefinition(tinyTrackWith(edit), { ...context, ...overrides })
}

const stepIndex = (input: TinyTrackInput, id: string) => input.steps.findIndex((step) => step.id === id)
const transitionIndex = (input: TinyTrackInput, id: string) =>
  input.transitions.findIndex((transition) => transition.id === id)
const transitionNamed = (input: TinyTrackInput, id: string) => input.transitions[transitionIndex(input, id)]!
const stepNamed = (input: TinyTrackInput, id: string) => input.steps[stepIndex(input, id)]!

describe('validateTrackDefinition', () => {
  it('finds nothing wrong in a valid track', () => {
    expect(validateTrackDefinition(tinyTrack, context)).toEqual([])
  })

  it('reports a duplicate step id where it is repeated', () => {
    const problems = problemsOf((input) => {
      stepNamed(input, 'withdrawn').id = 'rejected'
      transitionNamed(input, 'withdraw').to = 'rejected'
    })
    expect(problems).toContainEqual({
      path: ['steps', 6, 'id'],
      message: 'Step id "rejected" is already used by step 5',
      expected: 'a step id unique within the track',
    })
  })

  it('reports a duplicate transition id where it is repeated', () => {
    const problems = problemsOf((input) => {
      transitionNamed(input, 'reject').id = 'submit'
    })
    expect(problems).toEqual([
      {
        path: ['transitions', 5, 'id'],
        message: 'Transition id "submit" is already used by transition 0',
        expected: 'a transition id unique within the track',
      },
    ])
  })

  it('reports an unknown initial step and skips the graph checks that need one', () => {
    const problems = problemsOf((input) => {
      input.initial = 'drafting'
    })
    expect(problems).toEqual([
      {
        path: ['initial'],
        message: 'Initial step "drafting" is not a step of this track',
        expected: 'one of the step ids: draft, screening, signing, running, done, rejected, withdrawn',
      },
    ])
  })

  it('reports a transition from an unknown step, at its position in a from list', () => {
    const problems = problemsOf((input) => {
      transitionNamed(input, 'withdraw').from = ['draft', 'screenin', 'signing']
    })
    expect(problems).toEqual([
      {
        path: ['transitions', 6, 'from', 1],
        message: 'Transition "withdraw" starts from unknown step "screenin"',
        expected: 'one of the step ids: draft, screening, signing, running, done, rejected, withdrawn',
      },
    ])
  })

  it('reports a transition from an unknown step given as a single id', () => {
    const problems = problemsOf((input) => {
      transitionNamed(input, 'finish').from = 'runing'
    })
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: ['transitions', 4, 'from'],
        message: 'Transition "finish" starts from unknown step "runing"',
      }),
    )
    // running lost its only way out
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: ['steps', 3, 'id'],
        message: 'Step "running" is not terminal but no transition leaves it',
      }),
    )
  })

  it('reports a transition to an unknown step, and what the graph loses by it', () => {
    const problems = problemsOf((input) => {
      transitionNamed(input, 'finish').to = 'finished'
    })
    expect(problems).toEqual([
      {
        path: ['transitions', 4, 'to'],
        message: 'Transition "finish" leads to unknown step "finished"',
        expected: 'one of the step ids: draft, screening, signing, running, done, rejected, withdrawn',
      },
      {
        path: ['steps', 3, 'id'],
        message: 'No terminal step can be reached from step "running", so a proposal there could never end',
        expected: 'a path of transitions from "running" to a terminal step',
      },
      {
        path: ['steps', 4, 'id'],
        message: 'Step "done" cannot be reached from the initial step "draft"',
        expected: 'a transition into "done" from a reachable step, or no such step',
      },
    ])
  })

  it('reports an unreachable step', () => {
    const problems = problemsOf((input) => {
      input.steps.push(unreachableStep())
    })
    expect(problems).toEqual([
      {
        path: ['steps', 7, 'id'],
        message: 'Step "archived" cannot be reached from the initial step "draft"',
        expected: 'a transition into "archived" from a reachable step, or no such step',
      },
    ])
  })

  it('reports a non-terminal step without a way out', () => {
    const problems = problemsOf((input) => {
      input.transitions = input.transitions.filter((transition) => transition.id !== 'finish')
    })
    expect(problems).toEqual([
      {
        path: ['steps', 3, 'id'],
        message: 'Step "running" is not terminal but no transition leaves it',
        expected: 'a transition from "running", or terminal: true with an outcome',
      },
      {
        path: ['steps', 4, 'id'],
        message: 'Step "done" cannot be reached from the initial step "draft"',
        expected: 'a transition into "done" from a reachable step, or no such step',
      },
    ])
  })

  it('reports steps caught in a loop that never ends', () => {
    const problems = problemsOf((input) => {
      transitionNamed(input, 'finish').to = 'signing'
    })
    expect(problems).toEqual([
      {
        path: ['steps', 4, 'id'],
        message: 'Step "done" cannot be reached from the initial step "draft"',
        expected: 'a transition into "done" from a reachable step, or no such step',
      },
    ])
    const withoutWithdrawal = problemsOf((input) => {
      transitionNamed(input, 'finish').to = 'signing'
      transitionNamed(input, 'withdraw').from = ['draft', 'screening']
    })
    expect(withoutWithdrawal.filter((problem) => problem.message.startsWith('No terminal'))).toEqual([
      {
        path: ['steps', 2, 'id'],
        message: 'No terminal step can be reached from step "signing", so a proposal there could never end',
        expected: 'a path of transitions from "signing" to a terminal step',
      },
      {
        path: ['steps', 3, 'id'],
        message: 'No terminal step can be reached from step "running", so a proposal there could never end',
        expected: 'a path of transitions from "running" to a terminal step',
      },
    ])
  })

  it('reports a terminal step without an outcome, and an outcome on an open step', () => {
    const problems = problemsOf((input) => {
      delete stepNamed(input, 'done').outcome
      stepNamed(input, 'running').outcome = 'completed'
    })
    expect(problems).toEqual([
      {
        path: ['steps', 3, 'outcome'],
        message: 'Step "running" has outcome "completed" but is not terminal',
        expected: 'terminal: true, or no outcome',
      },
      {
        path: ['steps', 4, 'terminal'],
        message: 'Terminal step "done" has no outcome',
        expected: 'an outcome: one of accepted, completed, declined, not_accepted, withdrawn, handed_over',
      },
    ])
  })

  it('reports a transition leaving a terminal step', () => {
    const problems = problemsOf((input) => {
      transitionNamed(input, 'withdraw').from = ['draft', 'screening', 'signing', 'done']
    })
    expect(problems).toEqual([
      {
        path: ['transitions', 6, 'from', 3],
        message: 'Transition "withdraw" leaves terminal step "done"',
        expected: 'a step that is not terminal: a terminal step ends the proposal',
      },
    ])
  })

  it('reports a track without any terminal step once, not every step that cannot end', () => {
    const problems = problemsOf((input) => {
      input.steps = input.steps.map((step) => ({ ...step, terminal: false, outcome: undefined }))
      input.transitions.push({
        id: 'reopen',
        label: { en: 'Reopen' },
        from: ['done', 'rejected', 'withdrawn'],
        to: 'draft',
        by: ['desk'],
      })
    })
    expect(problems).toContainEqual({
      path: ['steps'],
      message: 'The track has no terminal step, so no proposal could ever end',
      expected: 'at least one step with terminal: true and an outcome',
    })
    expect(
      problems.filter((problem) => problem.message.startsWith('No terminal step can be reached')),
    ).toEqual([])
  })

  it('reports an unknown proposal type', () => {
    expect(problemsOf((input) => void (input.proposalTypes = ['free', 'thematic']))).toEqual([
      {
        path: ['proposalTypes', 1],
        message: 'Unknown proposal type "thematic"',
        expected: 'one of the proposal types: free',
      },
    ])
  })

  it('reports a step in an undeclared lane', () => {
    const problems = problemsOf((input) => {
      input.lanes = ['proposer', 'desk']
      transitionNamed(input, 'finish').by = ['desk']
    })
    expect(problems).toEqual([
      {
        path: ['steps', 3, 'lane'],
        message: 'Step "running" is in lane "department", which the track does not declare',
        expected: 'one of the track\'s lanes (proposer, desk), or "department" added to lanes',
      },
    ])
  })

  it('reports a transition taken by an undeclared lane', () => {
    const problems = problemsOf((input) => {
      stepNamed(input, 'running').lane = 'desk'
      input.lanes = ['proposer', 'desk']
    })
    expect(problems).toEqual([
      {
        path: ['transitions', 4, 'by', 0],
        message: 'Transition "finish" is taken by lane "department", which the track does not declare',
        expected: 'one of the track\'s lanes (proposer, desk), "matrix", or "department" added to lanes',
      },
    ])
  })

  it('reports an unknown phase, and a phase when the city has no role matrix', () => {
    expect(problemsOf((input) => void (stepNamed(input, 'running').phase = 'operation'))).toEqual([
      {
        path: ['steps', 3, 'phase'],
        message: 'Step "running" has unknown phase "operation"',
        expected: 'one of the role-matrix phases: screening, signing, running',
      },
    ])
    const withoutMatrix = problemsOf(() => {}, { roleMatrix: undefined })
    expect(withoutMatrix).toContainEqual({
      path: ['steps', 1, 'phase'],
      message: 'Step "screening" has phase "screening" but the city has no role matrix',
      expected: 'no phase, or a role matrix declaring this phase',
    })
  })

  it('reports an unknown collaboration method in a transition', () => {
    expect(
      problemsOf((input) => void (transitionNamed(input, 'sign').methods = ['joint', 'shared'])),
    ).toEqual([
      {
        path: ['transitions', 1, 'methods', 1],
        message: 'Transition "sign" names unknown collaboration method "shared"',
        expected: 'one of the collaboration methods: joint, solo, tender',
      },
    ])
  })

  it('reports "by: matrix" without a role matrix', () => {
    const problems = problemsOf(() => {}, { roleMatrix: undefined })
    expect(problems).toContainEqual({
      path: ['transitions', 1, 'by', 0],
      message: 'Transition "sign" is taken by "matrix" but the city has no role matrix',
      expected: 'lane names (proposer, desk, department), or a role matrix',
    })
  })

  it('reports "by: matrix" into a step without a phase', () => {
    const problems = problemsOf((input) => {
      transitionNamed(input, 'finish').by = ['department', 'matrix']
    })
    expect(problems).toEqual([
      {
        path: ['transitions', 4, 'by', 1],
        message: 'Transition "finish" is taken by "matrix" but its target step "done" has no phase',
        expected:
          'a phase on step "done" (one of the role-matrix phases: screening, signing, running), or lane names in by',
      },
    ])
  })

  it('reports a matrix transition that can never be taken for one of its methods', () => {
    const problems = problemsOf((input) => {
      transitionNamed(input, 'sign').methods = ['joint', 'solo', 'tender']
    })
    expect(problems).toEqual([
      {
        path: ['transitions', 1, 'methods', 2],
        message:
          'Transition "sign" can never be taken for method "tender": no party is involved at least "active" in phase "signing"',
        expected:
          'a role-matrix cell for "tender" × "signing" giving the desk or the department at least "active", or a lane in by',
      },
    ])
  })

  it('reports a matrix transition that can never be taken for any method', () => {
    const roleMatrix = parseRoleMatrix({
      ...tinyRoleMatrix,
      cells: tinyRoleMatrix.cells.filter((cell) => cell.phase !== 'running'),
    })
    expect(validateTrackDefinition(tinyTrack, { ...context, roleMatrix })).toEqual([
      {
        path: ['transitions', 2, 'methods', 0],
        message:
          'Transition "run_without_signing" can never be taken for method "tender": no party is involved at least "active" in phase "running"',
        expected:
          'a role-matrix cell for "tender" × "running" giving the desk or the department at least "active", or a lane in by',
      },
      {
        path: ['transitions', 3, 'by', 0],
        message:
          'Transition "start" can never be taken: for no method is a party involved at least "active" in phase "running"',
        expected:
          'a role-matrix cell for phase "running" giving a party at least "active", a lower minimumInvolvement (lead, active, as_needed, none), or a lane in by',
      },
    ])
  })

  it('does not call a matrix transition dead when a lane can take it too', () => {
    const problems = problemsOf((input) => {
      const sign = transitionNamed(input, 'sign')
      sign.methods = ['joint', 'solo', 'tender']
      sign.by = ['matrix', 'desk']
    })
    expect(problems).toEqual([])
  })

  it('requires a reason and a notice to the proposer on every refusal', () => {
    const problems = problemsOf((input) => {
      const reject = transitionNamed(input, 'reject')
      reject.requires = []
      reject.notifiesProposer = false
    })
    expect(problems).toEqual([
      {
        path: ['transitions', 5, 'requires'],
        message: 'Transition "reject" ends the proposal as "declined" without requiring a reason',
        expected: 'requires to include "reason"',
      },
      {
        path: ['transitions', 5, 'notifiesProposer'],
        message: 'Transition "reject" ends the proposal as "declined" but does not notify the proposer',
        expected: 'notifiesProposer: true',
      },
    ])
  })

  it('requires an early answer to reach the proposer', () => {
    const problems = problemsOf((input) => {
      const sign = transitionNamed(input, 'sign')
      sign.isEarlyAnswer = true
      sign.notifiesProposer = false
    })
    expect(problems).toEqual([
      {
        path: ['transitions', 1, 'notifiesProposer'],
        message: 'Transition "sign" is an early answer but does not notify the proposer',
        expected: 'notifiesProposer: true',
      },
    ])
  })
})

describe('validateRoleMatrix', () => {
  const matrixWith = (edit: (matrix: RoleMatrix) => RoleMatrix) => edit(structuredClone(tinyRoleMatrix))

  it('finds nothing wrong in a valid matrix', () => {
    expect(validateRoleMatrix(tinyRoleMatrix, tinyMethodIds)).toEqual([])
  })

  it('reports unknown methods and phases in cells', () => {
    const matrix = matrixWith((m) => ({
      ...m,
      cells: [
        ...m.cells,
        { method: 'shared', phase: 'signing', desk: 'lead', department: 'none' },
        { method: 'joint', phase: 'closing', desk: 'lead', department: 'none' },
      ],
    }))
    expect(validateRoleMatrix(matrix, tinyMethodIds)).toEqual([
      {
        path: ['cells', 8, 'method'],
        message: 'Cell 8 names unknown collaboration method "shared"',
        expected: 'one of the collaboration methods: joint, solo, tender',
      },
      {
        path: ['cells', 9, 'phase'],
        message: 'Cell 9 names unknown phase "closing"',
        expected: 'one of the role-matrix phases: screening, signing, running',
      },
    ])
  })

  it('reports the same cell declared twice', () => {
    const matrix = matrixWith((m) => ({
      ...m,
      cells: [...m.cells, { method: 'solo', phase: 'signing', desk: 'lead', department: 'none' }],
    }))
    expect(validateRoleMatrix(matrix, tinyMethodIds)).toEqual([
      {
        path: ['cells', 8],
        message: 'The cell for solo × signing is already declared by cell 4',
        expected: 'one cell per method and phase',
      },
    ])
  })

  it('reports duplicate phases and parties', () => {
    const matrix = matrixWith((m) => ({
      ...m,
      parties: ['desk', 'department', 'desk'],
      phases: [...m.phases, { id: 'running', label: { en: 'Again' } }],
    }))
    expect(validateRoleMatrix(matrix, tinyMethodIds)).toEqual([
      {
        path: ['parties', 2],
        message: 'Party "desk" is listed twice',
        expected: 'each party (desk, department) at most once',
      },
      {
        path: ['phases', 3, 'id'],
        message: 'Phase id "running" is already used by phase 2',
        expected: 'a phase id unique within the matrix',
      },
    ])
  })

  it('reports collaboration methods without any cell', () => {
    expect(validateRoleMatrix(tinyRoleMatrix, [...tinyMethodIds, 'lease', 'donation'])).toEqual([
      {
        path: ['cells'],
        message: 'The role matrix has no cell for collaboration methods "lease", "donation"',
        expected: 'at least one cell for every collaboration method of the city',
      },
    ])
  })
})
