import {
  involvementSchema,
  laneSchema,
  outcomeSchema,
  type Outcome,
  type RoleMatrix,
  type Track,
  type Transition,
} from './definition'
import { isAtLeast, matrixMethods } from './involvement'
import { reachableFrom, sourcesOf, statesThatCanEnd } from './track'

/**
 * A semantic problem in a definition that already has the right shape (the
 * zod schemas check the shape). `path` is relative to the object validated,
 * so the tenant-config package can prefix it with the object's place in the
 * tenant file and point at the offending line.
 */
export interface DefinitionProblem {
  path: (string | number)[]
  message: string
  expected: string
}

export interface TrackValidationContext {
  /** The city's role matrix, if it has one. */
  roleMatrix?: RoleMatrix
  /** Ids of the city's collaboration methods. */
  methodIds: string[]
  /** Ids of the city's proposal types. */
  proposalTypeIds: string[]
}

/** Outcomes that turn a proposal down: the platform requires a reason, told to the proposer. */
const REFUSING_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(['declined', 'not_accepted'])

const LANES = laneSchema.options.join(', ')
const OUTCOMES = outcomeSchema.options.join(', ')

/** Lists known ids for an `expected` text, so the author can see what would be right. */
function oneOf(what: string, ids: readonly string[]): string {
  return ids.length === 0 ? `a ${what}, but none is declared` : `one of the ${what}s: ${ids.join(', ')}`
}

function quoted(ids: readonly string[]): string {
  return ids.map((id) => `"${id}"`).join(', ')
}

/**
 * Every semantic problem of a track, in a stable order: identities, references,
 * the graph (reachability, ways out, terminals), then matrix and platform rules.
 * An empty list means the engine can run the track.
 */
export function validateTrackDefinition(track: Track, context: TrackValidationContext): DefinitionProblem[] {
  const problems: DefinitionProblem[] = []
  const report = (path: (string | number)[], message: string, expected: string) =>
    problems.push({ path, message, expected })

  const stepIds = track.steps.map((step) => step.id)
  const knownSteps = new Set(stepIds)
  const stepById = new Map(track.steps.map((step) => [step.id, step]))

  // Identities
  reportDuplicates(stepIds, (index, id, firstIndex) =>
    report(
      ['steps', index, 'id'],
      `Step id "${id}" is already used by step ${firstIndex}`,
      'a step id unique within the track',
    ),
  )
  reportDuplicates(
    track.transitions.map((transition) => transition.id),
    (index, id, firstIndex) =>
      report(
        ['transitions', index, 'id'],
        `Transition id "${id}" is already used by transition ${firstIndex}`,
        'a transition id unique within the track',
      ),
  )

  // References
  track.proposalTypes.forEach((typeId, index) => {
    if (!context.proposalTypeIds.includes(typeId)) {
      report(
        ['proposalTypes', index],
        `Unknown proposal type "${typeId}"`,
        oneOf('proposal type', context.proposalTypeIds),
      )
    }
  })
  if (!knownSteps.has(track.initial)) {
    report(
      ['initial'],
      `Initial step "${track.initial}" is not a step of this track`,
      oneOf('step id', stepIds),
    )
  }
  track.steps.forEach((step, index) => {
    if (!track.lanes.includes(step.lane)) {
      report(
        ['steps', index, 'lane'],
        `Step "${step.id}" is in lane "${step.lane}", which the track does not declare`,
        `one of the track's lanes (${track.lanes.join(', ')}), or "${step.lane}" added to lanes`,
      )
    }
    if (step.phase !== undefined) {
      const phaseIds = context.roleMatrix?.phases.map((phase) => phase.id)
      if (!phaseIds) {
        report(
          ['steps', index, 'phase'],
          `Step "${step.id}" has phase "${step.phase}" but the city has no role matrix`,
          'no phase, or a role matrix declaring this phase',
        )
      } else if (!phaseIds.includes(step.phase)) {
        report(
          ['steps', index, 'phase'],
          `Step "${step.id}" has unknown phase "${step.phase}"`,
          oneOf('role-matrix phase', phaseIds),
        )
      }
    }
  })
  track.transitions.forEach((transition, index) => {
    const fromPath = (position: number): (string | number)[] =>
      typeof transition.from === 'string'
        ? ['transitions', index, 'from']
        : ['transitions', index, 'from', position]
    sourcesOf(transition).forEach((source, position) => {
      if (!knownSteps.has(source)) {
        report(
          fromPath(position),
          `Transition "${transition.id}" starts from unknown step "${source}"`,
          oneOf('step id', stepIds),
        )
      } else if (stepById.get(source)?.terminal) {
        report(
          fromPath(position),
          `Transition "${transition.id}" leaves terminal step "${source}"`,
          'a step that is not terminal: a terminal step ends the proposal',
        )
      }
    })
    if (!knownSteps.has(transition.to)) {
      report(
        ['transitions', index, 'to'],
        `Transition "${transition.id}" leads to unknown step "${transition.to}"`,
        oneOf('step id', stepIds),
      )
    }
    transition.by.forEach((entry, position) => {
      if (entry !== 'matrix' && !track.lanes.includes(entry)) {
        report(
          ['transitions', index, 'by', position],
          `Transition "${transition.id}" is taken by lane "${entry}", which the track does not declare`,
          `one of the track's lanes (${track.lanes.join(', ')}), "matrix", or "${entry}" added to lanes`,
        )
      }
    })
    transition.methods?.forEach((method, position) => {
      if (!context.methodIds.includes(method)) {
        report(
          ['transitions', index, 'methods', position],
          `Transition "${transition.id}" names unknown collaboration method "${method}"`,
          oneOf('collaboration method', context.methodIds),
        )
      }
    })
  })

  // Terminals and outcomes
  track.steps.forEach((step, index) => {
    if (step.terminal && step.outcome === undefined) {
      report(
        ['steps', index, 'terminal'],
        `Terminal step "${step.id}" has no outcome`,
        `an outcome: one of ${OUTCOMES}`,
      )
    }
    if (!step.terminal && step.outcome !== undefined) {
      report(
        ['steps', index, 'outcome'],
        `Step "${step.id}" has outcome "${step.outcome}" but is not terminal`,
        'terminal: true, or no outcome',
      )
    }
  })
  const hasTerminal = track.steps.some((step) => step.terminal)
  if (!hasTerminal) {
    report(
      ['steps'],
      'The track has no terminal step, so no proposal could ever end',
      'at least one step with terminal: true and an outcome',
    )
  }

  // The graph, from the initial step (only meaningful when the initial step exists)
  if (knownSteps.has(track.initial)) {
    const reachable = reachableFrom(track, track.initial)
    const canEnd = statesThatCanEnd(track)
    const hasWayOut = new Set(track.transitions.flatMap(sourcesOf))
    track.steps.forEach((step, index) => {
      if (!reachable.has(step.id)) {
        report(
          ['steps', index, 'id'],
          `Step "${step.id}" cannot be reached from the initial step "${track.initial}"`,
          `a transition into "${step.id}" from a reachable step, or no such step`,
        )
      } else if (!step.terminal && !hasWayOut.has(step.id)) {
        report(
          ['steps', index, 'id'],
          `Step "${step.id}" is not terminal but no transition leaves it`,
          `a transition from "${step.id}", or terminal: true with an outcome`,
        )
      } else if (hasTerminal && !canEnd.has(step.id)) {
        report(
          ['steps', index, 'id'],
          `No terminal step can be reached from step "${step.id}", so a proposal there could never end`,
          `a path of transitions from "${step.id}" to a terminal step`,
        )
      }
    })
  }

  // Who may take each transition
  track.transitions.forEach((transition, index) => {
    const matrixPosition = transition.by.indexOf('matrix')
    if (matrixPosition >= 0) {
      checkMatrixTransition(
        transition,
        ['transitions', index],
        matrixPosition,
        stepById.get(transition.to)?.phase,
        context,
        report,
      )
    }
  })

  // Platform rules: refusals carry a reason and are answered to the proposer
  track.transitions.forEach((transition, index) => {
    const outcome = stepById.get(transition.to)?.outcome
    const refuses = outcome !== undefined && REFUSING_OUTCOMES.has(outcome)
    if (refuses && !transition.requires.includes('reason')) {
      report(
        ['transitions', index, 'requires'],
        `Transition "${transition.id}" ends the proposal as "${outcome}" without requiring a reason`,
        'requires to include "reason"',
      )
    }
    if ((refuses || transition.isEarlyAnswer) && !transition.notifiesProposer) {
      report(
        ['transitions', index, 'notifiesProposer'],
        `Transition "${transition.id}" ${refuses ? `ends the proposal as "${outcome}"` : 'is an early answer'} but does not notify the proposer`,
        'notifiesProposer: true',
      )
    }
  })

  return problems
}

/**
 * `by: matrix` lets the parties involved in the target step's phase take the
 * transition, so it needs a matrix, a phase on the target, and at least one
 * method for which some party is involved enough — otherwise it is dead.
 */
function checkMatrixTransition(
  transition: Transition,
  path: (string | number)[],
  matrixPosition: number,
  targetPhase: string | undefined,
  context: TrackValidationContext,
  report: (path: (string | number)[], message: string, expected: string) => void,
): void {
  const byPath = [...path, 'by', matrixPosition]
  const { roleMatrix } = context
  if (!roleMatrix) {
    report(
      byPath,
      `Transition "${transition.id}" is taken by "matrix" but the city has no role matrix`,
      `lane names (${LANES}), or a role matrix`,
    )
    return
  }
  const phaseIds = roleMatrix.phases.map((phase) => phase.id)
  if (targetPhase === undefined) {
    report(
      byPath,
      `Transition "${transition.id}" is taken by "matrix" but its target step "${transition.to}" has no phase`,
      `a phase on step "${transition.to}" (${oneOf('role-matrix phase', phaseIds)}), or lane names in by`,
    )
    return
  }
  if (!phaseIds.includes(targetPhase)) return // reported on the step itself
  // A lane in `by` keeps the transition alive whatever the matrix says.
  if (transition.by.some((entry) => entry !== 'matrix')) return

  const minimum = transition.minimumInvolvement
  const somePartyQualifies = (method: string) =>
    roleMatrix.cells.some(
      (cell) =>
        cell.method === method &&
        cell.phase === targetPhase &&
        roleMatrix.parties.some((party) => isAtLeast(cell[party], minimum)),
    )
  const expectedCell = (method: string) =>
    `a role-matrix cell for "${method}" × "${targetPhase}" giving the desk or the department at least "${minimum}", or a lane in by`
  if (transition.methods) {
    transition.methods.forEach((method, position) => {
      if (context.methodIds.includes(method) && !somePartyQualifies(method)) {
        report(
          [...path, 'methods', position],
          `Transition "${transition.id}" can never be taken for method "${method}": no party is involved at least "${minimum}" in phase "${targetPhase}"`,
          expectedCell(method),
        )
      }
    })
  } else if (!matrixMethods(roleMatrix).some(somePartyQualifies)) {
    report(
      byPath,
      `Transition "${transition.id}" can never be taken: for no method is a party involved at least "${minimum}" in phase "${targetPhase}"`,
      `a role-matrix cell for phase "${targetPhase}" giving a party at least "${minimum}", a lower minimumInvolvement (${involvementSchema.options.join(', ')}), or a lane in by`,
    )
  }
}

/** Calls `onDuplicate` for every id after its first occurrence. */
function reportDuplicates(
  ids: readonly string[],
  onDuplicate: (index: number, id: string, firstIndex: number) => void,
): void {
  const firstIndexOf = new Map<string, number>()
  ids.forEach((id, index) => {
    const firstIndex = firstIndexOf.get(id)
    if (firstIndex === undefined) firstIndexOf.set(id, index)
    else onDuplicate(index, id, firstIndex)
  })
}

/**
 * Problems of a role matrix against the city's collaboration methods: unknown
 * methods and phases, the same cell twice, duplicate phases or parties, and
 * methods without any row (their matrix transitions could never be taken).
 */
export function validateRoleMatrix(roleMatrix: RoleMatrix, methodIds: string[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = []
  const report = (path: (string | number)[], message: string, expected: string) =>
    problems.push({ path, message, expected })
  const phaseIds = roleMatrix.phases.map((phase) => phase.id)

  reportDuplicates(roleMatrix.parties, (index, party) =>
    report(
      ['parties', index],
      `Party "${party}" is listed twice`,
      'each party (desk, department) at most once',
    ),
  )
  reportDuplicates(phaseIds, (index, id, firstIndex) =>
    report(
      ['phases', index, 'id'],
      `Phase id "${id}" is already used by phase ${firstIndex}`,
      'a phase id unique within the matrix',
    ),
  )
  roleMatrix.cells.forEach((cell, index) => {
    if (!methodIds.includes(cell.method)) {
      report(
        ['cells', index, 'method'],
        `Cell ${index} names unknown collaboration method "${cell.method}"`,
        oneOf('collaboration method', methodIds),
      )
    }
    if (!phaseIds.includes(cell.phase)) {
      report(
        ['cells', index, 'phase'],
        `Cell ${index} names unknown phase "${cell.phase}"`,
        oneOf('role-matrix phase', phaseIds),
      )
    }
  })
  reportDuplicates(
    roleMatrix.cells.map((cell) => `${cell.method} × ${cell.phase}`),
    (index, key, firstIndex) =>
      report(
        ['cells', index],
        `The cell for ${key} is already declared by cell ${firstIndex}`,
        'one cell per method and phase',
      ),
  )
  const methodsWithCells = new Set(matrixMethods(roleMatrix))
  const methodsWithoutCells = methodIds.filter((method) => !methodsWithCells.has(method))
  if (methodsWithoutCells.length > 0) {
    report(
      ['cells'],
      `The role matrix has no cell for collaboration method${methodsWithoutCells.length > 1 ? 's' : ''} ${quoted(methodsWithoutCells)}`,
      'at least one cell for every collaboration method of the city',
    )
  }
  return problems
}
