import type { Lane, LocalizedText, Outcome, Requirement, Step, Track, Transition } from './definition'
import { reachableFrom, sourcesOf } from './track'

/**
 * A layout-neutral model of a track's flow chart. The portal renders it as a
 * grid — lanes as columns, rows top to bottom — in HTML/SVG, and reads the same
 * rows out as the text equivalent, so both say the same thing.
 */
export interface FlowDiagram {
  trackId: string
  label: LocalizedText
  /** Column order, as the track declares its lanes. */
  lanes: Lane[]
  initial: string
  /** Top to bottom. Each step appears in exactly one row; a row holds at most one step per lane, so it maps onto a lane grid. */
  rows: FlowRow[]
}

export interface FlowRow {
  /**
   * The longest distance from the initial step, ignoring loops back; steps that
   * cannot be reached come last. Steps of one rank in the same lane take
   * consecutive rows with the same rank.
   */
  rank: number
  /** Steps of this row in declaration order, each in a different lane. */
  steps: FlowNode[]
}

export interface FlowNode {
  id: string
  label: LocalizedText
  description?: LocalizedText
  lane: Lane
  phase?: string
  optional: boolean
  terminal: boolean
  outcome?: Outcome
  produces: Step['produces']
  /** False only in an invalid track: drawn apart so the author sees it. */
  reachable: boolean
  edges: FlowEdge[]
}

export interface FlowEdge {
  transitionId: string
  label: LocalizedText
  to: string
  /** `back` edges return to a step at the same or an earlier row (a loop), and are drawn as such. */
  direction: 'forward' | 'back'
  by: Transition['by']
  methods?: string[]
  requires: Requirement[]
  notifiesProposer: boolean
  isEarlyAnswer: boolean
}

/**
 * Orders the steps from the initial one: a step's rank is the longest path to
 * it once the loops back are set aside, so every forward arrow points down.
 * Ties keep declaration order, so the same file always gives the same chart.
 * Edges to steps the track does not have (an invalid track) are left out.
 */
export function flowDiagram(track: Track): FlowDiagram {
  const declarationIndex = new Map(track.steps.map((step, index) => [step.id, index]))
  const reachable = declarationIndex.has(track.initial)
    ? reachableFrom(track, track.initial)
    : new Set<string>()
  const forwardEdges = forwardEdgesFrom(track, reachable)
  const rankOf = longestPathRanks(track, reachable, forwardEdges, declarationIndex)
  const unreachableRank = Math.max(-1, ...rankOf.values()) + 1

  const rows: FlowRow[] = []
  const byRank = (a: Step, b: Step) =>
    (rankOf.get(a.id) ?? unreachableRank) - (rankOf.get(b.id) ?? unreachableRank) ||
    (declarationIndex.get(a.id) ?? 0) - (declarationIndex.get(b.id) ?? 0)
  for (const step of [...track.steps].sort(byRank)) {
    const rank = rankOf.get(step.id) ?? unreachableRank
    const node = toNode(track, step, reachable.has(step.id), forwardEdges, declarationIndex)
    const row = rows.find(
      (candidate) => candidate.rank === rank && candidate.steps.every((other) => other.lane !== step.lane),
    )
    if (row) row.steps.push(node)
    else rows.push({ rank, steps: [node] })
  }
  return { trackId: track.id, label: track.label, lanes: track.lanes, initial: track.initial, rows }
}

function toNode(
  track: Track,
  step: Step,
  reachable: boolean,
  forwardEdges: Map<string, string[]>,
  declarationIndex: Map<string, number>,
): FlowNode {
  return {
    id: step.id,
    label: step.label,
    ...(step.description && { description: step.description }),
    lane: step.lane,
    ...(step.phase !== undefined && { phase: step.phase }),
    optional: step.optional,
    terminal: step.terminal,
    ...(step.outcome !== undefined && { outcome: step.outcome }),
    produces: step.produces,
    reachable,
    edges: track.transitions
      .filter((transition) => sourcesOf(transition).includes(step.id) && declarationIndex.has(transition.to))
      .map((transition) => ({
        transitionId: transition.id,
        label: transition.label,
        to: transition.to,
        direction: forwardEdges.get(step.id)?.includes(transition.to) ? 'forward' : 'back',
        by: transition.by,
        ...(transition.methods && { methods: transition.methods }),
        requires: transition.requires,
        notifiesProposer: transition.notifiesProposer,
        isEarlyAnswer: transition.isEarlyAnswer,
      })),
  }
}

/**
 * The edges that do not close a loop: a depth-first walk from the initial step,
 * in declaration order, sets aside each edge into a step still on the walk's
 * path. What remains is acyclic. Edges from unreachable steps count as forward
 * unless they loop onto themselves.
 */
function forwardEdgesFrom(track: Track, reachable: Set<string>): Map<string, string[]> {
  const targetsOf = new Map<string, string[]>()
  for (const transition of track.transitions) {
    for (const source of sourcesOf(transition))
      targetsOf.set(source, [...(targetsOf.get(source) ?? []), transition.to])
  }
  const forward = new Map<string, string[]>()
  const addForward = (from: string, to: string) => {
    const targets = forward.get(from) ?? []
    if (!targets.includes(to)) forward.set(from, [...targets, to])
  }
  const onPath = new Set<string>()
  const visited = new Set<string>()
  const visit = (state: string) => {
    visited.add(state)
    onPath.add(state)
    for (const next of targetsOf.get(state) ?? []) {
      if (onPath.has(next)) continue
      addForward(state, next)
      if (!visited.has(next)) visit(next)
    }
    onPath.delete(state)
  }
  if (reachable.has(track.initial)) visit(track.initial)
  for (const step of track.steps) {
    if (reachable.has(step.id)) continue
    for (const next of targetsOf.get(step.id) ?? []) if (next !== step.id) addForward(step.id, next)
  }
  return forward
}

/** Rank 0 for the initial step; every forward edge goes at least one rank down. Only reachable steps get a rank. */
function longestPathRanks(
  track: Track,
  reachable: Set<string>,
  forwardEdges: Map<string, string[]>,
  declarationIndex: Map<string, number>,
): Map<string, number> {
  const remainingIncoming = new Map<string, number>()
  for (const [from, targets] of forwardEdges) {
    if (!reachable.has(from)) continue
    for (const to of targets) remainingIncoming.set(to, (remainingIncoming.get(to) ?? 0) + 1)
  }
  if (!reachable.has(track.initial)) return new Map()
  const rankOf = new Map([[track.initial, 0]])
  // Kahn's algorithm, always taking the earliest-declared ready step, so equal inputs give equal charts.
  const ready = [track.initial]
  const byDeclaration = (a: string, b: string) =>
    (declarationIndex.get(a) ?? 0) - (declarationIndex.get(b) ?? 0)
  for (let state = ready.shift(); state !== undefined; state = ready.sort(byDeclaration).shift()) {
    const rank = rankOf.get(state) ?? 0
    for (const next of forwardEdges.get(state) ?? []) {
      rankOf.set(next, Math.max(rankOf.get(next) ?? 0, rank + 1))
      const left = (remainingIncoming.get(next) ?? 0) - 1
      remainingIncoming.set(next, left)
      if (left === 0) ready.push(next)
    }
  }
  return rankOf
}
