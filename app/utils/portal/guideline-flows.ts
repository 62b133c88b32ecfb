import type { GuidelineFlow, TenantConfig } from '@desk/tenant-config'
import { involvementSymbol, matrixMethods, type Lane } from '@desk/workflow'
import type { TFunction } from 'i18next'
import type { LaneView, Localize } from './views'

/**
 * The flows a city's guideline publishes, as the portal shows them: its
 * steps in order, each in the lanes the guideline draws it in. A step whose
 * carrier depends on the collaboration method names, per method, the lead
 * parties of the role matrix. The operational tracks behind them are never
 * shown here.
 */

export type MethodLeadsView = {
  id: string
  label: string
  phases: { id: string; label: string; leads: string }[]
}

export type GuidelineFlowStepView = {
  id: string
  label: string
  text: string
  note: string
  optional: boolean
  /** The lanes' names, joined; empty when the guideline names none. */
  lanes: string
  /** 1-based lane column and width of the step's box in the flow's lanes (whole width when it names no lane). */
  column: { start: number; span: number }
  byMethod: MethodLeadsView[]
}

export type GuidelineFlowView = {
  id: string
  title: string
  description: string
  appliesTo: string
  lanes: LaneView[]
  steps: GuidelineFlowStepView[]
  notes: string[]
  /** The role matrix's word for ◎, heading the per-method leads. */
  leadLabel: string
}

export function guidelineFlowViews(
  page: { config: TenantConfig; text: Localize; t: TFunction },
  flows: GuidelineFlow[],
): GuidelineFlowView[] {
  const { config, text, t } = page
  const separator = t('portal:flow.separator')
  const laneLabel = (lane: Lane) => text(config.laneLabels?.[lane]) || t(`portal:lanes.${lane}`)
  const partyLabel = (party: 'desk' | 'department') => laneLabel(party)
  const methodLabel = (id: string) =>
    text(config.collaborationMethods.find((method) => method.id === id)?.label) || id
  const leadLabel = `${text(config.roleMatrixLegend?.lead) || t('portal:involvement.lead')}（${involvementSymbol.lead}）`
  return flows.map((flow) => ({
    id: flow.id,
    title: text(flow.title),
    description: text(flow.description),
    appliesTo: config.proposalTypes
      .filter((type) => flow.proposalTypes.includes(type.id))
      .map((type) => text(type.label))
      .join(separator),
    lanes: flow.lanes.map((lane) => ({ id: lane, label: laneLabel(lane) })),
    steps: flow.steps.map((step) => {
      const columns = step.lanes.map((lane) => flow.lanes.indexOf(lane) + 1).filter((column) => column > 0)
      const start = columns.length > 0 ? Math.min(...columns) : 1
      const end = columns.length > 0 ? Math.max(...columns) : Math.max(flow.lanes.length, 1)
      return {
        id: step.id,
        label: text(step.label),
        text: text(step.text),
        note: text(step.note),
        optional: step.optional,
        lanes: flow.lanes
          .filter((lane) => step.lanes.includes(lane))
          .map(laneLabel)
          .join(separator),
        column: { start, span: end - start + 1 },
        byMethod: leadsByMethod(config, step.matrixPhases, { methodLabel, partyLabel, text, separator }),
      }
    }),
    notes: flow.notes.map(text),
    leadLabel,
  }))
}

/** Per collaboration method, the lead parties (◎) of each of the given matrix phases the method has. */
function leadsByMethod(
  config: TenantConfig,
  phaseIds: string[],
  words: {
    methodLabel: (id: string) => string
    partyLabel: (party: 'desk' | 'department') => string
    text: Localize
    separator: string
  },
): MethodLeadsView[] {
  const matrix = config.roleMatrix
  if (!matrix || phaseIds.length === 0) return []
  return matrixMethods(matrix).flatMap((methodId) => {
    const phases = matrix.phases.flatMap((phase) => {
      if (!phaseIds.includes(phase.id)) return []
      const cell = matrix.cells.find(
        (candidate) => candidate.method === methodId && candidate.phase === phase.id,
      )
      if (!cell) return []
      const leads = matrix.parties.filter((party) => cell[party] === 'lead').map(words.partyLabel)
      return [{ id: phase.id, label: words.text(phase.label), leads: leads.join(words.separator) }]
    })
    return phases.length > 0 ? [{ id: methodId, label: words.methodLabel(methodId), phases }] : []
  })
}

/** The flows of the experiment-support track, shown on its own page; the rest belong to how to propose. */
export function isExperimentFlow(config: TenantConfig, flow: GuidelineFlow): boolean {
  const track = config.experimentSupport?.track
  return track !== undefined && flow.tracks.length === 1 && flow.tracks[0] === track
}
