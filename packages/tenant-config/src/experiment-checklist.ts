import type { Lane, LocalizedText } from '@desk/workflow'
import type { ExperimentRecord, TenantConfig } from './schema'

/**
 * The checklist of a demonstration experiment, read from the tenant file: the
 * experiment track's steps listed in `experimentSupport.checklist` (each kept
 * by the lane of its step, with what is recorded there), then the proposer's
 * duties. Nothing about experiments is hard-coded: another city lists other
 * steps, lanes and duties.
 */
export type ExperimentChecklistEntry = {
  /** `step:<step id>` or `duty:<duty id>`: how a proposal's record of the item is keyed. */
  key: string
  kind: 'step' | 'duty'
  /** The step or duty id in the tenant file. */
  id: string
  lane: Lane
  label: LocalizedText
  description?: LocalizedText
  records: ExperimentRecord[]
}

export function experimentChecklist(config: TenantConfig): ExperimentChecklistEntry[] {
  const support = config.experimentSupport
  const track = support && config.tracks.find((candidate) => candidate.id === support.track)
  if (!support || !track) return []
  const steps = support.checklist.flatMap((item): ExperimentChecklistEntry[] => {
    const step = track.steps.find((candidate) => candidate.id === item.step)
    if (!step) return []
    return [
      {
        key: `step:${step.id}`,
        kind: 'step',
        id: step.id,
        lane: step.lane,
        label: step.label,
        ...(step.description ? { description: step.description } : {}),
        records: item.records,
      },
    ]
  })
  const duties = support.proposerDuties.map((duty): ExperimentChecklistEntry => ({
    key: `duty:${duty.id}`,
    kind: 'duty',
    id: duty.id,
    lane: 'proposer',
    label: duty.text,
    records: [],
  }))
  return [...steps, ...duties]
}

export type StepProgress = 'done' | 'current' | 'upcoming'

/**
 * Where a proposal in `state` stands on each checklist step: the steps before
 * its state are done, its state is current (done when it is the track's end),
 * the rest are upcoming. A state outside the checklist (before the agreement,
 * or withdrawn) leaves every step upcoming.
 */
export function stepProgress(
  entries: readonly ExperimentChecklistEntry[],
  state: string,
  isTerminal: (stepId: string) => boolean,
): Map<string, StepProgress> {
  const steps = entries.filter((entry) => entry.kind === 'step')
  const at = steps.findIndex((entry) => entry.id === state)
  return new Map(
    steps.map((entry, index): [string, StepProgress] => [
      entry.key,
      at < 0 || index > at ? 'upcoming' : index < at || isTerminal(entry.id) ? 'done' : 'current',
    ]),
  )
}

/** The step at which `record` is kept, if the checklist keeps it. */
export function stepRecording(
  entries: readonly ExperimentChecklistEntry[],
  record: ExperimentRecord,
): ExperimentChecklistEntry | undefined {
  return entries.find((entry) => entry.kind === 'step' && entry.records.includes(record))
}
