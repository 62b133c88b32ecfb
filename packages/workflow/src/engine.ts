import type { Lane, Outcome, Requirement, RoleMatrix, Step, Track, Transition } from './definition'
import {
  cellFor,
  involvementFor,
  involvementSymbol,
  isAtLeast,
  matrixMethods,
  type Party,
  type PartyInvolvement,
} from './involvement'
import {
  validateRequirements,
  type RequirementIssue,
  type TransitionInput,
  type ValidatedInput,
} from './requirements'
import { sourcesOf, stepOf, transitionOf, transitionsFrom } from './track'

/**
 * The engine: who may move a proposal along its track, and what it takes.
 * Pure functions over a track definition; the caller loads the proposal,
 * knows who the actor is (and that a proposer owns the proposal), and
 * persists the result.
 */

export type ActorKind = Lane

export interface Actor {
  kind: ActorKind
  /** For department staff: the department they act for. */
  departmentId?: string
}

export interface ProposalState {
  state: string
  /** Chosen during the process; drives the role matrix. */
  collaborationMethod?: string | null
  /** Departments assigned to the proposal; once any are, only they act as "department". */
  departments?: readonly string[]
}

export type WorkflowError =
  | { code: 'unknown_state'; state: string; message: string }
  | { code: 'unknown_transition'; transitionId: string; message: string }
  | { code: 'terminal_state'; state: string; outcome: Outcome | undefined; message: string }
  | { code: 'not_from_this_state'; transitionId: string; state: string; from: string[]; message: string }
  | {
      code: 'actor_not_allowed'
      transitionId: string
      actor: Actor
      reason: 'department_not_assigned' | 'not_permitted'
      by: Transition['by']
      message: string
    }
  | {
      code: 'method_not_applicable'
      transitionId: string
      method: string | null
      methods: string[]
      message: string
    }
  | {
      code: 'missing_requirement'
      transitionId: string
      requirements: Requirement[]
      issues: RequirementIssue[]
      message: string
    }

export type WorkflowErrorCode = WorkflowError['code']

export type TransitionCheck =
  | {
      ok: true
      transition: Transition
      /** The target state. */
      to: string
      step: Step
      /** Set when the target step ends the proposal. */
      outcome: Outcome | undefined
      notifiesProposer: boolean
      isEarlyAnswer: boolean
      /** The required input, validated and trimmed; nothing that was not required. */
      input: ValidatedInput
      /** The proposal as it is after the transition: state, method and departments. */
      next: Required<Pick<ProposalState, 'state' | 'collaborationMethod' | 'departments'>>
    }
  | { ok: false; error: WorkflowError }

/** A transition that requires `collaboration_method` sets the method; the matrix is read for the chosen one. */
function choosesMethod(transition: Transition): boolean {
  return transition.requires.includes('collaboration_method')
}

function methodApplies(transition: Transition, method: string | null | undefined): boolean {
  return !transition.methods || (method != null && transition.methods.includes(method))
}

/** Department staff act on a proposal only for a department assigned to it, once departments are assigned. */
function isAssignedDepartment(proposal: ProposalState, actor: Actor): boolean {
  if (actor.kind !== 'department' || !proposal.departments?.length) return true
  return actor.departmentId !== undefined && proposal.departments.includes(actor.departmentId)
}

/** The matrix allows a city party whose involvement in the target step's phase, for the method, is high enough. */
function matrixAllows(
  track: Track,
  transition: Transition,
  actor: Actor,
  method: string | null | undefined,
  roleMatrix: RoleMatrix | undefined,
): boolean {
  if (!transition.by.includes('matrix') || actor.kind === 'proposer' || !roleMatrix || method == null)
    return false
  const party: Party = actor.kind
  const phase = stepOf(track, transition.to)?.phase
  const cell = phase === undefined ? undefined : cellFor(roleMatrix, method, phase)
  return (
    cell !== undefined &&
    roleMatrix.parties.includes(party) &&
    isAtLeast(cell[party], transition.minimumInvolvement)
  )
}

/** Whether the actor's lane, or the matrix for `method`, lets them take the transition. */
function permits(
  track: Track,
  transition: Transition,
  actor: Actor,
  method: string | null | undefined,
  roleMatrix: RoleMatrix | undefined,
): boolean {
  return transition.by.includes(actor.kind) || matrixAllows(track, transition, actor, method, roleMatrix)
}

/**
 * The methods a transition that chooses the method may set: its `methods`,
 * else those of the role matrix. Undefined when neither constrains the choice
 * (the caller then offers the city's methods).
 */
function selectableMethods(transition: Transition, roleMatrix: RoleMatrix | undefined): string[] | undefined {
  return transition.methods ?? (roleMatrix ? matrixMethods(roleMatrix) : undefined)
}

/**
 * For a transition that chooses the collaboration method: the methods this
 * actor may choose when taking it (the matrix may let the desk conclude one
 * method and the department another). Undefined means no constraint: any of
 * the city's methods. Not meaningful for transitions that do not choose a method.
 */
export function methodChoices(
  track: Track,
  transition: Transition,
  actor: Actor,
  roleMatrix?: RoleMatrix,
): string[] | undefined {
  const selectable = selectableMethods(transition, roleMatrix)
  if (selectable === undefined) return undefined
  return selectable.filter((method) => permits(track, transition, actor, method, roleMatrix))
}

/** For a transition that chooses the method: whether the actor may take it with at least one method. */
function mayChooseSomeMethod(
  track: Track,
  transition: Transition,
  actor: Actor,
  roleMatrix: RoleMatrix | undefined,
): boolean {
  const choices = methodChoices(track, transition, actor, roleMatrix)
  return choices === undefined ? transition.by.includes(actor.kind) : choices.length > 0
}

function mayTake(
  track: Track,
  transition: Transition,
  proposal: ProposalState,
  actor: Actor,
  roleMatrix?: RoleMatrix,
): boolean {
  if (!isAssignedDepartment(proposal, actor)) return false
  if (choosesMethod(transition)) return mayChooseSomeMethod(track, transition, actor, roleMatrix)
  return (
    methodApplies(transition, proposal.collaborationMethod) &&
    permits(track, transition, actor, proposal.collaborationMethod, roleMatrix)
  )
}

/** The transitions the actor may take from the proposal's current state, in declaration order. */
export function availableTransitions(
  track: Track,
  proposal: ProposalState,
  actor: Actor,
  roleMatrix?: RoleMatrix,
): Transition[] {
  const step = stepOf(track, proposal.state)
  if (!step || step.terminal) return []
  return transitionsFrom(track, proposal.state).filter((transition) =>
    mayTake(track, transition, proposal, actor, roleMatrix),
  )
}

function refused(error: WorkflowError): TransitionCheck {
  return { ok: false, error }
}

function describeActor(actor: Actor): string {
  return actor.kind === 'department' && actor.departmentId
    ? `department "${actor.departmentId}"`
    : `the ${actor.kind}`
}

function actorNotAllowed(
  transition: Transition,
  actor: Actor,
  reason: 'department_not_assigned' | 'not_permitted',
  message: string,
): TransitionCheck {
  return refused({
    code: 'actor_not_allowed',
    transitionId: transition.id,
    actor,
    reason,
    by: transition.by,
    message,
  })
}

function methodNotApplicable(
  transition: Transition,
  method: string | null | undefined,
  methods: string[],
): TransitionCheck {
  return refused({
    code: 'method_not_applicable',
    transitionId: transition.id,
    method: method ?? null,
    methods,
    message:
      method == null
        ? `Transition "${transition.id}" applies only once a collaboration method (${methods.join(', ')}) is chosen`
        : `Transition "${transition.id}" does not apply to collaboration method "${method}"; it applies to ${methods.join(', ')}`,
  })
}

function notPermitted(
  transition: Transition,
  actor: Actor,
  method: string | null | undefined,
): TransitionCheck {
  const forMethod = method == null ? '' : ` for collaboration method "${method}"`
  return actorNotAllowed(
    transition,
    actor,
    'not_permitted',
    `${describeActor(actor)} may not take transition "${transition.id}"${forMethod} (taken by: ${transition.by.join(', ')}` +
      `${transition.by.includes('matrix') ? `, with at least "${transition.minimumInvolvement}" involvement in the phase of "${transition.to}"` : ''})`,
  )
}

/**
 * Checks that the actor may take `transitionId` now with this input, and says
 * where it leads. Errors come in a fixed order: the proposal's state, the
 * transition, the actor and method, then the requirements — so someone who may
 * not act is never told what acting would take.
 */
export function checkTransition(
  track: Track,
  proposal: ProposalState,
  actor: Actor,
  transitionId: string,
  input: TransitionInput,
  roleMatrix?: RoleMatrix,
): TransitionCheck {
  const current = stepOf(track, proposal.state)
  if (!current) {
    return refused({
      code: 'unknown_state',
      state: proposal.state,
      message: `State "${proposal.state}" is not a step of track "${track.id}"`,
    })
  }
  const transition = transitionOf(track, transitionId)
  if (!transition) {
    return refused({
      code: 'unknown_transition',
      transitionId,
      message: `Track "${track.id}" has no transition "${transitionId}"`,
    })
  }
  if (current.terminal) {
    return refused({
      code: 'terminal_state',
      state: current.id,
      outcome: current.outcome,
      message: `The proposal has ended in "${current.id}"${current.outcome ? ` (${current.outcome})` : ''}; no transition leaves it`,
    })
  }
  const from = sourcesOf(transition)
  if (!from.includes(current.id)) {
    return refused({
      code: 'not_from_this_state',
      transitionId,
      state: current.id,
      from,
      message: `Transition "${transitionId}" starts from ${from.map((id) => `"${id}"`).join(' or ')}, not from "${current.id}"`,
    })
  }
  if (!isAssignedDepartment(proposal, actor)) {
    return actorNotAllowed(
      transition,
      actor,
      'department_not_assigned',
      `${describeActor(actor)} is not assigned to this proposal (assigned: ${proposal.departments?.join(', ')})`,
    )
  }

  const { values, issues } = validateRequirements(transition, input)
  let method = proposal.collaborationMethod ?? null
  if (choosesMethod(transition)) {
    if (!mayChooseSomeMethod(track, transition, actor, roleMatrix))
      return notPermitted(transition, actor, null)
    if (values.collaborationMethod !== undefined) {
      method = values.collaborationMethod
      const selectable = selectableMethods(transition, roleMatrix)
      if (selectable && !selectable.includes(method))
        return methodNotApplicable(transition, method, selectable)
      if (!permits(track, transition, actor, method, roleMatrix))
        return notPermitted(transition, actor, method)
    }
  } else {
    if (!methodApplies(transition, method))
      return methodNotApplicable(transition, method, transition.methods ?? [])
    if (!permits(track, transition, actor, method, roleMatrix)) return notPermitted(transition, actor, method)
  }

  if (issues.length > 0) {
    const requirements = [...new Set(issues.map((issue) => issue.requirement))]
    return refused({
      code: 'missing_requirement',
      transitionId,
      requirements,
      issues,
      message: `Transition "${transitionId}" needs: ${issues.map((issue) => issue.message).join('; ')}`,
    })
  }

  // A valid track has no transition into an unknown step; an invalid one fails here rather than corrupt the proposal.
  const target = stepOf(track, transition.to)
  if (!target) {
    return refused({
      code: 'unknown_state',
      state: transition.to,
      message: `Transition "${transitionId}" leads to "${transition.to}", which is not a step of track "${track.id}"`,
    })
  }
  return {
    ok: true,
    transition,
    to: target.id,
    step: target,
    outcome: target.terminal ? target.outcome : undefined,
    notifiesProposer: transition.notifiesProposer,
    isEarlyAnswer: transition.isEarlyAnswer,
    input: values,
    next: {
      state: target.id,
      collaborationMethod: method,
      departments: values.departments ?? proposal.departments ?? [],
    },
  }
}

export type StepLead =
  | {
      /** No matrix applies (no phase, no matrix, no method yet, or no row): the step's lane leads. */
      source: 'lane'
      stepId: string
      lane: Lane
      leads: Lane[]
    }
  | {
      source: 'matrix'
      stepId: string
      lane: Lane
      phase: string
      method: string
      involvement: PartyInvolvement
      symbols: { desk: string; department: string }
      /** The parties marked ◎; the step's lane when the row marks nobody as lead. */
      leads: Lane[]
    }

/**
 * Who leads the proposal's current step: from the role matrix when the step has
 * a phase and the proposal a method the matrix lists for that phase, otherwise
 * the step's lane. Undefined for an unknown state.
 */
export function leadOf(track: Track, proposal: ProposalState, roleMatrix?: RoleMatrix): StepLead | undefined {
  const step = stepOf(track, proposal.state)
  if (!step) return undefined
  const method = proposal.collaborationMethod
  const phase = step.phase
  if (!roleMatrix || method == null || phase === undefined || !cellFor(roleMatrix, method, phase)) {
    return { source: 'lane', stepId: step.id, lane: step.lane, leads: [step.lane] }
  }
  const involvement = involvementFor(roleMatrix, method, phase)
  const parties: Party[] = ['desk', 'department']
  const leads = parties.filter((party) => involvement[party] === 'lead')
  return {
    source: 'matrix',
    stepId: step.id,
    lane: step.lane,
    phase,
    method,
    involvement,
    symbols: {
      desk: involvementSymbol[involvement.desk],
      department: involvementSymbol[involvement.department],
    },
    leads: leads.length > 0 ? leads : [step.lane],
  }
}
