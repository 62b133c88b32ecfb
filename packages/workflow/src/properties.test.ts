import { existsSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { roleMatrixSchema, trackSchema, type Track } from './definition'
import { availableTransitions, checkTransition, methodChoices, type ProposalState } from './engine'
import { flowCityFixture } from './fixtures/flow-city'
import type { WorkflowFixture } from './fixtures/fixture'
import { matrixCityFixture } from './fixtures/matrix-city'
import { actorPool, applyMove, explore, inputSatisfying } from './fixtures/walk'
import { requirementsOf } from './requirements'
import { sourcesOf, statesThatCanEnd, stepOf } from './track'
import { validateRoleMatrix, validateTrackDefinition, type DefinitionProblem } from './validate'

/**
 * Properties every runnable track has, checked over the fixtures that mirror
 * both guidelines and, once they exist, over the real tenant files.
 */

const tenantsDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../../../tenants')
/** The real city files this suite expects; the block runs for every tenant file found. */
const EXPECTED_TENANT_FILES = ['komatsu.yaml', 'aomori.yaml']

type RealCities = { fixtures: WorkflowFixture[]; problems: Record<string, unknown[]> }

/**
 * Loads tenants/*.yaml through @desk/tenant-config. The files and the loader
 * are part of the product: one missing fails this suite instead of skipping it.
 */
async function loadRealCities(): Promise<RealCities> {
  const missing = EXPECTED_TENANT_FILES.filter((file) => !existsSync(join(tenantsDirectory, file)))
  if (missing.length > 0) throw new Error(`tenants/${missing.join(', tenants/')} missing`)
  // A variable specifier keeps this package free of a build-time dependency on the package that depends on it.
  const specifier = '@desk/tenant-config'
  const { loadTenantFile } = (await import(/* @vite-ignore */ specifier)) as { loadTenantFile?: unknown }
  if (typeof loadTenantFile !== 'function') throw new Error(`${specifier} does not export loadTenantFile`)

  const fixtures: WorkflowFixture[] = []
  const problems: Record<string, unknown[]> = {}
  const files = readdirSync(tenantsDirectory).filter((file) => /^[a-z][a-z0-9-]*\.ya?ml$/.test(file))
  for (const file of files) {
    const result = await loadTenantFile(join(tenantsDirectory, file))
    if (!result.ok) {
      problems[file] = result.problems
      continue
    }
    const config = result.tenant.config as {
      tracks: unknown[]
      roleMatrix?: unknown
      collaborationMethods: { id: string }[]
      proposalTypes: { id: string }[]
    }
    fixtures.push({
      name: `tenants/${file}`,
      tracks: config.tracks.map((track) => trackSchema.parse(track)),
      ...(config.roleMatrix !== undefined && { roleMatrix: roleMatrixSchema.parse(config.roleMatrix) }),
      methodIds: config.collaborationMethods.map((method) => method.id),
      proposalTypeIds: config.proposalTypes.map((type) => type.id),
    })
  }
  return { fixtures, problems }
}

const realCities = await loadRealCities()

/** The graph problems the validator must find, computed independently by fixed-point iteration. */
function expectedGraphProblems(track: Track): string[] {
  const stepIds = new Set(track.steps.map((step) => step.id))
  if (!stepIds.has(track.initial)) return []
  const edges = track.transitions.flatMap((transition) =>
    sourcesOf(transition)
      .map((from) => [from, transition.to] as const)
      .filter(([, to]) => stepIds.has(to)),
  )
  const reachable = new Set([track.initial])
  const canEnd = new Set(track.steps.filter((step) => step.terminal).map((step) => step.id))
  for (let changed = true; changed;) {
    changed = false
    for (const [from, to] of edges) {
      if (reachable.has(from) && !reachable.has(to)) {
        reachable.add(to)
        changed = true
      }
      if (canEnd.has(to) && !canEnd.has(from)) {
        canEnd.add(from)
        changed = true
      }
    }
  }
  const hasWayOut = new Set(track.transitions.flatMap(sourcesOf))
  const hasTerminal = track.steps.some((step) => step.terminal)
  return track.steps.flatMap((step, index) => {
    if (!reachable.has(step.id)) return [`${index}:unreachable`]
    if (!step.terminal && !hasWayOut.has(step.id)) return [`${index}:no way out`]
    if (hasTerminal && !canEnd.has(step.id)) return [`${index}:cannot end`]
    return []
  })
}

function graphProblemsFound(problems: DefinitionProblem[]): string[] {
  const kinds: [RegExp, string][] = [
    [/cannot be reached from the initial step/, 'unreachable'],
    [/is not terminal but no transition leaves it/, 'no way out'],
    [/^No terminal step can be reached/, 'cannot end'],
  ]
  return problems.flatMap((problem) => {
    const kind = kinds.find(([pattern]) => pattern.test(problem.message))?.[1]
    return kind && problem.path[0] === 'steps' ? [`${problem.path[1]}:${kind}`] : []
  })
}

function startStates(fixture: WorkflowFixture, track: Track): ProposalState[] {
  return [null, ...fixture.methodIds].map((collaborationMethod) => ({
    state: track.initial,
    collaborationMethod,
    departments: [],
  }))
}

function trackProperties(fixture: WorkflowFixture, track: Track): void {
  const context = {
    roleMatrix: fixture.roleMatrix,
    methodIds: fixture.methodIds,
    proposalTypeIds: fixture.proposalTypeIds,
  }
  const methodOrNone = fc.constantFrom<(string | null)[]>(null, ...fixture.methodIds)
  const explorations = startStates(fixture, track).map((start) => explore(fixture, track, start))
  const reachedConfigurations = explorations.flatMap((exploration) => exploration.reached)

  it('has no definition problem', () => {
    expect(validateTrackDefinition(track, context)).toEqual([])
  })

  it('never leaves anyone stuck, and can end from every configuration a proposal can reach', () => {
    for (const exploration of explorations) {
      expect(exploration.stuck).toEqual([])
      expect(exploration.cannotEnd).toEqual([])
    }
    const terminalsReached = new Set(
      reachedConfigurations
        .map((proposal) => proposal.state)
        .filter((state) => stepOf(track, state)?.terminal),
    )
    expect([...terminalsReached].sort()).toEqual(
      track.steps
        .filter((step) => step.terminal)
        .map((step) => step.id)
        .sort(),
    )
  })

  it('random walks by random actors stay on defined states, never leave a terminal one, and can always still end', () => {
    const canEnd = statesThatCanEnd(track)
    fc.assert(
      fc.property(
        methodOrNone,
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 80 }),
        (startMethod, choices) => {
          let proposal: ProposalState = {
            state: track.initial,
            collaborationMethod: startMethod,
            departments: [],
          }
          for (const [actorChoice, transitionChoice, methodChoice] of choices) {
            const step = stepOf(track, proposal.state)
            expect(step).toBeDefined()
            expect(canEnd.has(proposal.state)).toBe(true)
            if (step?.terminal) {
              for (const actor of actorPool)
                expect(availableTransitions(track, proposal, actor, fixture.roleMatrix)).toEqual([])
              for (const transition of track.transitions) {
                const result = checkTransition(
                  track,
                  proposal,
                  actorPool[0]!,
                  transition.id,
                  inputSatisfying(transition, null),
                  fixture.roleMatrix,
                )
                expect(result).toMatchObject({ ok: false, error: { code: 'terminal_state' } })
              }
              return
            }
            const actor = actorPool[actorChoice % actorPool.length]!
            const offered = availableTransitions(track, proposal, actor, fixture.roleMatrix)
            if (offered.length === 0) continue
            const transition = offered[transitionChoice % offered.length]!
            let method = proposal.collaborationMethod ?? null
            if (transition.requires.includes('collaboration_method')) {
              const methods = methodChoices(track, transition, actor, fixture.roleMatrix) ?? fixture.methodIds
              method = methods[methodChoice % methods.length]!
            }
            proposal = applyMove(fixture, track, proposal, { actor, transition, method })
          }
          expect(stepOf(track, proposal.state)).toBeDefined()
        },
      ),
    )
  })

  it('offers exactly the transitions checkTransition accepts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...reachedConfigurations),
        fc.constantFrom(...actorPool),
        fc.constantFrom(...track.transitions),
        methodOrNone,
        (proposal, actor, transition, method) => {
          const offered = availableTransitions(track, proposal, actor, fixture.roleMatrix).includes(
            transition,
          )
          const result = checkTransition(
            track,
            proposal,
            actor,
            transition.id,
            inputSatisfying(transition, method),
            fixture.roleMatrix,
          )
          if (!offered) {
            expect(result.ok).toBe(false)
          } else if (!transition.requires.includes('collaboration_method')) {
            expect(result).toMatchObject({ ok: true, to: transition.to })
          } else {
            const allowed = methodChoices(track, transition, actor, fixture.roleMatrix) ?? fixture.methodIds
            expect(result.ok).toBe(method !== null && allowed.includes(method))
          }
        },
      ),
    )
  })

  it('refuses an offered transition taken without its requirements, naming each of them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...reachedConfigurations),
        fc.constantFrom(...actorPool),
        (proposal, actor) => {
          for (const transition of availableTransitions(track, proposal, actor, fixture.roleMatrix)) {
            const result = checkTransition(track, proposal, actor, transition.id, {}, fixture.roleMatrix)
            const required = requirementsOf(transition).map((spec) => spec.requirement)
            if (required.length === 0) expect(result.ok).toBe(true)
            else
              expect(result).toMatchObject({
                ok: false,
                error: { code: 'missing_requirement', requirements: required },
              })
          }
        },
      ),
    )
  })

  it('detects exactly the graph damage done by dropping transitions', () => {
    let detected = 0
    fc.assert(
      fc.property(
        fc.subarray(
          track.transitions.map((_, index) => index),
          { minLength: 1 },
        ),
        (dropped) => {
          const mutated = {
            ...track,
            transitions: track.transitions.filter((_, index) => !dropped.includes(index)),
          }
          const expected = expectedGraphProblems(mutated)
          const found = validateTrackDefinition(mutated, context)
          expect(graphProblemsFound(found).sort()).toEqual(expected.sort())
          if (expected.length > 0) detected += 1
        },
      ),
    )
    // Dropping the only way into the second step always breaks the track, so the property is never vacuous.
    const entries = track.transitions.flatMap((transition, index) =>
      transition.to === track.steps[1]!.id ? [index] : [],
    )
    const withoutEntry = {
      ...track,
      transitions: track.transitions.filter((_, index) => !entries.includes(index)),
    }
    expect(validateTrackDefinition(withoutEntry, context)).toContainEqual(
      expect.objectContaining({
        path: ['steps', 1, 'id'],
        message: expect.stringContaining('cannot be reached'),
      }),
    )
    expect(detected).toBeGreaterThan(0)
  })

  it('detects a renamed transition target, source or step', () => {
    const stepIds = track.steps.map((step) => step.id)
    const unknownId = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/).filter((id) => !stepIds.includes(id))
    fc.assert(
      fc.property(fc.nat({ max: track.transitions.length - 1 }), unknownId, (index, renamed) => {
        const transitions = track.transitions.map((transition, position) =>
          position === index ? { ...transition, to: renamed } : transition,
        )
        expect(validateTrackDefinition({ ...track, transitions }, context)).toContainEqual(
          expect.objectContaining({
            path: ['transitions', index, 'to'],
            message: expect.stringContaining(`unknown step "${renamed}"`),
          }),
        )
      }),
    )
    fc.assert(
      fc.property(fc.nat({ max: track.transitions.length - 1 }), unknownId, (index, renamed) => {
        const transitions = track.transitions.map((transition, position) =>
          position === index ? { ...transition, from: renamed } : transition,
        )
        expect(validateTrackDefinition({ ...track, transitions }, context)).toContainEqual(
          expect.objectContaining({
            path: ['transitions', index, 'from'],
            message: expect.stringContaining(`unknown step "${renamed}"`),
          }),
        )
      }),
    )
    fc.assert(
      fc.property(fc.nat({ max: track.steps.length - 1 }), unknownId, (index, renamed) => {
        const steps = track.steps.map((step, position) =>
          position === index ? { ...step, id: renamed } : step,
        )
        expect(validateTrackDefinition({ ...track, steps }, context).length).toBeGreaterThan(0)
      }),
    )
  })
}

function cityProperties(fixture: WorkflowFixture): void {
  if (fixture.roleMatrix) {
    const roleMatrix = fixture.roleMatrix
    it('has a role matrix without problems', () => {
      expect(validateRoleMatrix(roleMatrix, fixture.methodIds)).toEqual([])
    })
  }
  for (const track of fixture.tracks) describe(`track ${track.id}`, () => trackProperties(fixture, track))
}

describe.each([matrixCityFixture, flowCityFixture])('fixture $name', (fixture) => cityProperties(fixture))

describe('real tenant files', () => {
  it('load without problems', () => {
    expect(realCities.problems).toEqual({})
    expect(realCities.fixtures.map((fixture) => fixture.name)).toEqual(
      expect.arrayContaining(EXPECTED_TENANT_FILES.map((file) => `tenants/${file}`)),
    )
  })
  for (const fixture of realCities.fixtures)
    describe(fixture.name, () => cityProperties(fixture))
})
