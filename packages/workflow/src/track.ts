import type { Outcome, Step, Track, Transition } from './definition'

/**
 * Read-only queries over a track's graph. Steps are the proposal's states;
 * transitions are its edges. None of these functions assume the track is
 * valid: an unknown state simply has no step, no outcome and no way out.
 */

/** The steps a transition may be taken from (`from` is a single id or a list). */
export function sourcesOf(transition: Transition): string[] {
  return typeof transition.from === 'string' ? [transition.from] : transition.from
}

export function stepOf(track: Track, state: string): Step | undefined {
  return track.steps.find((step) => step.id === state)
}

export function transitionOf(track: Track, transitionId: string): Transition | undefined {
  return track.transitions.find((transition) => transition.id === transitionId)
}

export function isTerminal(track: Track, state: string): boolean {
  return stepOf(track, state)?.terminal === true
}

/** The outcome a terminal state ends the proposal with; undefined while the proposal is open. */
export function outcomeOf(track: Track, state: string): Outcome | undefined {
  const step = stepOf(track, state)
  return step?.terminal ? step.outcome : undefined
}

/** Transitions leaving `state`, in declaration order, regardless of who may take them. */
export function transitionsFrom(track: Track, state: string): Transition[] {
  return track.transitions.filter((transition) => sourcesOf(transition).includes(state))
}

/** The distinct steps one transition away from `state`, in declaration order. */
export function nextSteps(track: Track, state: string): Step[] {
  const targets = new Set(transitionsFrom(track, state).map((transition) => transition.to))
  return track.steps.filter((step) => targets.has(step.id))
}

/** Outcomes that end a proposal without it going ahead: not what anyone works towards. */
const setbackOutcomes: ReadonlySet<string> = new Set(['declined', 'not_accepted', 'withdrawn'])

/**
 * The next steps on the way forward: the next steps without the endings in
 * refusal or withdrawal (受付不可, 回答受領（不可の場合）, 取り下げ), which are
 * possible turns, not the proposal's next stage.
 */
export function forwardNextSteps(track: Track, state: string): Step[] {
  return nextSteps(track, state).filter((step) => !(step.terminal && step.outcome && setbackOutcomes.has(step.outcome)))
}

/** Every state reachable from `start` (including it) by following transitions forwards. */
export function reachableFrom(track: Track, start: string): Set<string> {
  const successors = successorMap(track)
  const reached = new Set([start])
  const pending = [start]
  for (let state = pending.pop(); state !== undefined; state = pending.pop()) {
    for (const next of successors.get(state) ?? []) {
      if (!reached.has(next)) {
        reached.add(next)
        pending.push(next)
      }
    }
  }
  return reached
}

/** Every state from which some terminal step can be reached (terminal steps included). */
export function statesThatCanEnd(track: Track): Set<string> {
  const predecessors = new Map<string, string[]>()
  for (const transition of track.transitions) {
    for (const source of sourcesOf(transition)) {
      predecessors.set(transition.to, [...(predecessors.get(transition.to) ?? []), source])
    }
  }
  const terminals = track.steps.filter((step) => step.terminal).map((step) => step.id)
  const canEnd = new Set(terminals)
  const pending = [...terminals]
  for (let state = pending.pop(); state !== undefined; state = pending.pop()) {
    for (const previous of predecessors.get(state) ?? []) {
      if (!canEnd.has(previous)) {
        canEnd.add(previous)
        pending.push(previous)
      }
    }
  }
  return canEnd
}

/** State → the targets of its outgoing transitions, each listed once, in declaration order. */
export function successorMap(track: Track): Map<string, string[]> {
  const successors = new Map<string, string[]>()
  for (const transition of track.transitions) {
    for (const source of sourcesOf(transition)) {
      const targets = successors.get(source) ?? []
      if (!targets.includes(transition.to)) targets.push(transition.to)
      successors.set(source, targets)
    }
  }
  return successors
}
