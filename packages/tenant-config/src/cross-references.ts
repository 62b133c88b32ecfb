import { validateRoleMatrix, validateTrackDefinition, type Track } from '@desk/workflow'
import type { ConfigProblem, Path } from './problems'
import { arrangementOf } from './arrangement'
import { resolveProvenancePath } from './provenance'
import { isReservedSlug, RESERVED_SLUGS } from './reserved-slugs'
import type { TenantConfig } from './schema'

/**
 * Checks of meaning across a shape-valid tenant file: ids unique in their
 * lists, every reference pointing at something declared, limits that make
 * sense, and tracks that can run. The tracks' graphs and the role matrix are
 * validated by the workflow package (reachability, ways out, unknown steps,
 * methods and phases); this module adds what only the whole file knows, such
 * as the proposer's way to withdraw. Paths are from the root of the file.
 */
export function findCrossReferenceProblems(
  config: TenantConfig,
  options: { partial?: boolean } = {},
): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const report = (path: Path, message: string, expected: string) => problems.push({ path, message, expected })
  // A file whose shape is partly wrong is still checked where it can be read: a check that cannot read
  // its part is skipped (the shape problem there is already reported), the others still report.
  const run = (check: () => void) => {
    if (!options.partial) return check()
    try {
      check()
    } catch {
      // The part this check reads is malformed: its shape problem stands for it.
    }
  }

  if (typeof config.slug === 'string' && isReservedSlug(config.slug)) {
    report(
      ['slug'],
      `"${config.slug}" is a page of the platform (/${config.slug})`,
      `a slug that is not one of: ${RESERVED_SLUGS.join(', ')}`,
    )
  }

  // Tracks and the role matrix are checked by the workflow package, ids included.
  run(() => findDuplicateIds({ ...config, tracks: [], roleMatrix: undefined }, [], report))

  // Ids read defensively: in a partly malformed file a list may not be a list of objects.
  const ids = (list: readonly { id: string }[] | undefined): string[] =>
    Array.isArray(list)
      ? list
          .map((item: { id?: unknown } | null) => item?.id)
          .filter((id): id is string => typeof id === 'string')
      : []
  const formIds = ids(config.forms)
  const methodIds = ids(config.collaborationMethods)
  const agreementKindIds = ids(config.agreementKinds)
  const trackIds = ids(config.tracks)
  const proposalTypeIds = ids(config.proposalTypes)

  run(() =>
    config.proposalTypes.forEach((type, index) =>
      run(() => {
        if (!formIds.includes(type.form)) {
          report(['proposalTypes', index, 'form'], `unknown form "${type.form}"`, oneOf('form id', formIds))
        }
        if (!config.tracks.some((track) => track.proposalTypes.includes(type.id))) {
          report(
            ['proposalTypes', index, 'id'],
            `no track takes proposal type "${type.id}"`,
            'a track listing it in proposalTypes',
          )
        }
      }),
    ),
  )

  run(() =>
    config.collaborationMethods.forEach((method, index) =>
      run(() => {
        if (method.agreementKind !== undefined && !agreementKindIds.includes(method.agreementKind)) {
          report(
            ['collaborationMethods', index, 'agreementKind'],
            `unknown agreement kind "${method.agreementKind}"`,
            `${oneOf('agreement kind id', agreementKindIds)}, or no agreementKind when no agreement is concluded`,
          )
        }
      }),
    ),
  )

  run(() => checkEligibility(config, report))
  run(() => checkForms(config, report))
  run(() => checkExperimentSupport(config, trackIds, report))
  run(() => checkGuidelineFlows(config, report))
  run(() => checkStageTargets(config, trackIds, report))
  run(() =>
    config.platformDefaults.forEach((path, index) => {
      const resolved = resolveProvenancePath(config, path)
      if (!resolved.ok)
        report(
          ['platformDefaults', index],
          resolved.problem,
          'the path of a value set in the file, list items by id: forms[proposal].fields[expected_effect]',
        )
    }),
  )
  run(() => checkNoAgreement(config, report))

  run(() =>
    config.tracks.forEach((track, index) =>
      run(() => {
        const trackPath = ['tracks', index]
        for (const problem of validateTrackDefinition(track, {
          roleMatrix: config.roleMatrix,
          methodIds,
          proposalTypeIds,
        })) {
          report([...trackPath, ...problem.path], problem.message, problem.expected)
        }
        if (!hasProposerWithdrawal(track)) {
          report(
            [...trackPath, 'transitions'],
            `track "${track.id}" gives the proposer no way to withdraw`,
            'a transition with by: [proposer] to a terminal step whose outcome is withdrawn',
          )
        }
      }),
    ),
  )

  run(() => {
    if (config.roleMatrix) {
      for (const problem of validateRoleMatrix(config.roleMatrix, methodIds)) {
        report(['roleMatrix', ...problem.path], problem.message, problem.expected)
      }
    }
  })
  return problems
}

type Report = (path: Path, message: string, expected: string) => void

/** The experiment track exists, and its checklist names steps of that track, each once, each record kind once. */
function checkExperimentSupport(config: TenantConfig, trackIds: string[], report: Report) {
  const support = config.experimentSupport
  if (!support) return
  const track = config.tracks.find((candidate) => candidate.id === support.track)
  if (!track) {
    report(['experimentSupport', 'track'], `unknown track "${support.track}"`, oneOf('track id', trackIds))
    return
  }
  const stepIds = track.steps.map((step) => step.id)
  const seenSteps = new Set<string>()
  const seenRecords = new Set<string>()
  support.checklist.forEach((item, index) => {
    const path = ['experimentSupport', 'checklist', index]
    if (!stepIds.includes(item.step)) {
      report(
        [...path, 'step'],
        `unknown step "${item.step}" of track "${track.id}"`,
        oneOf('step id', stepIds),
      )
    } else if (seenSteps.has(item.step)) {
      report([...path, 'step'], `step "${item.step}" is listed twice`, 'each step once')
    }
    seenSteps.add(item.step)
    for (const record of item.records) {
      if (seenRecords.has(record)) {
        report([...path, 'records'], `"${record}" is recorded at two steps`, 'each record kind at one step')
      }
      seenRecords.add(record)
    }
  })
}

/**
 * Stage targets name a step the city works on (desk or department lane, not
 * terminal) of an existing track, each step once; a target quoted from the
 * guideline quotes words that contain its number (half- or full-width digits).
 */
function checkStageTargets(config: TenantConfig, trackIds: string[], report: Report): void {
  const seen = new Set<string>()
  config.stageTargets.forEach((target, index) => {
    const path = ['stageTargets', index]
    const track = config.tracks.find((candidate) => candidate.id === target.track)
    if (!track) {
      report([...path, 'track'], `unknown track "${target.track}"`, oneOf('track id', trackIds))
      return
    }
    const workSteps = track.steps.filter((step) => step.lane !== 'proposer' && !step.terminal)
    const step = track.steps.find((candidate) => candidate.id === target.step)
    if (!step || step.lane === 'proposer' || step.terminal) {
      report(
        [...path, 'step'],
        step
          ? `step "${target.step}" is ${step.terminal ? 'terminal' : "in the proposer's lane"}: nothing for the city to be reminded of`
          : `unknown step "${target.step}" of track "${track.id}"`,
        oneOf('step id', workSteps.map((s) => s.id)),
      )
    }
    const key = `${target.track}:${target.step}`
    if (seen.has(key)) report([...path, 'step'], `a second target for "${key}"`, 'one target per step')
    seen.add(key)
    if (target.statedInGuideline !== undefined && !quotesNumber(target.statedInGuideline, target.days)) {
      report(
        [...path, 'statedInGuideline'],
        `the quoted words do not contain the number ${target.days}`,
        'the guideline\'s sentence that states the number of days, or no statedInGuideline for a platform default',
      )
    }
  })
}

function quotesNumber(words: string, days: number): boolean {
  const halfWidth = words.normalize('NFKC')
  return new RegExp(`(^|[^0-9])${days}([^0-9]|$)`).test(halfWidth)
}

/**
 * The guideline's flows point at what runs them: their tracks and proposal
 * types exist, every step is carried out by at least one step of those
 * tracks, lanes are the figure's, and matrix phases are the role matrix's.
 */
function checkGuidelineFlows(config: TenantConfig, report: Report): void {
  const trackIds = config.tracks.map((track) => track.id)
  const proposalTypeIds = config.proposalTypes.map((type) => type.id)
  const phaseIds = config.roleMatrix?.phases.map((phase) => phase.id) ?? []
  config.guidelineFlows.forEach((flow, flowIndex) => {
    const flowPath = ['guidelineFlows', flowIndex]
    flow.tracks.forEach((trackId, position) => {
      if (!trackIds.includes(trackId))
        report([...flowPath, 'tracks', position], `unknown track "${trackId}"`, oneOf('track id', trackIds))
    })
    flow.proposalTypes.forEach((typeId, position) => {
      if (!proposalTypeIds.includes(typeId)) {
        report(
          [...flowPath, 'proposalTypes', position],
          `unknown proposal type "${typeId}"`,
          oneOf('proposal type id', proposalTypeIds),
        )
      }
    })
    const tracks = config.tracks.filter((track) => flow.tracks.includes(track.id))
    const stageIds = [...new Set(tracks.flatMap((track) => track.steps.map((step) => step.id)))]
    flow.steps.forEach((step, stepIndex) => {
      const stepPath = [...flowPath, 'steps', stepIndex]
      if (step.label === undefined && step.text === undefined) {
        report(
          [...stepPath, 'label'],
          `step "${step.id}" has neither a label nor a text`,
          'the box label or the sentence the guideline prints',
        )
      }
      step.stages.forEach((stageId, position) => {
        if (tracks.length > 0 && !stageIds.includes(stageId)) {
          report(
            [...stepPath, 'stages', position],
            `"${stageId}" is not a step of the flow's tracks (${flow.tracks.join(', ')})`,
            oneOf('step id', stageIds),
          )
        }
      })
      step.lanes.forEach((lane, position) => {
        if (!flow.lanes.includes(lane)) {
          report(
            [...stepPath, 'lanes', position],
            `lane "${lane}" is not a lane of the flow`,
            flow.lanes.length > 0
              ? `one of the flow's lanes: ${flow.lanes.join(', ')}`
              : 'lanes declared on the flow first',
          )
        }
      })
      step.matrixPhases.forEach((phaseId, position) => {
        if (!phaseIds.includes(phaseId)) {
          report(
            [...stepPath, 'matrixPhases', position],
            config.roleMatrix ? `unknown role-matrix phase "${phaseId}"` : 'the file has no role matrix',
            config.roleMatrix ? oneOf('phase id', phaseIds) : 'no matrixPhases, or a roleMatrix',
          )
        }
      })
    })
  })
}

/**
 * The no-agreement outcome is worded only where a method leads to it, and a
 * transition asking for agreement details is never limited to methods that
 * conclude none (it could never be taken).
 */
function checkNoAgreement(config: TenantConfig, report: Report): void {
  const outcomeOf = (methodId: string) => arrangementOf(config, methodId)?.arrangement
  const withoutAgreement = config.collaborationMethods.filter((method) => outcomeOf(method.id) === 'no_agreement')
  if (config.noAgreement && withoutAgreement.length === 0) {
    report(
      ['noAgreement'],
      'the file words the no-agreement outcome, but every collaboration method concludes an agreement or goes to a public call',
      'a collaboration method with neither agreementKind nor viaPublicCall, or no noAgreement section',
    )
  }
  config.tracks.forEach((track, trackIndex) =>
    track.transitions.forEach((transition, transitionIndex) => {
      const methods = transition.methods
      if (!transition.requires.includes('agreement') || !methods || methods.length === 0) return
      if (methods.every((method) => outcomeOf(method) === 'no_agreement')) {
        report(
          ['tracks', trackIndex, 'transitions', transitionIndex, 'requires'],
          `transition "${transition.id}" asks for agreement details, but its methods (${methods.join(', ')}) conclude no agreement`,
          'requires without agreement, or a method with an agreementKind',
        )
      }
    }),
  )
}

function oneOf(what: string, ids: readonly string[]): string {
  return ids.length === 0 ? `a ${what}, but none is declared` : `one of the ${what}s: ${ids.join(', ')}`
}

/** In every list of objects with an `id`, each id appears once. `path` is a stack, copied only to report. */
function findDuplicateIds(value: unknown, path: Path, report: Report): void {
  if (Array.isArray(value)) {
    const firstIndexOf = new Map<string, number>()
    value.forEach((item: unknown, index) => {
      const id = (item as { id?: unknown } | null)?.id
      if (typeof id !== 'string') return
      const firstIndex = firstIndexOf.get(id)
      if (firstIndex === undefined) firstIndexOf.set(id, index)
      else
        report(
          [...path, index, 'id'],
          `duplicate id "${id}" (already used by item ${firstIndex})`,
          'an id unique within its list',
        )
    })
    value.forEach((item: unknown, index) => {
      if (typeof item !== 'object' || item === null) return
      path.push(index)
      findDuplicateIds(item, path, report)
      path.pop()
    })
  } else if (typeof value === 'object' && value !== null) {
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key]
      if (typeof child !== 'object' || child === null) continue
      path.push(key)
      findDuplicateIds(child, path, report)
      path.pop()
    }
  }
}

function checkEligibility(config: TenantConfig, report: Report): void {
  const { eligibleOrganisationKinds, criteria } = config.eligibility
  criteria.forEach((criterion, index) => {
    const path = ['eligibility', 'criteria', index]
    const excluded = criterion.excludesOrganisationKinds ?? []
    if (criterion.decidedBy === 'platform' && excluded.length === 0) {
      report(
        [...path, 'excludesOrganisationKinds'],
        `criterion "${criterion.id}" is decided by the platform but excludes no organisation kind`,
        'the organisation kinds the platform turns away at intake, e.g. [individual]',
      )
    }
    if (criterion.decidedBy !== 'platform' && excluded.length > 0) {
      report(
        [...path, 'excludesOrganisationKinds'],
        `criterion "${criterion.id}" is decided by ${criterion.decidedBy === 'desk' ? 'the desk' : "the proposer's confirmation"}, so it cannot exclude organisation kinds`,
        'decidedBy: platform, or no excludesOrganisationKinds',
      )
    }
    if (
      criterion.decidedBy === 'intake' &&
      criterion.kind === 'ground' &&
      criterion.confirmation === undefined
    ) {
      report(
        [...path, 'confirmation'],
        `criterion "${criterion.id}" is decided by the proposer's confirmation at intake but has no statement to confirm`,
        'a confirmation the proposer ticks, e.g. { ja: 「…場合」に該当しません。 }, or kind: requirement',
      )
    }
    excluded.forEach((kind, position) => {
      if (eligibleOrganisationKinds.includes(kind)) {
        report(
          [...path, 'excludesOrganisationKinds', position],
          `organisation kind "${kind}" is both excluded and listed in eligibility.eligibleOrganisationKinds`,
          'each kind either eligible or excluded',
        )
      }
    })
  })
}

function checkForms(config: TenantConfig, report: Report): void {
  const { allowedMimeTypes, maxBytes } = config.attachments
  config.forms.forEach((form, formIndex) => {
    form.fields.forEach((field, fieldIndex) => {
      const path = ['forms', formIndex, 'fields', fieldIndex]
      switch (field.type) {
        case 'number':
        case 'date':
          if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
            report(
              [...path, 'max'],
              `max ${field.max} is below min ${field.min}`,
              'max greater than or equal to min',
            )
          }
          break
        case 'select':
        case 'multi_select':
          field.options.forEach((option, position) => {
            // 13 and "13" post the same form value, so they count as the same.
            if (field.options.findIndex((other) => String(other.value) === String(option.value)) !== position) {
              report(
                [...path, 'options', position, 'value'],
                `duplicate option value ${JSON.stringify(option.value)}`,
                'option values unique within the field (13 and "13" count as the same)',
              )
            }
          })
          if (
            field.type === 'multi_select' &&
            field.maxSelected !== undefined &&
            field.maxSelected > field.options.length
          ) {
            report(
              [...path, 'maxSelected'],
              `maxSelected ${field.maxSelected} exceeds the ${field.options.length} options`,
              `at most ${field.options.length}`,
            )
          }
          if (
            field.type === 'multi_select' &&
            (field.minSelected ?? 0) > (field.maxSelected ?? field.options.length)
          ) {
            report(
              [...path, 'minSelected'],
              `minSelected ${field.minSelected} is above the maximum`,
              'minSelected not above maxSelected',
            )
          }
          break
        case 'file':
          field.accept.forEach((type, position) => {
            if (!allowedMimeTypes.includes(type)) {
              report(
                [...path, 'accept', position],
                `"${type}" is not allowed by attachments.allowedMimeTypes`,
                `one of ${allowedMimeTypes.join(', ')}`,
              )
            }
          })
          if (field.maxBytes > maxBytes) {
            report(
              [...path, 'maxBytes'],
              `${field.maxBytes} bytes exceeds attachments.maxBytes (${maxBytes})`,
              `at most ${maxBytes}`,
            )
          }
          break
        default:
          break
      }
    })
  })
}

function hasProposerWithdrawal(track: Track): boolean {
  const withdrawn = new Set(
    track.steps.filter((step) => step.terminal && step.outcome === 'withdrawn').map((step) => step.id),
  )
  return track.transitions.some(
    (transition) => transition.by.includes('proposer') && withdrawn.has(transition.to),
  )
}
