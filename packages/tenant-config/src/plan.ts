import type { TenantConfig } from './schema'

/**
 * The dry-run plan of applying a tenant file: what is new, which fields
 * change, how each workflow changes, and whether existing proposals would be
 * left in a state the new file no longer has. Pure: the caller supplies the
 * configuration now applied and the number of proposals per track and state.
 */

/** Proposals per track and state, e.g. `{ partnership: { intake: 3 } }`. */
export type ProposalCounts = Record<string, Record<string, number>>

/**
 * Where proposals in a removed state go, per track: `{ review: { screening: 'intake' } }`.
 * Given by the operator with the apply request (`--map review.screening=intake`),
 * not in the tenant file: it describes one migration, not the city.
 */
export type StateMapping = Record<string, Record<string, string>>

export type FieldChange = {
  path: string
  kind: 'added' | 'removed' | 'changed'
  before?: unknown
  after?: unknown
}

export type WorkflowChange = {
  track: string
  kind: 'added' | 'removed' | 'changed'
  addedSteps: string[]
  removedSteps: string[]
  addedTransitions: string[]
  removedTransitions: string[]
}

export type StateMove = { track: string; from: string; to: string; proposals: number }
export type StrandedState = { track: string; state: string; proposals: number }

export type TenantPlan = {
  slug: string
  kind: 'create' | 'update' | 'unchanged'
  changes: FieldChange[]
  workflow: WorkflowChange[]
  /** Proposals the mapping moves to a state the new file has. */
  moves: StateMove[]
  /** Proposals left in a removed state (or track) with no mapping: the plan is refused. */
  stranded: StrandedState[]
  /** Mapping entries that cannot be used (unknown target, state not removed…). */
  mappingProblems: string[]
  /** True when the plan may be applied. */
  applicable: boolean
}

type Json = unknown

const isRecord = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const hasIds = (list: Json[]): list is { id: string }[] =>
  list.length > 0 && list.every((item) => isRecord(item) && typeof item.id === 'string')

/** Lists of things with ids are compared by id (`tracks[review]`), other lists by position. */
function diffValues(before: Json, after: Json, path: string, out: FieldChange[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return
  if (before === undefined) return void out.push({ path, kind: 'added', after })
  if (after === undefined) return void out.push({ path, kind: 'removed', before })
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)]))
      diffValues(before[key], after[key], path ? `${path}.${key}` : key, out)
    return
  }
  if (Array.isArray(before) && Array.isArray(after) && hasIds(before) && hasIds(after)) {
    const beforeById = new Map(before.map((item) => [item.id, item]))
    const afterById = new Map(after.map((item) => [item.id, item]))
    for (const id of new Set([...beforeById.keys(), ...afterById.keys()]))
      diffValues(beforeById.get(id), afterById.get(id), `${path}[${id}]`, out)
    return
  }
  out.push({ path, kind: 'changed', before, after })
}

const ids = (list: { id: string }[]) => new Set(list.map((item) => item.id))
const minus = (a: Set<string>, b: Set<string>) => [...a].filter((id) => !b.has(id))

function diffWorkflows(current: TenantConfig, next: TenantConfig): WorkflowChange[] {
  const currentTracks = new Map(current.tracks.map((track) => [track.id, track]))
  const nextTracks = new Map(next.tracks.map((track) => [track.id, track]))
  const changes: WorkflowChange[] = []
  for (const id of new Set([...currentTracks.keys(), ...nextTracks.keys()])) {
    const before = currentTracks.get(id)
    const after = nextTracks.get(id)
    const steps = [ids(before?.steps ?? []), ids(after?.steps ?? [])] as const
    const transitions = [ids(before?.transitions ?? []), ids(after?.transitions ?? [])] as const
    const change: WorkflowChange = {
      track: id,
      kind: !before ? 'added' : !after ? 'removed' : 'changed',
      addedSteps: minus(steps[1], steps[0]),
      removedSteps: minus(steps[0], steps[1]),
      addedTransitions: minus(transitions[1], transitions[0]),
      removedTransitions: minus(transitions[0], transitions[1]),
    }
    if (change.kind !== 'changed' || JSON.stringify(before) !== JSON.stringify(after)) changes.push(change)
  }
  return changes
}

/** Checks every proposal's state against the new file, moving what the mapping maps. */
function placeProposals(next: TenantConfig, counts: ProposalCounts, mapping: StateMapping) {
  const stepsOf = new Map(next.tracks.map((track) => [track.id, ids(track.steps)]))
  const moves: StateMove[] = []
  const stranded: StrandedState[] = []
  const mappingProblems: string[] = []
  for (const [track, states] of Object.entries(counts)) {
    const steps = stepsOf.get(track)
    for (const [state, proposals] of Object.entries(states)) {
      if (proposals === 0 || steps?.has(state)) continue
      const to = mapping[track]?.[state]
      if (steps && to !== undefined && steps.has(to)) moves.push({ track, from: state, to, proposals })
      else stranded.push({ track, state, proposals })
    }
  }
  for (const [track, states] of Object.entries(mapping)) {
    const steps = stepsOf.get(track)
    for (const [from, to] of Object.entries(states)) {
      if (!steps) mappingProblems.push(`${track}.${from}=${to}: the track "${track}" is not in the new file`)
      else if (!steps.has(to))
        mappingProblems.push(`${track}.${from}=${to}: "${to}" is not a step of "${track}"`)
      else if (steps.has(from))
        mappingProblems.push(`${track}.${from}=${to}: "${from}" is still a step of "${track}"`)
    }
  }
  return { moves, stranded, mappingProblems }
}

export function planTenantChange(options: {
  current: TenantConfig | null
  next: TenantConfig
  proposals?: ProposalCounts
  stateMapping?: StateMapping
}): TenantPlan {
  const { current, next } = options
  if (!current) {
    return {
      slug: next.slug,
      kind: 'create',
      changes: [],
      workflow: diffWorkflows({ ...next, tracks: [] }, next),
      moves: [],
      stranded: [],
      mappingProblems: [],
      applicable: true,
    }
  }
  const changes: FieldChange[] = []
  const { tracks: currentTracks, ...currentRest } = current
  const { tracks: nextTracks, ...nextRest } = next
  // Tracks are summarised as workflow changes; their labels and texts are still listed as fields.
  diffValues(currentRest, nextRest, '', changes)
  diffValues(currentTracks, nextTracks, 'tracks', changes)
  const workflow = diffWorkflows(current, next)
  const placed = placeProposals(next, options.proposals ?? {}, options.stateMapping ?? {})
  return {
    slug: next.slug,
    kind: changes.length === 0 ? 'unchanged' : 'update',
    changes,
    workflow,
    ...placed,
    applicable: placed.stranded.length === 0 && placed.mappingProblems.length === 0,
  }
}

/** Parses `track.state=new_state` entries (the CLI's `--map`, the console's mapping field, one per line). */
export function parseStateMapping(entries: readonly string[]): { mapping: StateMapping; problems: string[] } {
  const mapping: StateMapping = {}
  const problems: string[] = []
  for (const raw of entries.map((entry) => entry.trim()).filter(Boolean)) {
    const match = /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)=([a-z][a-z0-9_]*)$/.exec(raw)
    if (!match) {
      problems.push(`${raw}: expected track.old_state=new_state, e.g. partnership.screening=intake`)
      continue
    }
    const [, track, from, to] = match as unknown as [string, string, string, string]
    mapping[track] = { ...mapping[track], [from]: to }
  }
  return { mapping, problems }
}

/** The plan as plain lines, for the CLI (the console renders the same data). */
export function formatPlan(plan: TenantPlan): string[] {
  const show = (value: unknown) =>
    typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? '')
  const lines = [
    `${plan.kind === 'create' ? 'new city' : plan.kind === 'update' ? 'update' : 'no change'}: ${plan.slug}`,
  ]
  for (const change of plan.changes) {
    if (change.kind === 'added') lines.push(`  + ${change.path}: ${show(change.after)}`)
    else if (change.kind === 'removed') lines.push(`  - ${change.path}: ${show(change.before)}`)
    else lines.push(`  ~ ${change.path}: ${show(change.before)} → ${show(change.after)}`)
  }
  for (const track of plan.workflow) {
    lines.push(`  workflow ${track.track} (${track.kind})`)
    const list = (label: string, items: string[]) =>
      items.length && lines.push(`    ${label}: ${items.join(', ')}`)
    list('steps added', track.addedSteps)
    list('steps removed', track.removedSteps)
    list('transitions added', track.addedTransitions)
    list('transitions removed', track.removedTransitions)
  }
  for (const move of plan.moves)
    lines.push(`  move ${move.proposals} proposal(s) of ${move.track} from ${move.from} to ${move.to}`)
  for (const stranded of plan.stranded)
    lines.push(
      `  REFUSED: ${stranded.proposals} proposal(s) in ${stranded.track}.${stranded.state}, which the file removes; map it with --map ${stranded.track}.${stranded.state}=<step>`,
    )
  for (const problem of plan.mappingProblems) lines.push(`  REFUSED: mapping ${problem}`)
  return lines
}
